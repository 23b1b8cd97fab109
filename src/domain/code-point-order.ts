/**
 * Compares strings by Unicode code point, the order of every output file (loss-methodology.md
 * §7). JavaScript's `<` compares UTF-16 code units, which puts U+E000–U+FFFF after astral
 * characters; this corrects exactly that case and is otherwise as fast as `<`.
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xSurrogate = x >= 0xd800 && x <= 0xdfff;
    const ySurrogate = y >= 0xd800 && y <= 0xdfff;
    if (xSurrogate !== ySurrogate && (x >= 0xd800 && y >= 0xd800)) return xSurrogate ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
