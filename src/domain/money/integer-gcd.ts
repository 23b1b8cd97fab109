/**
 * Greatest common divisor of two safe integers (b ≥ 0; a of either sign), for the exact
 * arithmetic that runs in doubles. Once both fit in an int32 it continues on int32s, as a double
 * `%` is a library call.
 */
export function gcd(a: number, b: number): number {
  if (a < 0) a = -a;
  while (b > 0x7fffffff || a > 0x7fffffff) {
    if (b === 0) return a;
    const t = a % b;
    a = b;
    b = t;
  }
  let x = a | 0;
  let y = b | 0;
  while (y !== 0) {
    const t = x % y | 0;
    x = y;
    y = t;
  }
  return x;
}
