import { parseYuan, type Fen } from '../domain/money/fen.ts';

/**
 * An amount in yuan as people type it in a form (1500000, 1,500,000.5, ¥12.30) in fen, without
 * floating point; null when it is not a whole number of yuan with at most two decimals.
 */
export function fenFromTypedYuan(text: string): Fen | null {
  const match = /^(\d{1,16})(?:\.(\d{1,2}))?$/.exec(text.replace(/[\s,，¥￥]/g, ''));
  return match ? parseYuan(`${match[1]}.${(match[2] ?? '').padEnd(2, '0')}`) : null;
}
