import type { Reconciliation, Share, Tally } from '../../../../domain/fund/reconciliation.ts';
import { say } from '../../../i18n.ts';
import type { WebContext } from '../../../web-context.ts';
import { Flash, Money, Section, Tag } from '../../ui.tsx';
import { STATUS_WORDS } from '../../words.ts';
import { ConsoleFrame } from '../console-frame.tsx';
import { Stat } from './fund-ui.tsx';

/**
 * The reconciliation (对账): the computation, the offers and payments, and the ledger are three
 * separate records; every check between them is shown with whether it holds, in red when not.
 */
export function ReconciliationPage(props: { ctx: WebContext; caseId: string; caseTitle: string; report: Reconciliation }) {
  const { ctx, report } = props;
  const { lang } = ctx;
  const offer = STATUS_WORDS.offer;
  const shares: [string, string, Share][] = [
    ['accepted', offer.accepted[lang], report.accepted],
    ['refused', offer.refused[lang], report.refused],
    ['disputed', offer.disputed[lang], report.disputed],
    ['open', offer.offered[lang], report.open],
    ['paid', STATUS_WORDS.item.paid[lang], report.paid],
    ['failed', STATUS_WORDS.item.failed[lang], report.failed],
  ];
  const tallies: [string, string, Tally][] = [
    ['payable', say(lang, '计算应付', 'Computed payable'), report.computed.payable],
    ['offered', say(lang, '已发出要约', 'Offered'), report.offered],
    ['superseded', offer.superseded[lang], report.superseded],
    ['awards', say(lang, '法院判决', 'Court awards'), report.awards],
  ];
  const failing = report.checks.filter((check) => !check.holds).length;
  return (
    <ConsoleFrame ctx={ctx} caseId={props.caseId} caseTitle={props.caseTitle} section="reconciliation" title={say(lang, '对账', 'Reconciliation')}>
      {report.balanced
        ? <Flash tone="good">{say(lang, `全部 ${report.checks.length} 项核对相符：计算、要约与付款、台账三方一致到分。`, `All ${report.checks.length} checks hold: the computation, the offers and payments, and the ledger agree to the fen.`)}</Flash>
        : <Flash tone="bad">{say(lang, `${failing} 项核对不符，见下表。`, `${failing} checks do not hold; see below.`)}</Flash>}
      <Section id="checks" title={say(lang, '核对', 'Checks')}>
        <div class="table-wrap" role="region" aria-label={say(lang, '核对', 'Checks')} tabindex={0}>
          <table>
            <caption>{say(lang, '三方记录之间必须成立的等式', 'The identities that must hold between the three records')}</caption>
            <thead><tr><th scope="col">{say(lang, '核对项', 'Check')}</th><th scope="col">{say(lang, '结果', 'Result')}</th><th scope="col">{say(lang, '明细', 'Detail')}</th></tr></thead>
            <tbody>
              {report.checks.map((check) => (
                <tr key={check.name} id={`check-${check.name}`} class={check.holds ? undefined : 'breach'}>
                  <th scope="row"><code>{check.name}</code></th>
                  <td>{check.holds ? <Tag tone="good">{say(lang, '相符', 'holds')}</Tag> : <Tag tone="bad">{say(lang, '不符', 'differs')}</Tag>}</td>
                  <td>{check.detail[lang]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>
      <Section id="figures" title={say(lang, '人数、金额与比例', 'Counts, amounts and shares')}>
        <div class="table-wrap" role="region" aria-label={say(lang, '人数、金额与比例', 'Counts, amounts and shares')} tabindex={0}>
          <table>
            <caption>{say(lang, `比例以已发出的要约为基数（${report.offered.count} 份）`, `Shares are of the offers made (${report.offered.count})`)}</caption>
            <thead><tr>
              <th scope="col">{say(lang, '项目', 'Item')}</th><th scope="col" class="num">{say(lang, '人数', 'Count')}</th><th scope="col" class="num">{say(lang, '金额', 'Amount')}</th>
              <th scope="col" class="num">{say(lang, '人数占比', 'Share by count')}</th><th scope="col" class="num">{say(lang, '金额占比', 'Share by amount')}</th>
            </tr></thead>
            <tbody>
              <tr><th scope="row">{say(lang, '计算的投资者', 'Investors computed')}</th><td class="num">{report.computed.investors}</td><td class="num">—</td><td class="num">—</td><td class="num">—</td></tr>
              {tallies.map(([key, label, tally]) => (
                <tr key={key} id={`figure-${key}`}><th scope="row">{label}</th><td class="num">{tally.count}</td><td class="num"><Money fen={tally.amountFen} /></td><td class="num">—</td><td class="num">—</td></tr>
              ))}
              {shares.map(([key, label, share]) => (
                <tr key={key} id={`figure-${key}`}><th scope="row">{label}</th><td class="num">{share.count}</td><td class="num"><Money fen={share.amountFen} /></td><td class="num">{share.countPercent}%</td><td class="num">{share.amountPercent}%</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>
      <Section id="fund" title={say(lang, '基金', 'The fund')}>
        <div class="grid">
          <Stat label={say(lang, '出资到账', 'Contributed')}><Money fen={report.fund.contributedFen} /></Stat>
          <Stat label={say(lang, '利息收入', 'Interest earned')}><Money fen={report.fund.interestEarnedFen} /></Stat>
          <Stat label={say(lang, '托管账户余额', 'In custody')}><Money fen={report.fund.custodyFen} /></Stat>
          <Stat label={say(lang, '应付未付', 'Payable')}><Money fen={report.fund.payableFen} /></Stat>
          <Stat label={say(lang, '可自由支配资金', 'Free funds')}><Money fen={report.fund.freeFundsFen} /></Stat>
          <Stat label={say(lang, '资金缺口', 'Shortfall')}><span class={report.fund.shortfallFen > 0n ? 'breach' : undefined}><Money fen={report.fund.shortfallFen} /></span></Stat>
        </div>
      </Section>
    </ConsoleFrame>
  );
}
