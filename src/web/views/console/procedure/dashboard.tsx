import type { Actor } from '../../../../domain/access/roles.ts';
import { epochDay } from '../../../../domain/market/calendar-date.ts';
import type { CaseProgress, Deadline, DeadlineKind } from '../../../../domain/procedure/case-progress.ts';
import type { CaseState } from '../../../../domain/procedure/case-state.ts';
import { DRAW_POOLS } from '../../../../domain/procedure/lot-draw.ts';
import { say, withNote, type Bilingual, type Lang } from '../../../i18n.ts';
import type { Outcome } from '../../../outcome.ts';
import type { WebContext } from '../../../web-context.ts';
import { DataTable, Facts, OutcomeFlash, percent, Section, Tag, yuan } from '../../ui.tsx';
import { CHALLENGE_KIND_NAMES, DEADLINE_NAMES, PHASE_NAMES, roleName, wordOf } from '../../words.ts';
import { ConsoleFrame, consoleUrl, type ConsoleSection } from '../console-frame.tsx';
import { AreaField, CommandForm, InputField, mayIssue, SelectField } from './shared.tsx';

/** Where the fund's side of a case stands (steps 8–11), as counted from the offers, batches and ledger. */
export interface FundMilestones {
  offers: { offered: number; accepted: number; refused: number; disputed: number };
  batches: { prepared: number; approved: number; sent: number; settled: number };
  /** The day what was left in the fund was handed back, which closes the case; null before. */
  residualReturnedOn: string | null;
}

export interface WaitingNotice {
  seq: number;
  kind: string;
  publishOn: string;
  title: Bilingual;
}

export type StepStatus = 'done' | 'current' | 'upcoming';

export interface TimelineStep {
  key: 'trigger' | 'opening' | 'announcement' | 'selection' | 'hearing' | 'plan' | 'computation' | 'offers' | 'payment' | 'close';
  title: Bilingual;
  when: Bilingual;
  detail: Bilingual | null;
  status: StepStatus;
  /** Breaches of the three-month limit that fall on this step. */
  breaches: Bilingual[];
  /** Deadlines of this step that passed unmet. */
  overdue: Bilingual[];
}

const STEP_OF_DEADLINE: Record<DeadlineKind, TimelineStep['key']> = {
  opening: 'opening',
  'announcement-end': 'announcement',
  hearing: 'hearing',
  'plan-adoption': 'plan',
  'review-end': 'plan',
  'acceptance-opens': 'offers',
  'acceptance-closes': 'offers',
  payment: 'payment',
  'plan-end': 'close',
  limit: 'close',
};

const both = (zh: string, en: string): Bilingual => ({ zh, en });

/**
 * The procedure from the penalty decision to the close, each step with its date or deadline and
 * whether it is done: steps 1–7 from the case's state and progress, 8–11 from the fund's records.
 * The first step not done is the current one.
 */
export function procedureTimeline(state: CaseState, progress: CaseProgress, fund: FundMilestones, today: string): TimelineStep[] {
  const deadline = (kind: DeadlineKind): Deadline | undefined => progress.deadlines.find((entry) => entry.kind === kind);
  const announcement = state.announcement;
  const hearing = state.hearing;
  const adopted = state.adoptedPlan;
  const latestRun = state.computationRuns.at(-1);
  const seatsSettled = announcement !== null && (state.draw !== null || DRAW_POOLS.every((pool) => state.seats[pool].length >= announcement.seats[pool]));
  const issued = fund.offers.offered + fund.offers.accepted + fund.offers.refused + fund.offers.disputed;
  const opens = deadline('acceptance-opens');
  const closes = deadline('acceptance-closes');
  const payment = deadline('payment');
  const planEnd = deadline('plan-end');
  const adoptionDue = deadline('plan-adoption');
  const inFlight = fund.batches.prepared + fund.batches.approved + fund.batches.sent;

  const steps: (Omit<TimelineStep, 'status' | 'breaches' | 'overdue'> & { done: boolean })[] = [
    state.penalty
      ? { key: 'trigger', title: both('行政处罚决定', 'Penalty decision'), when: both(state.penalty.decisionDate, state.penalty.decisionDate), detail: both(`${state.penalty.authority} ${state.penalty.decisionNumber}`, `${state.penalty.authority} ${state.penalty.decisionNumber}`), done: true }
      : { key: 'trigger', title: both('当事人承诺', 'Commitment'), when: both(state.commitment!.committedOn, state.commitment!.committedOn), detail: both(`${state.commitment!.authority} ${state.commitment!.commitmentNumber}`, `${state.commitment!.authority} ${state.commitment!.commitmentNumber}`), done: true },
    { key: 'opening', title: both('程序启动', 'Opening'), when: both(state.openedOn, state.openedOn), detail: both(`期限届满日 ${state.limitDate}`, `limit date ${state.limitDate}`), done: today >= state.openedOn },
    {
      key: 'announcement',
      title: both('公告期', 'Announcement period'),
      when: announcement ? both(`${announcement.openedOn} 至 ${announcement.endsOn}`, `${announcement.openedOn} to ${announcement.endsOn}`) : both('尚未开始', 'not opened yet'),
      detail: announcement ? both(`代表 ${announcement.seats.representatives} 席，律师 ${announcement.seats.lawyers} 席`, `${announcement.seats.representatives} representatives, ${announcement.seats.lawyers} lawyers`) : null,
      done: announcement !== null && today > announcement.endsOn,
    },
    {
      key: 'selection',
      title: both('代表人选定与抽签', 'Selection and draw'),
      when: state.draw ? both(`抽签于 ${state.draw.on}`, `lots drawn on ${state.draw.on}`) : seatsSettled ? both('全部协商确定', 'all chosen by agreement') : both('待定', 'pending'),
      detail: announcement
        ? both(
          `代表 ${state.seats.representatives.length}/${announcement.seats.representatives} 席，律师 ${state.seats.lawyers.length}/${announcement.seats.lawyers} 席`,
          `representatives ${state.seats.representatives.length}/${announcement.seats.representatives}, lawyers ${state.seats.lawyers.length}/${announcement.seats.lawyers}`)
        : null,
      done: seatsSettled,
    },
    {
      key: 'hearing',
      title: both('听证', 'Hearing'),
      when: hearing
        ? both(`听证日 ${hearing.notice.date}${hearing.closed ? `，笔录于 ${hearing.closed.on} 封存` : ''}`, `held on ${hearing.notice.date}${hearing.closed ? `, record closed on ${hearing.closed.on}` : ''}`)
        : both('尚未安排', 'not scheduled yet'),
      detail: state.hearingHost ? both(`主持人 ${state.hearingHost.name}`, `host ${state.hearingHost.name}`) : both('尚未指定主持人', 'no host appointed yet'),
      done: hearing?.closed != null,
    },
    {
      key: 'plan',
      title: both('方案通过', 'Plan adopted'),
      when: adopted
        ? both(`第 ${adopted.version} 版于 ${adopted.adoptedOn} 通过`, `version ${adopted.version} adopted on ${adopted.adoptedOn}`)
        : both(`应于 ${adoptionDue?.due ?? state.limitDate} 前通过`, `due by ${adoptionDue?.due ?? state.limitDate}`),
      detail: both(`已提出 ${state.planVersions.length} 个版本`, `${state.planVersions.length} versions proposed`),
      done: adopted !== null,
    },
    {
      key: 'computation',
      title: both('计算', 'Computation'),
      when: latestRun ? both(`${latestRun.recordedOn}（${latestRun.runId}）`, `${latestRun.recordedOn} (${latestRun.runId})`) : both('尚未计算', 'not run yet'),
      detail: latestRun
        ? both(`应付 ${latestRun.counts.payable} 人，合计 ${yuan(latestRun.totalPayableFen)}`, `${latestRun.counts.payable} payable, ${yuan(latestRun.totalPayableFen)} in all`)
        : null,
      done: latestRun !== undefined,
    },
    {
      key: 'offers',
      title: both('要约与受理期', 'Offers and acceptance window'),
      when: opens && closes ? both(`${opens.due} 至 ${closes.due}`, `${opens.due} to ${closes.due}`) : both('方案通过后确定', 'set by the adopted plan'),
      detail: issued > 0
        ? both(
          `已发出 ${issued} 份：接受 ${fund.offers.accepted}，拒绝 ${fund.offers.refused}，异议 ${fund.offers.disputed}，待答复 ${fund.offers.offered}`,
          `${issued} issued: ${fund.offers.accepted} accepted, ${fund.offers.refused} refused, ${fund.offers.disputed} disputed, ${fund.offers.offered} open`)
        : null,
      done: issued > 0 && closes !== undefined && today > closes.due,
    },
    {
      key: 'payment',
      title: both('支付', 'Payment'),
      when: payment ? both(`支付日 ${payment.due}`, `payment date ${payment.due}`) : both('方案通过后确定', 'set by the adopted plan'),
      detail: fund.batches.prepared + fund.batches.approved + fund.batches.sent + fund.batches.settled > 0
        ? both(
          `支付批次：待批准 ${fund.batches.prepared}，已批准 ${fund.batches.approved}，已发送 ${fund.batches.sent}，已结清 ${fund.batches.settled}`,
          `payment batches: ${fund.batches.prepared} awaiting approval, ${fund.batches.approved} approved, ${fund.batches.sent} sent, ${fund.batches.settled} settled`)
        : null,
      done: fund.batches.settled > 0 && inFlight === 0,
    },
    {
      key: 'close',
      title: both('结案', 'Close'),
      when: fund.residualReturnedOn
        ? both(`${fund.residualReturnedOn} 结案`, `closed on ${fund.residualReturnedOn}`)
        : planEnd
          ? both(`方案结束日 ${planEnd.due}，期限届满日 ${state.limitDate}`, `plan ends ${planEnd.due}, limit date ${state.limitDate}`)
          : both(`期限届满日 ${state.limitDate}`, `limit date ${state.limitDate}`),
      detail: null,
      done: fund.residualReturnedOn !== null,
    },
  ];

  let currentFound = false;
  return steps.map(({ done, ...step }) => {
    let status: StepStatus = 'done';
    if (!done) {
      status = currentFound ? 'upcoming' : 'current';
      currentFound = true;
    }
    const breaches = progress.breaches
      .filter((breach) => (breach.deadline === null ? 'close' : STEP_OF_DEADLINE[breach.deadline]) === step.key)
      .map((breach) => breach.message);
    const overdue = progress.deadlines
      .filter((entry) => entry.overdue && STEP_OF_DEADLINE[entry.kind] === step.key)
      .map((entry) => both(`${DEADLINE_NAMES[entry.kind].zh}已于 ${entry.due} 到期而未完成`, `${DEADLINE_NAMES[entry.kind].en} was due on ${entry.due} and is not reached`));
    return { ...step, status, breaches, overdue };
  });
}

interface NextStep {
  text: Bilingual;
  section: ConsoleSection;
}

/** What the reader, in their role and seat in this case, can do next. */
export function nextSteps(state: CaseState, progress: CaseProgress, fund: FundMilestones, actor: Actor): NextStep[] {
  const steps: NextStep[] = [];
  const add = (section: ConsoleSection, zh: string, en: string) => steps.push({ section, text: { zh, en } });
  const hearing = state.hearing;
  const signed = (id: string) => hearing?.signatures.some((signature) => signature.signerId === id) ?? false;
  const seatedAtHearing = hearing?.participants.some((seat) => seat.participantId === actor.id) ?? false;
  const mustSign = hearing !== null && hearing.openedOn !== null && hearing.closed === null && !signed(actor.id);
  const recordOpen = hearing?.closed == null && state.adoptedPlan === null;
  switch (actor.role) {
    case 'administrator': {
      if (state.funders.length === 0) add('funding', '登记出资人及其认缴金额', 'Register the funders and their pledges');
      if (state.shortfallFen > 0n) add('funding', `资金缺口 ${yuan(state.shortfallFen)}：确认出资人补足的到账`, `Shortfall of ${yuan(state.shortfallFen)}: confirm the funders' top-up deposits`);
      if (state.announcement === null) add('announcement', '发布公告，开始征集投资者代表和律师', 'Open the announcement and call for representatives and lawyers');
      if (progress.phase === 'announcement') add('announcement', '记录申请人协商确定的人选', 'Record the seats the applicants agreed on');
      if (progress.phase === 'selection') add('announcement', '公布种子并抽签', 'Reveal the seed and draw the lots');
      if (state.hearingHost === null) add('hearing', '指定听证主持人', 'Appoint the hearing host');
      if (progress.phase === 'computation') add('runs', '按通过的方案启动计算', 'Start a computation on the adopted plan');
      const issued = fund.offers.offered + fund.offers.accepted + fund.offers.refused + fund.offers.disputed;
      if (state.computationRuns.length > 0 && issued === 0) add('offers', '发出赔付要约', 'Issue the offers');
      if (fund.offers.disputed > 0) add('disputes', `复核 ${fund.offers.disputed} 件异议`, `Review ${fund.offers.disputed} disputes`);
      if (fund.batches.prepared > 0) add('payments', `批准 ${fund.batches.prepared} 个支付批次（须由制作人以外的管理人批准）`, `Approve ${fund.batches.prepared} payment batches (not one you prepared)`);
      if (fund.batches.approved > 0) add('payments', `发送 ${fund.batches.approved} 个已批准的支付批次`, `Send ${fund.batches.approved} approved payment batches`);
      break;
    }
    case 'hearing-host': {
      if (state.hearingHost?.id !== actor.id) {
        add('hearing', '您不是本案指定的听证主持人，只能查看', 'You are not the appointed host of this case: you can read only');
        break;
      }
      if (hearing === null) add('hearing', '安排听证（至少提前 3 日通知）', "Schedule the hearing (3 days' notice at least)");
      else if (hearing.openedOn === null) add('hearing', `安排双方同等席位，并于 ${hearing.notice.date} 开始听证`, `Seat both sides equally and open the hearing on ${hearing.notice.date}`);
      else if (hearing.closed === null) {
        if (hearing.signatures.length === 0) add('hearing', '记录发言、异议和证据', 'Record statements, objections and evidence');
        if (mustSign) add('hearing', '签署听证笔录', 'Sign the hearing record');
        add('hearing', '全体签名后封存笔录', 'Close the record once everyone has signed');
      } else if (state.adoptedPlan === null) add('plans', '处理审查提示，依据封存的笔录通过方案', 'Deal with the review flags and adopt the plan on the closed record');
      break;
    }
    case 'funder':
      if (recordOpen) add('plans', '提出方案新版本', 'Propose a new plan version');
      if (seatedAtHearing && mustSign) add('hearing', '签署听证笔录', 'Sign the hearing record');
      if (state.shortfallFen > 0n) add('funding', `资金缺口 ${yuan(state.shortfallFen)}，请补足出资`, `Shortfall of ${yuan(state.shortfallFen)}: top up the fund`);
      break;
    case 'representative':
    case 'lawyer':
      if (progress.phase === 'announcement' && !state.applicants.some((applicant) => applicant.applicantId === actor.id)) {
        add('announcement', `在 ${state.announcement!.endsOn} 前提出申请`, `Apply by ${state.announcement!.endsOn}`);
      }
      if (seatedAtHearing && mustSign) add('hearing', '签署听证笔录', 'Sign the hearing record');
      break;
    case 'auditor':
      add('ledger', '核对基金台账', 'Check the fund ledger');
      add('reconciliation', '核对托管账户对账结果', 'Check the reconciliation with the custody account');
      break;
    default:
      break;
  }
  return steps;
}

function StepLine(props: { lang: Lang; step: TimelineStep }) {
  const { lang, step } = props;
  const statusText = step.status === 'done' ? say(lang, '已完成', 'done') : step.status === 'current' ? say(lang, '进行中', 'current') : say(lang, '未开始', 'upcoming');
  const classes = [step.status, step.breaches.length > 0 ? 'breach' : null].filter(Boolean).join(' ');
  return (
    <li class={classes} aria-current={step.status === 'current' ? 'step' : undefined}>
      <strong>{step.title[lang]}</strong>{' '}
      <Tag tone={step.status === 'done' ? 'good' : step.status === 'current' ? 'info' : 'neutral'}>{statusText}</Tag>
      <div>{step.when[lang]}</div>
      {step.detail ? <div class="muted">{step.detail[lang]}</div> : null}
      {step.breaches.map((message) => <div class="breach">{say(lang, '违反期限：', 'Breach: ')}{message[lang]}</div>)}
      {step.overdue.map((message) => <div class="overdue">{message[lang]}</div>)}
    </li>
  );
}

/** The three-month clock: how much of the time from opening to the limit date has gone. */
function LimitClock(props: { lang: Lang; progress: CaseProgress; today: string }) {
  const { lang, progress } = props;
  const total = epochDay(progress.limitDate) - epochDay(progress.openedOn);
  const elapsed = Math.min(Math.max(epochDay(props.today) - epochDay(progress.openedOn), 0), total);
  const share = total > 0 ? percent(elapsed, total) : '100.0%';
  const passed = progress.daysLeft < 0;
  return (
    <div class="clock">
      <Facts items={[
        [say(lang, '启动日', 'Opened on'), progress.openedOn],
        [say(lang, '期限届满日', 'Limit date'), progress.limitDate],
        [say(lang, '剩余天数', 'Days left'), passed
          ? <span class="breach">{say(lang, `已超期 ${-progress.daysLeft} 天`, `${-progress.daysLeft} days past the limit`)}</span>
          : <span>{say(lang, `${progress.daysLeft} 天`, `${progress.daysLeft} days`)}</span>],
      ]} />
      <div class="bar" role="progressbar" aria-valuemin={0} aria-valuemax={total} aria-valuenow={elapsed}
        aria-label={say(lang, '已用期限', 'Time used of the limit')} aria-valuetext={say(lang, `已用 ${elapsed} 天，共 ${total} 天（${share}）`, `${elapsed} of ${total} days used (${share})`)}>
        <span style={{ width: share }}></span>
      </div>
      <p class="muted">{say(lang, `已用 ${elapsed} 天，共 ${total} 天（${share}）。期限不因任何复议或诉讼中止或延长。`, `${elapsed} of ${total} days used (${share}). No reconsideration or litigation pauses or extends the limit.`)}</p>
    </div>
  );
}

export interface DashboardProps {
  ctx: WebContext;
  caseId: string;
  caseTitle: string;
  state: CaseState;
  progress: CaseProgress;
  fund: FundMilestones;
  waitingNotices: WaitingNotice[];
  outcome: Outcome | null;
}

/** A case's dashboard: where the procedure stands, its clock, deadlines and breaches, and what comes next. */
export function DashboardPage(props: DashboardProps) {
  const { ctx, state, progress, caseId } = props;
  const { lang } = ctx;
  const timeline = procedureTimeline(state, progress, props.fund, ctx.today);
  const next = nextSteps(state, progress, props.fund, ctx.actor);
  const canChallenge = mayIssue(ctx.actor.role, 'record-issuer-challenge');
  return (
    <ConsoleFrame ctx={ctx} caseId={caseId} caseTitle={props.caseTitle} section="dashboard" title={say(lang, '概览', 'Overview')}>
      <OutcomeFlash outcome={props.outcome} />
      <div class="grid">
        <div class="stat"><div class="label">{say(lang, '阶段', 'Phase')}</div><div class="value" id="phase">{PHASE_NAMES[progress.phase][lang]}</div></div>
        <div class="stat"><div class="label">{say(lang, '距期限届满', 'Days to the limit')}</div><div class={`value${progress.daysLeft < 0 ? ' breach' : ''}`} id="days-left">{progress.daysLeft}</div></div>
        <div class="stat"><div class="label">{say(lang, '期限届满日', 'Limit date')}</div><div class="value" id="limit-date">{progress.limitDate}</div></div>
        <div class="stat"><div class="label">{say(lang, '违反期限', 'Breaches')}</div><div class={`value${progress.breaches.length > 0 ? ' breach' : ''}`}>{progress.breaches.length}</div></div>
      </div>

      <Section id="clock" title={say(lang, '三个月期限', 'The three-month limit')}>
        <LimitClock lang={lang} progress={progress} today={ctx.today} />
      </Section>

      <Section id="timeline" title={say(lang, '程序进度', 'Progress of the procedure')}>
        <ol class="timeline">
          {timeline.map((step) => <StepLine lang={lang} step={step} />)}
        </ol>
      </Section>

      <Section id="next" title={say(lang, '您接下来可以办理', 'What you can do next')}>
        {next.length === 0
          ? <p class="muted">{say(lang, '目前没有需要您办理的事项。', 'Nothing is waiting for you now.')}</p>
          : <ul>{next.map((step) => <li><a href={consoleUrl(caseId, step.section)}>{step.text[lang]}</a></li>)}</ul>}
      </Section>

      <Section id="deadlines" title={say(lang, '期限与违反', 'Deadlines and breaches')}>
        {progress.breaches.length === 0
          ? <p><Tag tone="good">{say(lang, '没有违反三个月期限的安排', 'Nothing breaches the three-month limit')}</Tag></p>
          : <ul>{progress.breaches.map((breach) => <li class="breach">{breach.message[lang]}</li>)}</ul>}
        <DataTable
          caption={say(lang, '各环节期限', 'Deadlines of the steps')}
          rowKey={(row) => row.kind}
          empty={say(lang, '无', 'None')}
          rows={progress.deadlines}
          columns={[
            { label: say(lang, '事项', 'Deadline'), cell: (row) => DEADLINE_NAMES[row.kind][lang] },
            { label: say(lang, '到期日', 'Due'), cell: (row) => <span class={row.due > progress.limitDate ? 'breach' : undefined}>{row.due}</span> },
            { label: say(lang, '完成日', 'Reached on'), cell: (row) => row.reachedOn ?? '—' },
            {
              label: say(lang, '状态', 'Status'),
              cell: (row) => (row.kind === 'limit'
                ? progress.daysLeft < 0 ? <span class="breach">{say(lang, '已超期', 'passed')}</span> : <Tag tone="info">{say(lang, `还剩 ${progress.daysLeft} 天`, `${progress.daysLeft} days left`)}</Tag>
                : row.met ? <Tag tone="good">{say(lang, '按期完成', 'met')}</Tag>
                : row.overdue ? <span class="overdue">{say(lang, '逾期', 'overdue')}</span>
                  : !row.tracked ? <Tag tone="info">{say(lang, '由后续环节办理', 'kept by later steps')}</Tag>
                    : <Tag tone="neutral">{say(lang, '未到期', 'pending')}</Tag>),
            },
          ]}
        />
      </Section>

      <Section id="challenges" title={say(lang, '发行人复议或诉讼', "The issuer's challenges")}>
        <p class="muted">{say(lang, '发行人申请复议或提起诉讼不中止先行赔付；中止请求一律被拒绝并记录在案。', "The issuer's reconsideration or litigation does not pause the procedure; every request to pause is refused and kept on the record.")}</p>
        <DataTable
          caption={say(lang, '发行人的复议或诉讼', "The issuer's reconsiderations and suits")}
          rowKey={(row) => `${row.kind}-${row.filedOn}-${row.body}`}
          empty={say(lang, '无', 'None')}
          rows={state.issuerChallenges}
          columns={[
            { label: say(lang, '类型', 'Kind'), cell: (row) => wordOf(lang, CHALLENGE_KIND_NAMES, row.kind) },
            { label: say(lang, '提起日', 'Filed on'), cell: (row) => row.filedOn },
            { label: say(lang, '受理机关', 'Filed with'), cell: (row) => row.body },
            { label: say(lang, '文号', 'Reference'), cell: (row) => row.reference ?? '—' },
            { label: say(lang, '记录日', 'Recorded on'), cell: (row) => row.recordedOn },
          ]}
        />
        <DataTable
          caption={say(lang, '被拒绝的中止请求', 'Refused requests to pause')}
          rowKey={(row) => `${row.requestedBy.id}-${row.on}-${row.ground}`}
          empty={say(lang, '无', 'None')}
          rows={state.pauseRefusals}
          columns={[
            { label: say(lang, '请求人', 'Asked by'), cell: (row) => withNote(lang, row.requestedBy.id, roleName(lang, row.requestedBy.role)) },
            { label: say(lang, '日期', 'On'), cell: (row) => row.on },
            { label: say(lang, '理由', 'Ground'), cell: (row) => row.ground },
            { label: say(lang, '拒绝理由', 'Why refused'), cell: (row) => row.reason[lang] },
          ]}
        />
      </Section>

      <Section id="notices" title={say(lang, '待发布的公告', 'Notices waiting to be published')}>
        <DataTable
          caption={say(lang, '发布日在今天之后的公告', 'Notices whose publication day is after today')}
          rowKey={(row) => String(row.seq)}
          empty={say(lang, '没有待发布的公告', 'No notice is waiting')}
          rows={props.waitingNotices}
          columns={[
            { label: say(lang, '发布日', 'Publish on'), cell: (row) => row.publishOn },
            { label: say(lang, '类型', 'Kind'), cell: (row) => <code>{row.kind}</code> },
            { label: say(lang, '标题', 'Title'), cell: (row) => row.title[lang] },
          ]}
        />
      </Section>

      {canChallenge ? (
        <Section id="actions" title={say(lang, '办理', 'Actions')}>
          <CommandForm ctx={ctx} caseId={caseId} type="record-issuer-challenge" title={say(lang, '记录发行人的复议或诉讼', "Record the issuer's challenge")} submit={say(lang, '记录', 'Record')}
            hint={say(lang, '记录后将发布公告：程序照常进行，期限不变。', 'A notice says the procedure goes on and the limit stays.')}>
            <SelectField label={say(lang, '类型', 'Kind')} name="kind" options={Object.entries(CHALLENGE_KIND_NAMES).map(([value, name]) => ({ value, label: name[lang] }))} />
            <InputField label={say(lang, '提起日', 'Filed on')} name="filedOn" type="date" value={ctx.today} required />
            <InputField label={say(lang, '受理机关或法院', 'Body or court')} name="body" required maxLength={200} />
            <InputField label={say(lang, '文号（可选）', 'Reference (optional)')} name="reference" maxLength={200} />
            <AreaField label={say(lang, '摘要（可选）', 'Summary (optional)')} name="summary" rows={3} />
          </CommandForm>
        </Section>
      ) : null}
    </ConsoleFrame>
  );
}
