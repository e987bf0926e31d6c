/**
 * Code-unit order, as Go's sort.Strings (and so helm) orders names. Not localeCompare: its order depends on the
 * machine's locale, and its first call builds an ICU collator, ~9 ms of a CLI's start-up.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
