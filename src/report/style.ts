/** Minimal ANSI styling; formatters take `color` as data so they stay pure. */
const CODES = { red: 31, yellow: 33, cyan: 36, green: 32, bold: 1, dim: 2 } as const;
export type StyleName = keyof typeof CODES;
export type Stylize = (style: StyleName, text: string) => string;

export function stylizer(color: boolean): Stylize {
  return color ? (style, text) => `\u001b[${CODES[style]}m${text}\u001b[0m` : (_style, text) => text;
}
