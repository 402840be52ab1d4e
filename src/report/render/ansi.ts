/**
 * The few terminal styles the table renderer uses, as ANSI SGR codes (ECMA-48, "Select Graphic
 * Rendition": 1 bold, 2 faint, 22 neither, 33 yellow, 39 default colour). A style closes itself
 * before each line break and opens again after it, and opens again after an inner close of the
 * same kind, so nested and multi-line text keep their look.
 */
export interface Styles {
  bold(text: string): string;
  dim(text: string): string;
  yellow(text: string): string;
}

const ESC = '\u001b[';

function style(open: number, close: number): (text: string) => string {
  const on = `${ESC}${open}m`;
  const off = `${ESC}${close}m`;
  return (text) => {
    if (text === '') return text;
    let body = text.includes(off) ? text.replaceAll(off, off + on) : text;
    if (body.includes('\n')) body = body.replace(/\r?\n/g, (nl) => `${off}${nl}${on}`);
    return on + body + off;
  };
}

const identity = (text: string): string => text;

export function styles(enabled: boolean): Styles {
  if (!enabled) return { bold: identity, dim: identity, yellow: identity };
  return { bold: style(1, 22), dim: style(2, 22), yellow: style(33, 39) };
}
