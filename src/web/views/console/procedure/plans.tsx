import type { CaseState, PlanVersion } from '../../../../domain/procedure/case-state.ts';
import type { planDiffView } from '../../../../server/api/case-views.ts';
import { labelled, say, withNote, type Lang } from '../../../i18n.ts';
import type { Outcome } from '../../../outcome.ts';
import type { WebContext } from '../../../web-context.ts';
import { DataTable, Facts, OutcomeFlash, Section, Tag } from '../../ui.tsx';
import { roleName } from '../../words.ts';
import { fundFacts, timetableFacts } from '../../plan-facts.tsx';
import { ConsoleFrame, consoleUrl } from '../console-frame.tsx';
import { AreaField, CommandForm, Hash, mayIssue, SelectField, Unavailable } from './shared.tsx';

export type PlanDiff = NonNullable<ReturnType<typeof planDiffView>>;

export function planVersionUrl(caseId: string, version: number): string {
  return `${consoleUrl(caseId, 'plans')}/${version}`;
}

/** The flags of a version that no reason has overruled: while any stands, the version cannot be adopted. */
function standingFlags(plan: PlanVersion) {
  return plan.flags.filter((flag) => !plan.overrules.some((overrule) => overrule.flagId === flag.id));
}

function FlagsTable(props: { lang: Lang; plan: PlanVersion; caseId: string; linkClauses: boolean }) {
  const { lang, plan } = props;
  return (
    <DataTable
      caption={say(lang, `第 ${plan.version} 版的格式条款审查提示（《民法典》第四百九十六、四百九十七条）`, `Standard-terms review flags of version ${plan.version} (Civil Code arts. 496–497)`)}
      rowKey={(row) => row.id}
      empty={say(lang, '无审查提示', 'No review flag')}
      rows={plan.flags}
      columns={[
        { label: say(lang, '条款', 'Clause'), cell: (row) => (props.linkClauses ? <a href={`#clause-${row.clauseId}`}>{row.clauseId}</a> : <a href={`${planVersionUrl(props.caseId, plan.version)}#clause-${row.clauseId}`}>{row.clauseId}</a>) },
        { label: say(lang, '规则', 'Rule'), cell: (row) => <code>{row.ruleId}</code> },
        { label: say(lang, '条款原文', 'Excerpt'), cell: (row) => row.excerpt },
        { label: say(lang, '说明', 'Why flagged'), cell: (row) => row.explanation[lang] },
        {
          label: say(lang, '处理', 'Status'),
          cell: (row) => {
            const overrule = plan.overrules.find((entry) => entry.flagId === row.id);
            return overrule
              ? <><Tag tone="neutral">{say(lang, '已驳回', 'overruled')}</Tag> <span class="muted">{labelled(lang, `${overrule.on} ${overrule.by}`, overrule.reason)}</span></>
              : <Tag tone="warn">{say(lang, '未处理', 'standing')}</Tag>;
          },
        },
      ]}
    />
  );
}

export interface PlansProps {
  ctx: WebContext;
  caseId: string;
  caseTitle: string;
  state: CaseState;
  outcome: Outcome | null;
}

/** The plan's versions (赔付方案, procedure.md step 6), their review, and the one the hearing adopted. */
export function PlansPage(props: PlansProps) {
  const { ctx, state, caseId } = props;
  const { lang } = ctx;
  const adopted = state.adoptedPlan;
  const closed = state.hearing?.closed ?? null;
  const isHost = ctx.actor.role === 'hearing-host' && state.hearingHost?.id === ctx.actor.id;
  const canAdopt = mayIssue(ctx.actor.role, 'adopt-plan') && isHost && closed !== null && adopted === null && state.planVersions.length > 0;
  const canPropose = mayIssue(ctx.actor.role, 'propose-plan-version') && closed === null && adopted === null;
  const mayAct = mayIssue(ctx.actor.role, 'adopt-plan') || mayIssue(ctx.actor.role, 'propose-plan-version');
  return (
    <ConsoleFrame ctx={ctx} caseId={caseId} caseTitle={props.caseTitle} section="plans" title={say(lang, '赔付方案', 'Plans')}>
      <OutcomeFlash outcome={props.outcome} />

      <Section id="adopted" title={say(lang, '通过的方案', 'The adopted plan')}>
        {adopted === null ? <p class="muted">{say(lang, '尚未通过方案。方案只能依据封存的听证笔录通过。', 'No plan is adopted yet. A plan is adopted only on the closed hearing record.')}</p> : (
          <Facts items={[
            [say(lang, '版本', 'Version'), <a href={planVersionUrl(caseId, adopted.version)}>{say(lang, `第 ${adopted.version} 版`, `version ${adopted.version}`)}</a>],
            [say(lang, '通过日', 'Adopted on'), adopted.adoptedOn],
            [say(lang, '方案哈希', 'Plan hash'), <Hash value={adopted.planHash} />],
            [say(lang, '所依据的听证笔录哈希', 'Hearing record it rests on'), <Hash value={adopted.hearingRecordHash} />],
          ]} />
        )}
      </Section>

      <Section id="versions" title={say(lang, '方案各版本', 'Plan versions')}>
        <DataTable
          caption={say(lang, `共 ${state.planVersions.length} 个版本，均已公布`, `${state.planVersions.length} versions, all published`)}
          rowKey={(row) => String(row.version)}
          empty={say(lang, '尚无方案', 'No plan yet')}
          rows={state.planVersions}
          columns={[
            { label: say(lang, '版本', 'Version'), cell: (row) => <a href={planVersionUrl(caseId, row.version)}>{say(lang, `第 ${row.version} 版`, `v${row.version}`)}</a> },
            { label: say(lang, '提出人', 'Proposed by'), cell: (row) => withNote(lang, row.proposedBy.id, roleName(lang, row.proposedBy.role)) },
            { label: say(lang, '提出日', 'On'), cell: (row) => row.proposedOn },
            { label: say(lang, '方案哈希', 'Hash'), cell: (row) => <Hash value={row.hash} /> },
            {
              label: say(lang, '审查提示', 'Review flags'),
              cell: (row) => {
                const standing = standingFlags(row).length;
                if (row.flags.length === 0) return <Tag tone="good">{say(lang, '无', 'none')}</Tag>;
                return standing > 0
                  ? <Tag tone="warn">{say(lang, `${row.flags.length} 项，未处理 ${standing} 项`, `${row.flags.length}, ${standing} standing`)}</Tag>
                  : <Tag tone="neutral">{say(lang, `${row.flags.length} 项，均已驳回`, `${row.flags.length}, all overruled`)}</Tag>;
              },
            },
            { label: say(lang, '通过', 'Adopted'), cell: (row) => (adopted?.version === row.version ? <Tag tone="good">{say(lang, '已通过', 'adopted')}</Tag> : '—') },
            { label: say(lang, '对比', 'Changes'), cell: (row) => (row.version > 1 ? <a href={`${planVersionUrl(caseId, row.version)}?against=${row.version - 1}#diff`}>{say(lang, `与第 ${row.version - 1} 版对比`, `against v${row.version - 1}`)}</a> : '—') },
          ]}
        />
      </Section>

      <Section id="flags" title={say(lang, '格式条款审查', 'Standard-terms review')}>
        <p class="muted">{say(lang, '出资人拟定、投资者只能接受或拒绝的和解协议属于格式条款；免除出资人责任、加重投资者责任或排除其主要权利的条款被标出。提示未处理（或经主持人说明理由驳回）前，该版本不能通过。', 'The settlement agreement is a standard-form contract: terms that exempt the funders, add to the investors\' burdens or exclude their main rights are flagged. A version cannot be adopted while a flag stands, unless the host overrules it with a reason.')}</p>
        {state.planVersions.filter((plan) => plan.flags.length > 0).map((plan) => <FlagsTable lang={lang} plan={plan} caseId={caseId} linkClauses={false} />)}
        {state.planVersions.every((plan) => plan.flags.length === 0) ? <p>{say(lang, '各版本均无审查提示。', 'No version has a review flag.')}</p> : null}
      </Section>

      {mayAct ? (
        <Section id="actions" title={say(lang, '办理', 'Actions')}>
          {canAdopt && closed ? (
            <CommandForm ctx={ctx} caseId={caseId} type="adopt-plan" title={say(lang, '依据封存的笔录通过方案', 'Adopt the plan on the closed record')} submit={say(lang, '通过', 'Adopt')}
              hint={say(lang, `所引笔录哈希：${closed.recordHash}。所选版本须以其方案哈希列于笔录证据中，且无未处理的审查提示。`, `Citing the record hash ${closed.recordHash}. The version must be in the record's evidence under its plan hash, with no review flag standing.`)}>
              <input type="hidden" name="hearingRecordHash" value={closed.recordHash} />
              <SelectField label={say(lang, '版本', 'Version')} name="version" options={state.planVersions.map((plan) => ({
                value: String(plan.version),
                label: `${say(lang, `第 ${plan.version} 版`, `Version ${plan.version}`)}${standingFlags(plan).length > 0 ? say(lang, '（有未处理的审查提示）', ' (review flags standing)') : ''}`,
              }))} />
            </CommandForm>
          ) : null}
          {canPropose ? (
            <CommandForm ctx={ctx} caseId={caseId} type="propose-plan-version" title={say(lang, '提出方案新版本', 'Propose a plan version')} submit={say(lang, '提出并公布', 'Propose and publish')}
              hint={say(lang, '粘贴方案文件（JSON）。提出即公布，并自动进行格式条款审查；听证笔录封存后不能再提出。', 'Paste the plan document (JSON). It is published as proposed and reviewed for unfair standard terms at once; no version can be proposed after the hearing record is closed.')}>
              <AreaField label={say(lang, '方案文件（JSON）', 'Plan document (JSON)')} name="document" required rows={14} />
            </CommandForm>
          ) : null}
          {!canAdopt && !canPropose ? (
            <Unavailable>
              {adopted !== null
                ? say(lang, `方案已于 ${adopted.adoptedOn} 通过，不能再提出或通过其他版本。`, `The plan was adopted on ${adopted.adoptedOn}: no other version can be proposed or adopted.`)
                : closed !== null
                  ? say(lang, '听证笔录已封存：只有本案听证主持人可以依据笔录通过方案。', "The hearing record is closed: only the case's hearing host can adopt a plan on it.")
                  : say(lang, '笔录封存后，由听证主持人依据笔录通过方案。', 'Once the record is closed, the hearing host adopts the plan on it.')}
            </Unavailable>
          ) : null}
        </Section>
      ) : null}
    </ConsoleFrame>
  );
}

export interface PlanVersionProps {
  ctx: WebContext;
  caseId: string;
  caseTitle: string;
  state: CaseState;
  plan: PlanVersion;
  /** What changed from `against` to this version; null for the first version or an unknown `against`. */
  diff: PlanDiff | null;
  outcome: Outcome | null;
}

/** One plan version as published: its document, its review flags, and what changed from another version. */
export function PlanVersionPage(props: PlanVersionProps) {
  const { ctx, state, caseId, plan, diff } = props;
  const { lang } = ctx;
  const { document } = plan;
  const adopted = state.adoptedPlan?.version === plan.version;
  const flaggedClauses = new Set(plan.flags.map((flag) => flag.clauseId));
  const isHost = ctx.actor.role === 'hearing-host' && state.hearingHost?.id === ctx.actor.id;
  const canOverrule = mayIssue(ctx.actor.role, 'overrule-review-flag') && isHost && state.adoptedPlan === null;
  const standing = standingFlags(plan);
  const others = state.planVersions.filter((other) => other.version !== plan.version);
  return (
    <ConsoleFrame ctx={ctx} caseId={caseId} caseTitle={props.caseTitle} section="plans" title={say(lang, `赔付方案第 ${plan.version} 版`, `Plan version ${plan.version}`)}>
      <OutcomeFlash outcome={props.outcome} />
      <p><a href={consoleUrl(caseId, 'plans')}>{say(lang, '← 全部版本', '← All versions')}</a></p>

      <Section id="version" title={document.title}>
        <Facts items={[
          [say(lang, '方案哈希', 'Plan hash'), <Hash value={plan.hash} />],
          [say(lang, '提出人', 'Proposed by'), withNote(lang, plan.proposedBy.id, roleName(lang, plan.proposedBy.role))],
          [say(lang, '提出日', 'Proposed on'), plan.proposedOn],
          [say(lang, '状态', 'Status'), adopted ? <Tag tone="good">{say(lang, '已通过', 'adopted')}</Tag> : standing.length > 0 ? <Tag tone="warn">{say(lang, `有 ${standing.length} 项未处理的审查提示`, `${standing.length} review flags standing`)}</Tag> : <Tag tone="neutral">{say(lang, '未通过', 'not adopted')}</Tag>],
        ]} />
      </Section>

      <Section id="timetable" title={say(lang, '时间表与基金', 'Timetable and fund')}>
        <Facts items={[...timetableFacts(lang, document.timetable, state.limitDate), ...fundFacts(lang, document.fund)]} />
        <h3>{say(lang, '逾期申报', 'Late claims')}</h3>
        <p>{say(lang, `${document.latePolicy.lateClaimDays} 日：`, `${document.latePolicy.lateClaimDays} days: `)}{document.latePolicy.text}</p>
        <h3>{say(lang, '异议渠道', 'Dispute channel')}</h3>
        <p>{document.disputeChannel}</p>
      </Section>

      <Section id="agreement" title={say(lang, '和解协议', 'Settlement agreement')}>
        <div class="agreement" lang={document.agreement.language === 'zh' ? 'zh-CN' : 'en'}>
          <h3>{document.agreement.title}</h3>
          <ol>
            {document.agreement.clauses.map((clause) => (
              <li id={`clause-${clause.id}`}>
                {flaggedClauses.has(clause.id) ? <><Tag tone="bad">{say(lang, `审查提示（${clause.id}）`, `flagged (${clause.id})`)}</Tag>{' '}</> : null}
                {clause.text}
              </li>
            ))}
          </ol>
        </div>
      </Section>

      <Section id="flags" title={say(lang, '格式条款审查提示', 'Review flags')}>
        <FlagsTable lang={lang} plan={plan} caseId={caseId} linkClauses={true} />
        {canOverrule ? standing.map((flag) => (
          <CommandForm ctx={ctx} caseId={caseId} type="overrule-review-flag" scope={`overrule-${flag.id.replace(/[^A-Za-z0-9_-]/g, '-')}`} title={say(lang, `驳回审查提示 ${flag.id}`, `Overrule review flag ${flag.id}`)} submit={say(lang, '驳回', 'Overrule')}
            hint={say(lang, '驳回须说明理由，理由将公布。', 'An overruling needs a reason, which is published.')}>
            <input type="hidden" name="version" value={String(plan.version)} />
            <input type="hidden" name="flagId" value={flag.id} />
            <AreaField label={say(lang, `驳回 ${flag.id} 的理由`, `Why ${flag.id} is overruled`)} name="reason" required rows={3} />
          </CommandForm>
        )) : null}
      </Section>

      <Section id="parameters" title={say(lang, '损失计算参数', 'Loss parameters')}>
        <pre>{JSON.stringify(document.lossParameters, null, 2)}</pre>
      </Section>

      <Section id="diff" title={say(lang, '版本对比', 'Changes between versions')}>
        {others.length === 0 ? <p class="muted">{say(lang, '只有这一个版本。', 'This is the only version.')}</p> : (
          <form method="get" action={planVersionUrl(caseId, plan.version)} class="filters">
            <SelectField label={say(lang, '与哪个版本对比', 'Compare with')} name="against" value={diff ? String(diff.from.version) : undefined}
              options={others.map((other) => ({ value: String(other.version), label: say(lang, `第 ${other.version} 版`, `Version ${other.version}`) }))} />
            <button type="submit" class="secondary">{say(lang, '对比', 'Compare')}</button>
          </form>
        )}
        {diff ? (
          <>
            <p>{say(lang, `从第 ${diff.from.version} 版到第 ${diff.to.version} 版：`, `From version ${diff.from.version} to version ${diff.to.version}:`)}</p>
            <DataTable
              caption={say(lang, `${diff.changes.length} 处变化`, `${diff.changes.length} changes`)}
              rowKey={(row) => `${row.path}-${row.kind}`}
              empty={say(lang, '两个版本的内容相同', 'The two versions are the same')}
              rows={diff.changes}
              columns={[
                { label: say(lang, '位置', 'Field'), cell: (row) => <code>{row.path}</code> },
                { label: say(lang, '变化', 'Change'), cell: (row) => (row.kind === 'added' ? say(lang, '新增', 'added') : row.kind === 'removed' ? say(lang, '删除', 'removed') : say(lang, '修改', 'changed')) },
                { label: say(lang, '原内容', 'Before'), cell: (row) => (row.before === undefined ? '—' : <span class="diff-removed">{row.before}</span>) },
                { label: say(lang, '新内容', 'After'), cell: (row) => (row.after === undefined ? '—' : <span class="diff-added">{row.after}</span>) },
              ]}
            />
            <h3>{say(lang, '摘要', 'Summary')}</h3>
            <pre>{diff.text[lang]}</pre>
          </>
        ) : null}
      </Section>
    </ConsoleFrame>
  );
}
