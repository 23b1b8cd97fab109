import type { CalculationSheet } from '../../domain/loss/calculation-sheet.ts';
import type { PlanDocument } from '../../domain/plan/plan-document.ts';
import { say, withNote, type Lang } from '../i18n.ts';
import type { ChartSeries } from '../market-series.ts';
import type { Outcome } from '../outcome.ts';
import type { WebContext } from '../web-context.ts';
import { CalculationSheetView } from './calculation-sheet.tsx';
import { PriceChart } from './charts.tsx';
import { Layout } from './layout.tsx';
import { CsrfField, Facts, Money, OutcomeFlash, Section, StatusTag, TextArea } from './ui.tsx';
import { ANSWER_CHANNELS, ANSWER_KINDS, wordOf } from './words.ts';

export type OfferStatus = 'offered' | 'accepted' | 'refused' | 'disputed' | 'superseded';

export interface PortalOffer {
  offerId: string;
  caseTitle: string;
  security: string;
  amountFen: bigint;
  status: OfferStatus;
  opensOn: string;
  closesOn: string;
  agreementSha256: string;
  payment: PaymentStanding;
}

/** Where the money of an accepted offer is: from the latest payment attempt. */
export type PaymentStanding =
  | { kind: 'none' }
  | { kind: 'waiting' }
  | { kind: 'in-batch'; status: 'pending' | 'sent'; attempt: number }
  | { kind: 'paid'; on: string }
  | { kind: 'failed'; reason: string; attempt: number };

export function paymentText(lang: Lang, payment: PaymentStanding): string {
  switch (payment.kind) {
    case 'none': return '—';
    case 'waiting': return say(lang, '等待列入下一支付批次', 'waiting for the next payment batch');
    case 'in-batch': return payment.status === 'pending' ? say(lang, '已列入支付批次，待批准划付', 'in a payment batch, awaiting approval') : say(lang, '已发出划付指令', 'payment instruction sent');
    case 'paid': return say(lang, `已于 ${payment.on} 划付到账`, `paid on ${payment.on}`);
    case 'failed': return say(lang, `划付失败（${payment.reason}），管理人将联系您补正账户后重新划付`, `payment failed (${payment.reason}); the administrator will ask for a corrected account and pay again`);
  }
}

/** The investor's home: every offer made to them, with its standing. */
export function PortalHome(props: { ctx: WebContext; offers: PortalOffer[] }) {
  const { ctx } = props;
  const { lang } = ctx;
  return (
    <Layout ctx={ctx} title={say(lang, '我的赔付', 'My offers')}>
      <h1>{say(lang, '我的赔付', 'My offers')}</h1>
      {props.offers.length === 0 ? <p>{say(lang, '暂无向您发出的赔付要约。', 'No offer has been made to you.')}</p> : (
        <div class="grid">
          {props.offers.map((offer) => (
            <div class="card">
              <p class="muted">{offer.caseTitle}</p>
              <p class="amount-big"><Money fen={offer.amountFen} /></p>
              <p><StatusTag lang={lang} of="offer" status={offer.status} /> {offer.status === 'accepted' ? <span>{paymentText(lang, offer.payment)}</span> : null}</p>
              <p class="muted">{say(lang, `答复期 ${offer.opensOn} 至 ${offer.closesOn}`, `Answer by ${offer.closesOn} (from ${offer.opensOn})`)}</p>
              <p><a class="button" href={`/portal/offers/${encodeURIComponent(offer.offerId)}`}>{say(lang, '查看要约和计算说明', 'See the offer and its calculation')}</a></p>
            </div>
          ))}
        </div>
      )}
    </Layout>
  );
}

export interface OfferPageProps {
  ctx: WebContext;
  offer: PortalOffer;
  sheet: CalculationSheet | null;
  plan: PlanDocument;
  chart: ChartSeries | null;
  refusing: { zh: string; en: string };
  answers: { kind: string; channel: string; answeredOn: string }[];
  /** The outcome of the last form, shown at the top. */
  outcome: Outcome | null;
}

/** One offer: the amount, what to do, the chart, the calculation, the agreement and what refusing means. */
export function OfferPage(props: OfferPageProps) {
  const { ctx, offer, sheet, plan } = props;
  const { lang } = ctx;
  const open = offer.status === 'offered' && ctx.today >= offer.opensOn && ctx.today <= offer.closesOn;
  const base = `/portal/offers/${encodeURIComponent(offer.offerId)}`;
  return (
    <Layout ctx={ctx} title={say(lang, '赔付要约', 'Your offer')}>
      <p class="muted"><a href="/portal">{say(lang, '我的赔付', 'My offers')}</a> / {offer.caseTitle}</p>
      <h1>{say(lang, '先行赔付要约', 'Advance compensation offer')}</h1>
      <OutcomeFlash outcome={props.outcome} />
      <Section id="offer" title={say(lang, '要约金额', 'The amount offered')}>
        <p class="amount-big" id="amount"><Money fen={offer.amountFen} /></p>
        <Facts items={[
          [say(lang, '状态', 'Status'), <StatusTag lang={lang} of="offer" status={offer.status} />],
          [say(lang, '答复期', 'Answer period'), `${offer.opensOn} — ${offer.closesOn}`],
          [say(lang, '证券', 'Security'), offer.security],
          [say(lang, '支付', 'Payment'), offer.status === 'accepted' ? paymentText(lang, offer.payment) : '—'],
        ]} />
        {props.answers.length > 0 ? (
          <p class="muted">{props.answers.map((answer) => `${answer.answeredOn} ${withNote(lang, wordOf(lang, ANSWER_KINDS, answer.kind), wordOf(lang, ANSWER_CHANNELS, answer.channel))}`).join(say(lang, '；', '; '))}</p>
        ) : null}
      </Section>

      {open ? (
        <Section id="answer" title={say(lang, '您的答复', 'Your answer')}>
          <div class="grid">
            <form method="post" action={`${base}/accept`} class="form card">
              <CsrfField token={ctx.csrfToken} />
              <input type="hidden" name="agreementSha256" value={offer.agreementSha256} />
              <h3>{say(lang, '接受', 'Accept')}</h3>
              <p>{say(lang, '接受即与出资人达成和解，在获赔范围内的索赔权利转让给出资人。', 'Accepting settles with the funders and assigns your claims, up to the amount paid, to them.')}</p>
              <div class="field">
                <label><input type="checkbox" name="read" value="yes" required /> {say(lang, '我已阅读并同意下方的和解协议', 'I have read and agree to the settlement agreement below')}</label>
              </div>
              <button type="submit">{say(lang, '接受赔付', 'Accept the offer')}</button>
            </form>
            <form method="post" action={`${base}/refuse`} class="form card">
              <CsrfField token={ctx.csrfToken} />
              <h3>{say(lang, '拒绝', 'Refuse')}</h3>
              <p>{props.refusing[lang]}</p>
              <button type="submit" class="secondary">{say(lang, '拒绝赔付', 'Refuse the offer')}</button>
            </form>
            <form method="post" action={`${base}/dispute`} class="form card">
              <CsrfField token={ctx.csrfToken} />
              <h3>{say(lang, '提出异议', 'Dispute')}</h3>
              <TextArea name="reason" label={say(lang, '异议理由（例如漏计的交易）', 'What is wrong (e.g. a missing trade)')} required rows={3} />
              <button type="submit" class="secondary">{say(lang, '提交异议', 'Send the dispute')}</button>
            </form>
          </div>
        </Section>
      ) : null}

      <Section id="downloads" title={say(lang, '下载', 'Downloads')}>
        <ul>
          <li><a href={`${base}/statement.pdf`} download>{say(lang, '要约、计算说明及和解协议（PDF，中文）', 'Offer, calculation and agreement (PDF, Chinese)')}</a></li>
          <li><a href={`${base}/statement.pdf?lang=en`} download>{say(lang, '英文版（PDF）', 'The same in English (PDF)')}</a></li>
          <li><a href={`${base}/agreement.pdf`} download>{offer.status === 'accepted' ? say(lang, '已订立的和解协议（PDF）', 'The settlement agreement you entered into (PDF)') : say(lang, '和解协议文本（PDF）', 'The settlement agreement (PDF)')}</a></li>
        </ul>
      </Section>

      {props.chart && sheet ? (
        <Section id="chart" title={say(lang, '股价与对比指数', 'The stock against the reference index')}>
          <PriceChart lang={lang} security={{ code: sheet.security.code, name: sheet.security.name }} stock={props.chart.stock} index={props.chart.index}
            dates={{ implementation: sheet.keyDates.implementationDate, disclosure: sheet.keyDates.disclosureDate, base: sheet.keyDates.baseDate }}
            trades={sheet.history.flatMap((event) => (event.kind === 'trade' ? [{ time: event.trade.time, side: event.trade.side === 'B' ? 'buy' as const : 'sell' as const, quantity: event.trade.quantity, price: event.trade.price }] : []))} />
        </Section>
      ) : null}

      {sheet ? (
        <Section id="sheet" title={say(lang, '计算说明', 'How the amount was computed')}>
          <CalculationSheetView lang={lang} sheet={sheet} level={3} />
        </Section>
      ) : null}

      <Section id="agreement" title={plan.agreement.title}>
        <div class="agreement" lang="zh-CN">
          <ol>{plan.agreement.clauses.map((clause) => <li id={`clause-${clause.id}`}>{clause.text}</li>)}</ol>
        </div>
        <p class="muted">{say(lang, '协议文本 SHA-256：', 'SHA-256 of the agreement: ')}<code>{offer.agreementSha256}</code></p>
      </Section>

      <Section id="refusing" title={say(lang, '拒绝意味着什么', 'What refusing means')}>
        <p>{props.refusing[lang]}</p>
        <p>{say(lang, `答复期（${offer.closesOn}）届满未答复的，视为不接受。`, `Not answering by ${offer.closesOn} counts as not accepting.`)}</p>
      </Section>
    </Layout>
  );
}
