import type { Reconciliation, Share, Tally } from '../../../domain/fund/reconciliation.ts';
import { say, type Lang } from '../../i18n.ts';
import type { WebContext } from '../../web-context.ts';
import { ProgressChart } from '../charts.tsx';
import { Layout } from '../layout.tsx';
import { DataTable, Money, percent, yuan } from '../ui.tsx';
import { STATUS_WORDS } from '../words.ts';

/** What the public sees of the offers and payments: the figures of GET /api/v1/cases/:caseId/progress and the computation behind them. */
export type PublicProgress = Pick<Reconciliation, 'computed' | 'offered' | 'accepted' | 'refused' | 'disputed' | 'open' | 'paid'>;

export function progressFragmentUrl(caseId: string, lang: Lang): string {
  return `/cases/${encodeURIComponent(caseId)}/progress/fragment?lang=${lang}`;
}

interface ProgressRow {
  key: string;
  label: string;
  tally: Tally | Share;
}

/**
 * The live figures: counts and amounts with their shares of the offers made, and the chart. The
 * block fetches itself again every 30 seconds (htmx swaps the whole block, which carries the same
 * trigger); without script it is as fresh as the page.
 */
export function ProgressPanel(props: { lang: Lang; caseId: string; today: string; progress: PublicProgress }) {
  const { lang, progress } = props;
  const rows: ProgressRow[] = [
    { key: 'offered', label: say(lang, '已发出要约', 'Offers made'), tally: progress.offered },
    { key: 'accepted', label: STATUS_WORDS.offer.accepted[lang], tally: progress.accepted },
    { key: 'refused', label: STATUS_WORDS.offer.refused[lang], tally: progress.refused },
    { key: 'disputed', label: STATUS_WORDS.offer.disputed[lang], tally: progress.disputed },
    { key: 'open', label: STATUS_WORDS.offer.offered[lang], tally: progress.open },
    { key: 'paid', label: STATUS_WORDS.item.paid[lang], tally: progress.paid },
  ];
  const shareOf = (tally: Tally | Share, measure: 'count' | 'amount') =>
    'countPercent' in tally ? `${measure === 'count' ? tally.countPercent : tally.amountPercent}%` : '100.00%';
  return (
    <div id="live-progress" class="live-progress" hx-get={progressFragmentUrl(props.caseId, lang)} hx-trigger="every 30s" hx-swap="outerHTML">
      <div class="grid">
        <div class="stat" data-figure="computed">
          <div class="value">{progress.computed.payable.count}</div>
          <div class="label">{say(lang, `应获赔付的投资者（共计算 ${progress.computed.investors} 人）`, `investors owed compensation (of ${progress.computed.investors} computed)`)}</div>
        </div>
        <div class="stat" data-figure="accepted">
          <div class="value">{progress.accepted.count}</div>
          <div class="label">{say(lang, `已接受（${progress.accepted.countPercent}%），`, `accepted (${progress.accepted.countPercent}%), `)}<Money fen={progress.accepted.amountFen} /></div>
        </div>
        <div class="stat" data-figure="paid">
          <div class="value">{progress.paid.count}</div>
          <div class="label">{say(lang, `已支付，占已接受的 ${percent(progress.paid.count, progress.accepted.count)}，`, `paid, ${percent(progress.paid.count, progress.accepted.count)} of those accepted, `)}<Money fen={progress.paid.amountFen} /></div>
        </div>
      </div>
      <DataTable
        caption={say(lang, `要约与支付（截至 ${props.today}；百分比为占已发出要约的比例）`, `Offers and payments (as of ${props.today}; percentages of the offers made)`)}
        rowKey={(row) => row.key}
        rows={rows}
        empty={say(lang, '尚未发出要约', 'No offers yet')}
        columns={[
          { label: say(lang, '状态', 'Status'), cell: (row) => <span data-status={row.key}>{row.label}</span> },
          { label: say(lang, '人数', 'Investors'), numeric: true, cell: (row) => <span data-count={row.key}>{row.tally.count}</span> },
          { label: say(lang, '人数占比', 'Share by number'), numeric: true, cell: (row) => shareOf(row.tally, 'count') },
          { label: say(lang, '金额', 'Amount'), numeric: true, cell: (row) => <Money fen={row.tally.amountFen} /> },
          { label: say(lang, '金额占比', 'Share by amount'), numeric: true, cell: (row) => shareOf(row.tally, 'amount') },
        ]}
      />
      {progress.offered.count > 0 ? (
        <ProgressChart lang={lang} id={`progress-chart-${props.caseId}`} accepted={progress.accepted} refused={progress.refused} disputed={progress.disputed} open={progress.open} paid={progress.paid} />
      ) : null}
      <p class="muted">
        {say(lang,
          `应付总额 ${yuan(progress.computed.payable.amountFen)}。每 30 秒自动更新；只公布人数和金额，不含任何投资者的个人信息。`,
          `Total payable ${yuan(progress.computed.payable.amountFen)}. Updates itself every 30 seconds; only numbers and amounts are published, never an investor's personal data.`)}
      </p>
    </div>
  );
}

/** The progress page: the live figures on a page of their own. */
export function ProgressPage(props: { ctx: WebContext; caseId: string; caseTitle: string; progress: PublicProgress }) {
  const { ctx } = props;
  const { lang } = ctx;
  const title = say(lang, '赔付进度', 'Progress');
  return (
    <Layout ctx={ctx} title={`${title} · ${props.caseTitle}`}>
      <p class="muted"><a href="/cases">{say(lang, '案件公示', 'Cases')}</a> / <a href={`/cases/${encodeURIComponent(props.caseId)}`}>{props.caseTitle}</a></p>
      <h1>{title}</h1>
      <p class="lead">{say(lang,
        '按最近一次计算发出的要约统计：接受、拒绝、异议和未答复的人数与金额，以及已支付的部分（以每笔要约最近一次付款结果为准）。',
        'Counted over the offers made from the latest computation: how many investors, and how much, accepted, refused, disputed or have not answered, and what has been paid (each offer by its latest payment).')}</p>
      <section class="card" aria-labelledby="progress-title">
        <div class="card-head"><h2 id="progress-title">{say(lang, '人数与金额', 'Investors and amounts')}</h2></div>
        <ProgressPanel lang={lang} caseId={props.caseId} today={ctx.today} progress={props.progress} />
      </section>
      <p><a href={`/api/v1/cases/${encodeURIComponent(props.caseId)}/progress`}>{say(lang, '以 JSON 格式获取（API）', 'The same as JSON (API)')}</a></p>
    </Layout>
  );
}
