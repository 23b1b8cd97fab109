import { say } from '../../../i18n.ts';
import type { WebContext } from '../../../web-context.ts';
import type { Outcome } from '../../../outcome.ts';
import { CsrfField, DataTable, Facts, Money, OutcomeFlash, Pager, Select, TextArea } from '../../ui.tsx';
import { ANSWER_CHANNELS, RESOLUTION_NAMES, wordOf } from '../../words.ts';
import { ConsoleFrame, consoleUrl } from '../console-frame.tsx';
import { offerUrl } from './offers.tsx';

export interface DisputeRow {
  offerId: string;
  investor: string;
  amountFen: bigint;
  runId: string | null;
  closesOn: string;
  reason: string | null;
  disputedOn: string | null;
  channel: string | null;
}

export interface ReviewedRow {
  offerId: string;
  investor: string;
  resolution: string;
  note: string;
  newOfferId: string | null;
  reviewedBy: string;
  reviewedOn: string;
}

/**
 * The review queue (异议复核): offers an investor disputed, with the reason given. A dispute is
 * upheld (the offer stands and opens again) or corrected by a finished rerun of the adopted plan,
 * whose result for the investor becomes a new offer.
 */
export function DisputesPage(props: {
  ctx: WebContext; caseId: string; caseTitle: string; total: number; rows: DisputeRow[]; nextUrl: string | null;
  reruns: { runId: string; label: string }[]; reviewed: ReviewedRow[]; canAct: boolean; outcome: Outcome | null;
}) {
  const { ctx } = props;
  const { lang } = ctx;
  const here = consoleUrl(props.caseId, 'disputes');
  return (
    <ConsoleFrame ctx={ctx} caseId={props.caseId} caseTitle={props.caseTitle} section="disputes" title={say(lang, '异议复核', 'Dispute review')}>
      <OutcomeFlash outcome={props.outcome} />
      <p class="lead" id="disputes-total">{say(lang, `待复核的异议：${props.total} 件`, `Disputes awaiting review: ${props.total}`)}</p>
      {props.rows.length === 0 ? <p class="muted">{say(lang, '没有待复核的异议。', 'No dispute is waiting for review.')}</p> : null}
      {props.rows.map((row) => (
        <section class="card dispute" id={`dispute-${row.offerId}`} aria-labelledby={`dispute-${row.offerId}-title`}>
          <div class="card-head">
            <h2 id={`dispute-${row.offerId}-title`}><a href={offerUrl(row.offerId)}>{row.investor}</a></h2>
            <Money fen={row.amountFen} />
          </div>
          <Facts items={[
            [say(lang, '异议理由', 'Reason given'), row.reason ?? '—'],
            [say(lang, '提出日期', 'Disputed on'), row.disputedOn ?? '—'],
            [say(lang, '渠道', 'Channel'), row.channel ? wordOf(lang, ANSWER_CHANNELS, row.channel) : '—'],
            [say(lang, '原答复期截止', 'Answer period ended'), row.closesOn],
            [say(lang, '要约', 'Offer'), <code>{row.offerId}</code>],
          ]} />
          {props.canAct ? (
            <div class="grid">
              <form method="post" action={`${offerUrl(row.offerId)}/resolve-dispute`} class="form">
                <CsrfField token={ctx.csrfToken} />
                <input type="hidden" name="resolution" value="upheld" />
                <h3>{say(lang, '维持原要约', 'Uphold the offer')}</h3>
                <TextArea id={`uphold-note-${row.offerId}`} label={say(lang, '复核说明', 'Review note')} name="note" required rows={3} maxLength={5000}
                  hint={say(lang, '原要约维持不变，并在迟到答复期内重新开放。', 'The offer stands and opens again for the late-claim period.')} />
                <div class="actions"><button type="submit">{say(lang, '维持', 'Uphold')}</button></div>
              </form>
              <form method="post" action={`${offerUrl(row.offerId)}/resolve-dispute`} class="form">
                <CsrfField token={ctx.csrfToken} />
                <input type="hidden" name="resolution" value="corrected" />
                <h3>{say(lang, '依重新计算更正', 'Correct by a rerun')}</h3>
                <TextArea id={`correct-note-${row.offerId}`} label={say(lang, '复核说明', 'Review note')} name="note" required rows={3} maxLength={5000} />
                {props.reruns.length === 0
                  ? <p class="muted">{say(lang, '尚无可用的重新计算批次：先用更正后的数据完成一次计算。', 'No rerun to rest on: first finish a run on the corrected data.')}</p>
                  : <Select id={`correct-run-${row.offerId}`} label={say(lang, '重新计算的批次', 'The rerun')} name="runId" required options={props.reruns.map((run) => ({ value: run.runId, label: run.label }))} />}
                <div class="actions"><button type="submit" class="secondary" disabled={props.reruns.length === 0}>{say(lang, '更正并发出新要约', 'Correct and make a new offer')}</button></div>
              </form>
            </div>
          ) : null}
        </section>
      ))}
      <Pager lang={lang} firstUrl={here} nextUrl={props.nextUrl} />
      <h2>{say(lang, '最近的复核', 'Recent reviews')}</h2>
      <DataTable
        caption={say(lang, '最近 20 件，新的在前', 'The latest 20, newest first')}
        rows={props.reviewed}
        rowKey={(row) => row.offerId}
        empty={say(lang, '尚无复核记录', 'No review yet')}
        columns={[
          { label: say(lang, '投资者', 'Investor'), cell: (row) => <a href={offerUrl(row.offerId)}>{row.investor}</a> },
          { label: say(lang, '结论', 'Outcome'), cell: (row) => wordOf(lang, RESOLUTION_NAMES, row.resolution) },
          { label: say(lang, '说明', 'Note'), cell: (row) => row.note },
          { label: say(lang, '新要约', 'New offer'), cell: (row) => (row.newOfferId ? <a href={offerUrl(row.newOfferId)}>{row.newOfferId}</a> : '—') },
          { label: say(lang, '复核人', 'Reviewed by'), cell: (row) => row.reviewedBy },
          { label: say(lang, '日期', 'Date'), cell: (row) => row.reviewedOn },
        ]}
      />
    </ConsoleFrame>
  );
}
