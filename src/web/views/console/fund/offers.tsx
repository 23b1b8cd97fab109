import type { ComponentChildren } from 'preact';
import type { CalculationSheet } from '../../../../domain/loss/calculation-sheet.ts';
import { say } from '../../../i18n.ts';
import type { WebContext } from '../../../web-context.ts';
import type { Outcome } from '../../../outcome.ts';
import { CsrfField, DataTable, Facts, Money, OutcomeFlash, Pager, Section, Select, StatusTag, TextArea, yuan } from '../../ui.tsx';
import { ANSWER_CHANNELS, ANSWER_KINDS, RESOLUTION_NAMES, STATUS_WORDS, wordOf } from '../../words.ts';
import { ConsoleFrame, consoleUrl } from '../console-frame.tsx';
import { chinaTime, InvestorListFilters, Stat, withQuery } from './fund-ui.tsx';
import { resultUrl } from './runs.tsx';
import { SheetSummary } from '../../calculation-sheet.tsx';

export interface OfferListRow {
  offerId: string;
  investor: string;
  amountFen: bigint;
  status: string;
  source: string;
  opensOn: string;
  closesOn: string;
  issuedAt: Date;
}

export interface StatusCount {
  status: string;
  count: number;
  totalFen: bigint;
}

export function offerUrl(offerId: string): string {
  return `/console/offers/${encodeURIComponent(offerId)}`;
}

export function OffersPage(props: {
  ctx: WebContext; caseId: string; caseTitle: string; counts: StatusCount[]; filters: { status: string; q: string };
  rows: OfferListRow[]; nextUrl: string | null; outcome: Outcome | null;
}) {
  const { ctx } = props;
  const { lang } = ctx;
  const here = consoleUrl(props.caseId, 'offers');
  const all = props.counts.reduce((sum, entry) => sum + entry.count, 0);
  return (
    <ConsoleFrame ctx={ctx} caseId={props.caseId} caseTitle={props.caseTitle} section="offers" title={say(lang, '赔付要约', 'Offers')}>
      <OutcomeFlash outcome={props.outcome} />
      <div class="grid" role="group" aria-label={say(lang, '各状态的要约数与金额', 'Offers and amounts by status')}>
        <Stat id="offers-all" label={say(lang, '全部要约', 'All offers')}>{all}</Stat>
        {Object.entries(STATUS_WORDS.offer).map(([status, word]) => {
          const entry = props.counts.find((count) => count.status === status);
          return (
            <Stat id={`offers-${status}`} label={word[lang]} note={entry ? say(lang, `金额 ${yuan(entry.totalFen)}`, `amount ${yuan(entry.totalFen)}`) : undefined}>
              <a href={withQuery(here, { status })}>{entry?.count ?? 0}</a>
            </Stat>
          );
        })}
      </div>
      <Section id="offer-list" title={say(lang, '要约列表', 'The offers')}>
        <div id="offers-list">
          <InvestorListFilters lang={lang} action={here} list="offers" family="offer" filters={props.filters} />
          <DataTable
            caption={say(lang, '按投资者编号排序，每页 50 份', 'In investor order, 50 a page')}
            rows={props.rows}
            rowKey={(row) => row.offerId}
            empty={say(lang, '没有符合条件的要约', 'No offer matches')}
            columns={[
              { label: say(lang, '投资者', 'Investor'), cell: (row) => <a href={offerUrl(row.offerId)}>{row.investor}</a> },
              { label: say(lang, '状态', 'Status'), cell: (row) => <StatusTag lang={lang} of="offer" status={row.status} /> },
              { label: say(lang, '金额', 'Amount'), cell: (row) => <Money fen={row.amountFen} />, numeric: true },
              { label: say(lang, '答复期', 'Answer period'), cell: (row) => `${row.opensOn} – ${row.closesOn}` },
              { label: say(lang, '来源', 'Source'), cell: (row) => (row.source === 'court-award' ? say(lang, '法院判决', 'court award') : say(lang, '计算', 'computation')) },
              { label: say(lang, '要约编号', 'Offer id'), cell: (row) => <code>{row.offerId}</code> },
            ]}
          />
          <Pager lang={lang} firstUrl={withQuery(here, { status: props.filters.status, q: props.filters.q })} nextUrl={props.nextUrl} target="#offers-list" />
        </div>
      </Section>
    </ConsoleFrame>
  );
}

export interface OfferDetail {
  offerId: string;
  caseId: string;
  runId: string | null;
  investor: string;
  amountFen: bigint;
  status: string;
  source: string;
  awardReference: string | null;
  planVersion: number;
  planSha256: string;
  agreementSha256: string;
  opensOn: string;
  closesOn: string;
  issuedAt: Date;
}

export interface AnswerRow {
  kind: string;
  channel: string;
  answeredOn: string;
  answeredAt: Date;
  actorId: string;
  agreementSha256: string;
  reason: string | null;
}

export interface ReviewRow {
  resolution: string;
  note: string;
  runId: string | null;
  newOfferId: string | null;
  reviewedBy: string;
  reviewedOn: string;
}

export function OfferPage(props: {
  ctx: WebContext; caseTitle: string; offer: OfferDetail; answers: AnswerRow[]; review: ReviewRow | null; replaces: string | null;
  sheet: CalculationSheet | null; agreementTitle: string; canAct: boolean; outcome: Outcome | null;
}) {
  const { ctx, offer } = props;
  const { lang } = ctx;
  const pdf = `${offerUrl(offer.offerId)}/statement.pdf`;
  return (
    <ConsoleFrame ctx={ctx} caseId={offer.caseId} caseTitle={props.caseTitle} section="offers" title={`${say(lang, '要约', 'Offer')} ${offer.offerId}`}>
      <OutcomeFlash outcome={props.outcome} />
      <p><a href={withQuery(consoleUrl(offer.caseId, 'offers'), { q: offer.investor })}>{say(lang, '← 要约列表', '← All offers')}</a></p>
      <p class="amount-big" id="offer-amount"><Money fen={offer.amountFen} /></p>
      <Facts items={[
        [say(lang, '投资者', 'Investor'), offer.investor],
        [say(lang, '状态', 'Status'), <StatusTag lang={lang} of="offer" status={offer.status} />],
        [say(lang, '答复期', 'Answer period'), `${offer.opensOn} – ${offer.closesOn}`],
        [say(lang, '发出时间', 'Issued'), chinaTime(offer.issuedAt)],
        [say(lang, '来源', 'Source'), offer.source === 'court-award' ? say(lang, `法院判决 ${offer.awardReference ?? ''}`, `court award ${offer.awardReference ?? ''}`) : offer.runId ? <a href={resultUrl(offer.caseId, offer.runId, offer.investor)}>{say(lang, `计算批次 ${offer.runId}`, `run ${offer.runId}`)}</a> : '—'],
        [say(lang, '方案', 'Plan'), <>v{offer.planVersion} <code>{offer.planSha256}</code></>],
        [say(lang, '和解协议 SHA-256', 'Agreement SHA-256'), <code>{offer.agreementSha256}</code>],
        [say(lang, '协议', 'Agreement'), props.agreementTitle],
      ]} />
      {props.replaces ? <p>{say(lang, '本要约替代了经复核更正的要约 ', 'This offer replaces, after review, the offer ')}<a href={offerUrl(props.replaces)}>{props.replaces}</a></p> : null}
      <p class="actions">
        {offer.runId !== null ? (
          <>
            <a class="button secondary" href={withQuery(pdf, { lang: 'zh' })}>{say(lang, '下载要约及计算说明（PDF，中文）', 'Statement PDF (Chinese)')}</a>
            <a class="button secondary" href={withQuery(pdf, { lang: 'en' })}>{say(lang, '下载要约及计算说明（PDF，英文）', 'Statement PDF (English)')}</a>
          </>
        ) : <span class="muted">{say(lang, '法院判决确定的金额没有计算说明。', 'An amount fixed by a court has no calculation sheet.')}</span>}
        <a class="button secondary" href={`${offerUrl(offer.offerId)}/agreement.pdf`}>{say(lang, '下载和解协议（PDF）', 'Settlement agreement PDF')}</a>
      </p>
      <Section id="answers" title={say(lang, '答复记录', 'Answers')}>
        <DataTable
          caption={say(lang, '按时间顺序', 'In order of time')}
          rows={props.answers}
          rowKey={(answer) => `${answer.kind}:${answer.answeredAt.toISOString()}`}
          empty={say(lang, '尚未答复', 'No answer yet')}
          columns={[
            { label: say(lang, '答复', 'Answer'), cell: (answer) => wordOf(lang, ANSWER_KINDS, answer.kind) },
            { label: say(lang, '渠道', 'Channel'), cell: (answer) => wordOf(lang, ANSWER_CHANNELS, answer.channel) },
            { label: say(lang, '答复日', 'Answered on'), cell: (answer) => answer.answeredOn },
            { label: say(lang, '记录人', 'Recorded by'), cell: (answer) => answer.actorId },
            { label: say(lang, '协议 SHA-256', 'Agreement SHA-256'), cell: (answer) => <code>{answer.agreementSha256}</code> },
            { label: say(lang, '理由', 'Reason'), cell: (answer) => answer.reason ?? '—' },
          ]}
        />
      </Section>
      {props.review !== null ? (
        <Section id="review" title={say(lang, '异议复核', 'Dispute review')}>
          <Facts items={[
            [say(lang, '结论', 'Outcome'), wordOf(lang, RESOLUTION_NAMES, props.review.resolution)],
            [say(lang, '说明', 'Note'), props.review.note],
            [say(lang, '复核人', 'Reviewed by'), `${props.review.reviewedBy} · ${props.review.reviewedOn}`],
            ...(props.review.newOfferId ? [[say(lang, '新要约', 'New offer'), <a href={offerUrl(props.review.newOfferId)}>{props.review.newOfferId}</a>] as [string, ComponentChildren]] : []),
          ]} />
        </Section>
      ) : null}
      {props.sheet !== null ? (
        <Section id="sheet" title={say(lang, '计算说明摘要', 'Calculation summary')}>
          <SheetSummary lang={lang} sheet={props.sheet} totalFen={offer.amountFen} />
          <Facts items={[
            [say(lang, '本金', 'Principal'), props.sheet.compensation.principal.value],
            [say(lang, '佣金', 'Commission'), props.sheet.compensation.commission.value],
            [say(lang, '印花税', 'Stamp duty'), props.sheet.compensation.stampDuty.value],
            [say(lang, '利息', 'Interest'), props.sheet.compensation.interest.value],
            [say(lang, '计算合计（元）', 'Computed total (yuan)'), props.sheet.compensation.total],
          ]} />
          {offer.runId !== null ? <p><a href={resultUrl(offer.caseId, offer.runId, offer.investor)}>{say(lang, '查看完整计算明细表', 'See the whole calculation sheet')}</a></p> : null}
        </Section>
      ) : null}
      {props.canAct && offer.status === 'offered' ? <CounterForm {...props} /> : null}
    </ConsoleFrame>
  );
}

/** An answer the investor gives in person at the fund's counter, recorded by an administrator. */
function CounterForm(props: { ctx: WebContext; offer: OfferDetail }) {
  const { ctx, offer } = props;
  const { lang } = ctx;
  return (
    <Section id="counter" title={say(lang, '登记柜台答复', 'Record an answer given at the counter')}>
      <form method="post" action={`${offerUrl(offer.offerId)}/counter`} class="form narrow">
        <CsrfField token={ctx.csrfToken} />
        <input type="hidden" name="agreementSha256" value={offer.agreementSha256} />
        <p class="hint">{say(lang, '投资者本人到柜台，核验身份并阅读协议后作出的答复。接受即签署和解协议并转让对责任主体的债权。', 'The investor in person, identity checked and the agreement read. Accepting signs the settlement agreement and assigns the claims against the liable parties.')}</p>
        <Select id="counter-kind" label={say(lang, '投资者的答复', 'The investor\'s answer')} name="kind" required options={[
          { value: 'accept', label: say(lang, '接受', 'Accept') }, { value: 'refuse', label: say(lang, '拒绝（保留诉权）', 'Refuse (keeps the right to sue)') }, { value: 'dispute', label: say(lang, '提出异议（进入复核）', 'Dispute (goes to review)') },
        ]} />
        <TextArea id="counter-reason" label={say(lang, '异议理由', 'Reason for a dispute')} name="reason" rows={3} maxLength={5000} hint={say(lang, '提出异议时必填。', 'Required for a dispute.')} />
        <div class="actions"><button type="submit">{say(lang, '登记答复', 'Record the answer')}</button></div>
      </form>
    </Section>
  );
}
