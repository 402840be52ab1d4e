export interface RenderOptions {
  /** ANSI colour (tables only; machine formats never carry colour). */
  color: boolean;
  /** Terminal width for wrapping prose. */
  width?: number;
  /**
   * Fit tables into `width`: wrap text (breaking words longer than a column as a last resort) and
   * leave out the least important columns. Without it a table keeps every column, and its text
   * columns wrap only when that alone makes it fit (output to a pipe, --wide).
   */
  fit?: boolean;
}
