export interface RenderOptions {
  /** ANSI colour (tables only; machine formats never carry colour). */
  color: boolean;
  /** Terminal width for wrapping prose. */
  width?: number;
}
