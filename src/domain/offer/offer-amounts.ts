import { allocateProRata } from '../fund/pro-rata.ts';
import type { Fen } from '../money/fen.ts';

/**
 * What each payable investor is offered (procedure.md step 8). Normally its computed amount. When
 * the plan allocates pro rata and what the fund holds does not cover the computed total, each is
 * offered a share of what the fund holds in proportion to its amount, by largest remainder at the
 * fen (ties by investor id in code-point order), so the offers add up to exactly what is there.
 */
export function offerAmounts(
  computed: readonly { investor: string; amountFen: Fen }[],
  availableFen: Fen,
  shortfall: 'top-up' | 'pro-rata',
): { proRata: boolean; offers: { investor: string; amountFen: Fen }[] } {
  const payable = computed.filter((entry) => entry.amountFen > 0n);
  const total = payable.reduce((sum, entry) => sum + entry.amountFen, 0n);
  if (shortfall === 'top-up' || availableFen >= total) return { proRata: false, offers: payable.map((entry) => ({ ...entry })) };
  const shares = allocateProRata(availableFen > 0n ? availableFen : 0n, payable.map((entry) => ({ id: entry.investor, amountFen: entry.amountFen })));
  return { proRata: true, offers: shares.filter((share) => share.amountFen > 0n).map((share) => ({ investor: share.id, amountFen: share.amountFen })) };
}
