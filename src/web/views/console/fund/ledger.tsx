import { FLOWS, FUND_ACCOUNTS, isAccountId, isMovementKind } from '../../../../domain/fund/fund-accounts.ts';
import type { FundPosition } from '../../../../domain/fund/fund-position.ts';
import type { TrialBalance } from '../../../../domain/fund/ledger-state.ts';
import { say, type Lang } from '../../../i18n.ts';
import type { WebContext } from '../../../web-context.ts';
import type { Outcome } from '../../../outcome.ts';
import { CsrfField, Field, Money, OutcomeFlash, Pager, Section } from '../../ui.tsx';
import { ConsoleFrame, consoleUrl } from '../console-frame.tsx';
import { Stat } from './fund-ui.tsx';

export interface TransactionRow {
  seq: number;
  id: string;
  kind: string;
  bookedOn: string;
  memo: string;
  reverses: string | null;
  postings: { account: string; amountFen: bigint; reference: string | null }[];
}

export function accountName(lang: Lang, account: string): string {
  return isAccountId(account) ? FUND_ACCOUNTS[account].name[lang] : account;
}

function kindName(lang: Lang, kind: string): string {
  if (kind === 'reversal') return say(lang, '冲正', 'reversal');
  return isMovementKind(kind) ? FLOWS[kind].name[lang] : kind;
}

/** An amount pattern for forms: yuan with at most two decimals. */
export const YUAN_PATTERN = '[0-9]{1,16}([.][0-9]{1,2})?';

/**
 * The special fund's books (专项基金台账): where it stands, the trial balance, every transaction
 * with its postings, and — for administrators — interest the custodian credited and the trustee's
 * management fee, each under its bank reference so that recording it twice changes nothing.
 */
export function LedgerPage(props: {
  ctx: WebContext; caseId: string; caseTitle: string; position: FundPosition; trial: TrialBalance; transactionCount: number;
  transactions: TransactionRow[]; nextUrl: string | null; canAct: boolean; outcome: Outcome | null;
}) {
  const { ctx, position: p } = props;
  const { lang } = ctx;
  const here = consoleUrl(props.caseId, 'ledger');
  const stats: [string, string, bigint][] = [
    ['contributed', say(lang, '出资到账', 'Contributed'), p.contributedFen],
    ['committed', say(lang, '承诺金', 'Commitment money'), p.committedFen],
    ['interest', say(lang, '利息收入', 'Interest earned'), p.interestEarnedFen],
    ['recovered', say(lang, '追偿所得', 'Recovered'), p.recoveredFen],
    ['accepted', say(lang, '已接受赔付', 'Accepted'), p.acceptedFen],
    ['paid', say(lang, '已支付', 'Paid'), p.paidFen],
    ['payable', say(lang, '应付未付', 'Payable'), p.payableFen],
    ['custody', say(lang, '托管账户余额', 'In custody'), p.custodyFen],
    ['fee', say(lang, '管理费', 'Management fee'), p.managementFeeFen],
    ['residual', say(lang, '退还出资人', 'Returned to funders'), p.residualReturnedFen],
    ['treasury', say(lang, '上缴国库', 'Remitted to the treasury'), p.treasuryRemittedFen],
    ['unspent-interest', say(lang, '未使用利息（仅可用于赔付）', 'Unspent interest (compensation only)'), p.unspentInterestFen],
    ['free', say(lang, '可自由支配资金', 'Free funds'), p.freeFundsFen],
    ['shortfall', say(lang, '资金缺口', 'Shortfall'), p.shortfallFen],
  ];
  return (
    <ConsoleFrame ctx={ctx} caseId={props.caseId} caseTitle={props.caseTitle} section="ledger" title={say(lang, '基金台账', 'Fund ledger')}>
      <OutcomeFlash outcome={props.outcome} />
      <Section id="position" title={say(lang, '基金状况', 'Where the fund stands')}>
        <div class="grid">
          {stats.map(([key, label, fen]) => (
            <Stat id={`position-${key}`} label={label}><span class={key === 'shortfall' && fen > 0n ? 'breach' : undefined}><Money fen={fen} /></span></Stat>
          ))}
          <Stat id="position-offers" label={say(lang, '已接受 / 已支付 / 待支付要约', 'Offers accepted / paid / to pay')}>{p.offersAccepted} / {p.offersPaid} / {p.offersPayable}</Stat>
        </div>
      </Section>
      <Section id="trial-balance" title={say(lang, '试算平衡表', 'Trial balance')}>
        <div class="table-wrap" role="region" aria-label={say(lang, '试算平衡表', 'Trial balance')} tabindex={0}>
          <table>
            <caption>{say(lang, '各科目余额，借贷合计相等', 'Each account\'s balance; the two columns add up to the same')}</caption>
            <thead><tr><th scope="col">{say(lang, '科目', 'Account')}</th><th scope="col" class="num">{say(lang, '借方', 'Debit')}</th><th scope="col" class="num">{say(lang, '贷方', 'Credit')}</th></tr></thead>
            <tbody>
              {props.trial.lines.map((line) => (
                <tr key={line.account}><th scope="row">{accountName(lang, line.account)}</th>
                  <td class="num">{line.debitFen === 0n ? '' : <Money fen={line.debitFen} />}</td><td class="num">{line.creditFen === 0n ? '' : <Money fen={line.creditFen} />}</td></tr>
              ))}
              <tr><th scope="row">{say(lang, '合计', 'Total')}</th><td class="num"><strong><Money fen={props.trial.totalDebitFen} /></strong></td><td class="num"><strong><Money fen={props.trial.totalCreditFen} /></strong></td></tr>
            </tbody>
          </table>
        </div>
        {props.trial.totalDebitFen !== props.trial.totalCreditFen ? <p class="breach">{say(lang, '借贷不平衡！', 'Debits and credits differ!')}</p> : null}
      </Section>
      {props.canAct ? (
        <Section id="movements" title={say(lang, '登记利息与管理费', 'Record interest or the management fee')}>
          <div class="grid">
            <MovementForm ctx={ctx} action={`${here}/interest`} prefix="interest" title={say(lang, '利息入账', 'Interest credited')} button={say(lang, '登记利息', 'Record the interest')}
              hint={say(lang, '托管银行计入基金的利息，只能用于赔付。', 'Interest the custodian credited; it may only go to compensation.')} />
            <MovementForm ctx={ctx} action={`${here}/management-fee`} prefix="fee" title={say(lang, '收取管理费', 'Charge the management fee')} button={say(lang, '收取管理费', 'Charge the fee')}
              hint={say(lang, '只能从可自由支配资金中收取，不得动用利息。', 'Taken only from free funds, never from interest.')} />
          </div>
        </Section>
      ) : null}
      <Section id="transactions" title={say(lang, `交易记录（共 ${props.transactionCount} 笔）`, `Transactions (${props.transactionCount} in all)`)}>
        <div id="transactions-list">
          <div class="table-wrap" role="region" aria-label={say(lang, '交易记录', 'Transactions')} tabindex={0}>
            <table>
              <caption>{say(lang, '按记账顺序，每页 50 笔；每笔的分录借方为正、贷方为负', 'In booking order, 50 a page; in each posting a debit is positive, a credit negative')}</caption>
              <thead><tr>
                <th scope="col" class="num">{say(lang, '序号', 'No.')}</th><th scope="col">{say(lang, '日期', 'Date')}</th><th scope="col">{say(lang, '类别', 'Kind')}</th>
                <th scope="col">{say(lang, '交易编号', 'Transaction id')}</th><th scope="col">{say(lang, '分录', 'Postings')}</th><th scope="col">{say(lang, '摘要', 'Memo')}</th>
              </tr></thead>
              <tbody>
                {props.transactions.length === 0 ? <tr><td colSpan={6} class="empty">{say(lang, '尚无交易', 'No transaction yet')}</td></tr> : props.transactions.map((tx) => (
                  <tr key={tx.id}>
                    <td class="num">{tx.seq}</td><td>{tx.bookedOn}</td><td>{kindName(lang, tx.kind)}</td><td><code>{tx.id}</code>{tx.reverses ? <><br />{say(lang, '冲正 ', 'reverses ')}<code>{tx.reverses}</code></> : null}</td>
                    <td>
                      <ul>
                        {tx.postings.map((posting) => <li>{accountName(lang, posting.account)} <Money fen={posting.amountFen} />{posting.reference ? <span class="muted"> · {posting.reference}</span> : null}</li>)}
                      </ul>
                    </td>
                    <td>{tx.memo || '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager lang={lang} firstUrl={here} nextUrl={props.nextUrl} target="#transactions-list" />
        </div>
      </Section>
    </ConsoleFrame>
  );
}

function MovementForm(props: { ctx: WebContext; action: string; prefix: string; title: string; button: string; hint: string }) {
  const { lang } = props.ctx;
  return (
    <form method="post" action={props.action} class="form">
      <CsrfField token={props.ctx.csrfToken} />
      <h3>{props.title}</h3>
      <p class="hint">{props.hint}</p>
      <Field id={`${props.prefix}-amount`} label={say(lang, '金额（元）', 'Amount (yuan)')} name="amount" required pattern={YUAN_PATTERN} inputmode="decimal" placeholder="18345.20" />
      <Field id={`${props.prefix}-reference`} label={say(lang, '银行流水号', 'Bank reference')} name="reference" required maxLength={200}
        hint={say(lang, '同一流水号只记一次：重复提交不会重复记账。', 'One entry per reference: submitting it again records nothing twice.')} />
      <Field id={`${props.prefix}-memo`} label={say(lang, '摘要（可选）', 'Memo (optional)')} name="memo" maxLength={2000} />
      <div class="actions"><button type="submit">{props.button}</button></div>
    </form>
  );
}
