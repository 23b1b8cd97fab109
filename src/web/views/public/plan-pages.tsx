import type { PlanChange } from '../../../domain/plan/plan-diff.ts';
import type { PlanDocument } from '../../../domain/plan/plan-document.ts';
import type { ReviewFlag } from '../../../domain/plan/standard-terms-review.ts';
import { say, type Lang } from '../../i18n.ts';
import type { WebContext } from '../../web-context.ts';
import { Layout } from '../layout.tsx';
import { Facts, Flash, Section, Tag } from '../ui.tsx';
import { fundFacts, lossParameterFacts, timetableFacts } from '../plan-facts.tsx';
import { reviewRuleName, versionName } from './public-words.tsx';

export interface PlanVersionSummary {
  version: number;
  adopted: boolean;
  flags: number;
}

export interface PlanPageProps {
  ctx: WebContext;
  caseId: string;
  caseTitle: string;
  version: number;
  hash: string;
  document: PlanDocument;
  proposedOn: string;
  proposedBy: string;
  adopted: boolean;
  /** The standard-terms review's flags, each with the reason it was overruled, if it was. */
  flags: (ReviewFlag & { overruled: string | null })[];
  versions: PlanVersionSummary[];
}

function caseUrl(caseId: string): string {
  return `/cases/${encodeURIComponent(caseId)}`;
}

function Breadcrumb(props: { lang: Lang; caseId: string; caseTitle: string }) {
  return (
    <p class="muted">
      <a href="/cases">{say(props.lang, '案件公示', 'Cases')}</a> / <a href={caseUrl(props.caseId)}>{props.caseTitle}</a> / <a href={`${caseUrl(props.caseId)}#plans`}>{say(props.lang, '赔付方案', 'Plans')}</a>
    </p>
  );
}

function VersionLinks(props: { lang: Lang; caseId: string; versions: PlanVersionSummary[]; current: number }) {
  return (
    <nav class="subnav" aria-label={say(props.lang, '方案各版本', 'Plan versions')}>
      {props.versions.map((entry) => (
        <a href={`${caseUrl(props.caseId)}/plans/${entry.version}`} aria-current={entry.version === props.current ? 'page' : undefined}>
          {versionName(props.lang, entry.version)}{entry.adopted ? say(props.lang, '（已通过）', ' (adopted)') : ''}{entry.flags > 0 ? say(props.lang, `（${entry.flags} 项审查提示）`, ` (${entry.flags} flags)`) : ''}
        </a>
      ))}
    </nav>
  );
}

/**
 * One version of the compensation plan, as published: the document in words, with the clauses the
 * standard-terms review (格式条款审查) flagged marked where they stand.
 */
export function PlanPage(props: PlanPageProps) {
  const { ctx, document } = props;
  const { lang } = ctx;
  const base = caseUrl(props.caseId);
  const flagsOf = (clauseId: string) => props.flags.filter((flag) => flag.clauseId === clauseId);
  const standing = props.flags.filter((flag) => flag.overruled === null).length;
  return (
    <Layout ctx={ctx} title={`${versionName(lang, props.version)} · ${document.title}`}>
      <Breadcrumb lang={lang} caseId={props.caseId} caseTitle={props.caseTitle} />
      <h1>{document.title}<span class="muted"> · {versionName(lang, props.version)}</span></h1>
      <VersionLinks lang={lang} caseId={props.caseId} versions={props.versions} current={props.version} />
      <Facts items={[
        [say(lang, '版本', 'Version'), String(props.version)],
        [say(lang, '提出人', 'Proposed by'), props.proposedBy],
        [say(lang, '提出日期', 'Proposed on'), props.proposedOn],
        ['SHA-256', <code>{props.hash}</code>],
        [say(lang, '状态', 'Status'), props.adopted ? <Tag tone="good">{say(lang, '经听证通过', 'Adopted at the hearing')}</Tag> : <Tag>{say(lang, '未通过', 'Not adopted')}</Tag>],
      ]} />
      {props.flags.length > 0 ? (
        <Flash tone="bad">
          {say(lang,
            `格式条款审查提示 ${props.flags.length} 项${standing < props.flags.length ? `（其中 ${props.flags.length - standing} 项已附理由驳回）` : ''}：标出的条款可能免除出资人责任、加重投资者负担或排除投资者主要权利（《民法典》第四百九十六条、第四百九十七条）；提示未经驳回的，本版本不能通过。`,
            `The standard-terms review raised ${props.flags.length} flags${standing < props.flags.length ? ` (${props.flags.length - standing} overruled with a reason)` : ''}: the marked clauses may exempt the funders, burden investors or exclude their main rights (Civil Code Arts. 496–497); a version with a standing flag cannot be adopted.`)}
        </Flash>
      ) : <Flash tone="good">{say(lang, '格式条款审查未发现问题。', 'The standard-terms review raised no flags.')}</Flash>}
      {props.versions.length > 1 ? (
        <p class="actions">
          <a class="button secondary" href={`${base}/plans/${props.version}/diff?against=${props.version > 1 ? props.version - 1 : props.versions.find((entry) => entry.version !== props.version)!.version}`}>
            {props.version > 1 ? say(lang, `与第 ${props.version - 1} 版对比`, `Compare with version ${props.version - 1}`) : say(lang, '与其他版本对比', 'Compare with another version')}
          </a>
        </p>
      ) : null}
      <Section id="loss" title={say(lang, '损失计算参数', 'How losses are computed')}>
        <Facts items={lossParameterFacts(lang, document.lossParameters)} />
      </Section>
      <Section id="fund" title={say(lang, '赔付基金', 'The fund')}>
        <Facts items={fundFacts(lang, document.fund)} />
      </Section>
      <Section id="timetable" title={say(lang, '时间安排', 'Timetable')}>
        <Facts items={timetableFacts(lang, document.timetable)} />
      </Section>
      <Section id="late" title={say(lang, '逾期申报', 'Late claims')}>
        <Facts items={[[say(lang, '补充申报期限', 'Late-claim period'), say(lang, `赔付结束日后 ${document.latePolicy.lateClaimDays} 日`, `${document.latePolicy.lateClaimDays} days after the end date`)]]} />
        <p>{document.latePolicy.text}</p>
      </Section>
      <Section id="dispute" title={say(lang, '争议处理渠道', 'Where to dispute')}>
        <p>{document.disputeChannel}</p>
      </Section>
      <Section id="agreement" title={say(lang, '和解协议', 'The settlement agreement')}>
        <p><strong>{document.agreement.title}</strong> <span class="muted">{say(lang, `（协议文本语言：${document.agreement.language === 'zh' ? '中文' : '英文'}）`, ` (written in ${document.agreement.language === 'zh' ? 'Chinese' : 'English'})`)}</span></p>
        <ol class="agreement">
          {document.agreement.clauses.map((clause) => {
            const flags = flagsOf(clause.id);
            return (
              <li id={`clause-${clause.id}`} data-clause={clause.id} data-flagged={flags.length > 0 ? 'true' : undefined}>
                <p><span class="muted">[{clause.id}]</span> {clause.text}</p>
                {flags.map((flag) => (
                  <div class={flag.overruled === null ? 'flash flash-bad' : 'flash flash-info'} data-flag={flag.id}>
                    <Tag tone={flag.overruled === null ? 'bad' : 'warn'}>{say(lang, '审查提示：', 'Flag: ')}{reviewRuleName(lang, flag.ruleId)}</Tag>
                    <p>{say(lang, '所涉语句：', 'The sentence: ')}{say(lang, `「${flag.excerpt}」`, `“${flag.excerpt}”`)}</p>
                    <p>{flag.explanation[lang]}</p>
                    {flag.overruled !== null ? <p>{say(lang, '已驳回，理由：', 'Overruled, because: ')}{flag.overruled}</p> : null}
                  </div>
                ))}
              </li>
            );
          })}
        </ol>
      </Section>
    </Layout>
  );
}

export interface PlanDiffPageProps {
  ctx: WebContext;
  caseId: string;
  caseTitle: string;
  from: { version: number; hash: string };
  to: { version: number; hash: string };
  changes: PlanChange[];
  /** One readable line per change, in the page's language (formatPlanDiff). */
  lines: string[];
  versions: PlanVersionSummary[];
}

/** What changed between two versions, a line per change, with the full texts on request. */
export function PlanDiffPage(props: PlanDiffPageProps) {
  const { ctx } = props;
  const { lang } = ctx;
  const base = caseUrl(props.caseId);
  const title = say(lang, `第 ${props.to.version} 版与第 ${props.from.version} 版的差异`, `Version ${props.to.version} against version ${props.from.version}`);
  return (
    <Layout ctx={ctx} title={`${title} · ${props.caseTitle}`}>
      <Breadcrumb lang={lang} caseId={props.caseId} caseTitle={props.caseTitle} />
      <h1>{title}</h1>
      <form method="get" action={`${base}/plans/${props.to.version}/diff`} class="filters">
        <input type="hidden" name="lang" value={lang} />
        <div class="field">
          <label for="against">{say(lang, `第 ${props.to.version} 版对比：`, `Compare version ${props.to.version} with:`)}</label>
          <select id="against" name="against">
            {props.versions.filter((entry) => entry.version !== props.to.version).map((entry) => (
              <option value={String(entry.version)} selected={entry.version === props.from.version}>{versionName(lang, entry.version)}</option>
            ))}
          </select>
        </div>
        <button type="submit">{say(lang, '对比', 'Compare')}</button>
      </form>
      <Facts items={[
        [say(lang, `第 ${props.from.version} 版 SHA-256`, `Version ${props.from.version} SHA-256`), <code>{props.from.hash}</code>],
        [say(lang, `第 ${props.to.version} 版 SHA-256`, `Version ${props.to.version} SHA-256`), <code>{props.to.hash}</code>],
      ]} />
      <p class="actions">
        <a href={`${base}/plans/${props.from.version}`}>{say(lang, `查看第 ${props.from.version} 版`, `Read version ${props.from.version}`)}</a>
        <a href={`${base}/plans/${props.to.version}`}>{say(lang, `查看第 ${props.to.version} 版`, `Read version ${props.to.version}`)}</a>
      </p>
      <Section id="changes" title={say(lang, `${props.changes.length} 处变化`, `${props.changes.length} changes`)}>
        {props.changes.length === 0 ? <p>{props.lines[0]}</p> : (
          <ol class="diff">
            {props.changes.map((change, index) => (
              <li data-path={change.path} data-kind={change.kind}>
                <p>{props.lines[index]}</p>
                {change.before !== undefined || change.after !== undefined ? (
                  <details>
                    <summary>{say(lang, '完整内容', 'In full')}</summary>
                    {change.before !== undefined ? <p>{say(lang, '原：', 'Before: ')}<del class="diff-removed">{change.before}</del></p> : null}
                    {change.after !== undefined ? <p>{say(lang, '新：', 'After: ')}<ins class="diff-added">{change.after}</ins></p> : null}
                  </details>
                ) : null}
              </li>
            ))}
          </ol>
        )}
      </Section>
    </Layout>
  );
}
