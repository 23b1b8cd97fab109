import type { CasePhase } from '../../../domain/procedure/case-progress.ts';
import { paren, say, type Lang } from '../../i18n.ts';
import type { WebContext } from '../../web-context.ts';
import { Layout } from '../layout.tsx';
import { Facts, percent, Tag } from '../ui.tsx';
import { phaseName } from '../words.ts';

export interface CaseListEntry {
  caseId: string;
  title: string;
  issuer: string | null;
  security: { code: string; name: string } | null;
  /** The decision or commitment that opened the case. */
  trigger: { kind: 'penalty-decision'; number: string; date: string; authority: string } | { kind: 'commitment'; number: string; date: string; authority: string } | null;
  phase: CasePhase;
  limitDate: string;
  daysLeft: number;
  breaches: number;
  offers: { made: number; accepted: number; paid: number };
}

/** A bar as wide as part/whole, its width computed in integers like every percentage shown. */
function ProgressBar(props: { part: number; whole: number; label: string }) {
  const width = props.whole === 0 ? '0%' : percent(props.part, props.whole);
  return (
    <div class="progress-line">
      <p>{props.label}</p>
      <div class="bar" aria-hidden="true"><span style={`width:${width}`}></span></div>
    </div>
  );
}

function daysLeftText(lang: Lang, entry: CaseListEntry) {
  if (entry.daysLeft < 0) return <span class="breach">{say(lang, `已超过期限 ${-entry.daysLeft} 天`, `${-entry.daysLeft} days past the limit`)}</span>;
  return say(lang, `剩余 ${entry.daysLeft} 天`, `${entry.daysLeft} days left`);
}

/** Every case, with where it stands: its phase, its three-month clock, and how far the offers have got. */
export function CaseListPage(props: { ctx: WebContext; cases: CaseListEntry[] }) {
  const { ctx } = props;
  const { lang } = ctx;
  const title = say(lang, '案件公示', 'Cases');
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p class="lead">{say(lang,
        '每个先行赔付案件自启动起须在三个月内完成，不因发行人复议或诉讼中止。下列信息向公众公开：公告、代表人选定、听证笔录、方案各版本和赔付进度。',
        'Each advance-compensation case must close within three months of opening and never pauses for the issuer\'s reconsideration or litigation. Published here: announcements, the choice of representatives, hearing records, every plan version and progress.')}</p>
      {props.cases.length === 0 ? <p class="muted">{say(lang, '目前没有案件。', 'There are no cases yet.')}</p> : null}
      <div class="case-list">
        {props.cases.map((entry) => {
          const href = `/cases/${encodeURIComponent(entry.caseId)}`;
          const trigger = entry.trigger;
          return (
            <article class="card" key={entry.caseId} data-case={entry.caseId} aria-labelledby={`case-${entry.caseId}`}>
              <div class="card-head">
                <h2 id={`case-${entry.caseId}`}><a href={href}>{entry.title}</a></h2>
                <Tag tone={entry.breaches > 0 ? 'bad' : 'info'}>{phaseName(lang, entry.phase)}</Tag>
              </div>
              <Facts items={[
                [say(lang, '证券', 'Security'), entry.security ? `${entry.security.name}${paren(lang, entry.security.code)}` : '—'],
                [say(lang, '发行人', 'Issuer'), entry.issuer ?? '—'],
                [trigger?.kind === 'commitment' ? say(lang, '当事人承诺', 'Commitment') : say(lang, '行政处罚决定', 'Penalty decision'),
                  trigger ? `${trigger.number}${paren(lang, `${trigger.authority}${say(lang, '，', ', ')}${trigger.date}`)}` : '—'],
                [say(lang, '期限届满日', 'Limit date'), <>{entry.limitDate}{say(lang, '（', ' (')}{daysLeftText(lang, entry)}{say(lang, '）', ')')}</>],
              ]} />
              {entry.breaches > 0 ? <p class="breach">{say(lang, `有 ${entry.breaches} 项期限违规`, `${entry.breaches} breaches of the time limit`)}</p> : null}
              {entry.offers.made > 0 ? (
                <>
                  <ProgressBar part={entry.offers.accepted} whole={entry.offers.made}
                    label={say(lang, `已接受 ${entry.offers.accepted} / ${entry.offers.made} 名投资者（${percent(entry.offers.accepted, entry.offers.made)}）`, `Accepted: ${entry.offers.accepted} of ${entry.offers.made} investors (${percent(entry.offers.accepted, entry.offers.made)})`)} />
                  <ProgressBar part={entry.offers.paid} whole={entry.offers.accepted}
                    label={say(lang, `已支付 ${entry.offers.paid} / ${entry.offers.accepted} 名已接受的投资者（${percent(entry.offers.paid, entry.offers.accepted)}）`, `Paid: ${entry.offers.paid} of ${entry.offers.accepted} who accepted (${percent(entry.offers.paid, entry.offers.accepted)})`)} />
                </>
              ) : <p class="muted">{say(lang, '尚未发出赔付要约。', 'No offers made yet.')}</p>}
              <p><a href={href}>{say(lang, '查看案件详情', 'See the case')}</a> · <a href={`${href}/progress`}>{say(lang, '赔付进度', 'Progress')}</a></p>
            </article>
          );
        })}
      </div>
    </Layout>
  );
}
