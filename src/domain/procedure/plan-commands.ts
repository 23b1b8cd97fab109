import { parsePlanDocument, type ValidPlanDocument } from '../plan/plan-document.ts';
import { PlanError } from '../plan/loss-plan.ts';
import { planContentHash } from '../plan/plan-version.ts';
import { reviewStandardTerms } from '../plan/standard-terms-review.ts';
import type { CommandOf } from './case-commands.ts';
import type { CaseState } from './case-state.ts';
import { accept, appointedHost, isRefusal, openCase, refuse, stamp, type Decision, type ProcedureContext } from './decision.ts';

/**
 * Step 6 of procedure.md: versions of the plan, the review of its agreement's standard terms, and
 * its adoption by the hearing host on the closed hearing record, which the adopted plan cites. The
 * plan may rest only on what is in the record (案卷排他): no version can be proposed once the
 * record is closed, and whether the adopted version's hash is among the record's evidence is
 * recorded with the adoption and said in its public notice.
 */

export function proposePlanVersion(state: CaseState | null, command: CommandOf<'propose-plan-version'>, context: ProcedureContext): Decision {
  const open = openCase(state, context);
  if (isRefusal(open)) return open;
  if (open.adoptedPlan !== null) {
    return refuse('out-of-sequence', `方案已于 ${open.adoptedPlan.adoptedOn} 通过（第 ${open.adoptedPlan.version} 版）`, `the plan was adopted on ${open.adoptedPlan.adoptedOn} (version ${open.adoptedPlan.version})`);
  }
  if (open.hearing?.closed != null) {
    return refuse('out-of-sequence', '听证笔录已封存：新版本不在笔录之中，不能作为方案通过', 'the hearing record is closed: a new version would not be in it, so it could never be adopted');
  }
  if (context.actor.role === 'funder' && !open.funders.some((funder) => funder.funderId === context.actor.id)) {
    return refuse('not-a-funder', `${context.actor.name} 不是本案登记的出资人`, `${context.actor.name} is not a registered funder of this case`);
  }
  let valid: ValidPlanDocument;
  try {
    valid = parsePlanDocument(command.document);
  } catch (error) {
    if (!(error instanceof PlanError)) throw error;
    const path = error.path.length === 0 ? '(document)' : error.path.join('.');
    return refuse('invalid-plan', `方案文件有误，位置 ${path}：${error.message}`, `the plan document is invalid at ${path}: ${error.message}`);
  }
  const { document } = valid;
  if (document.timetable.endsOn > open.limitDate) {
    return refuse(
      'beyond-time-limit',
      `方案的结束日 ${document.timetable.endsOn} 晚于期限届满日 ${open.limitDate}`,
      `the plan ends on ${document.timetable.endsOn}, after the limit date ${open.limitDate}`,
    );
  }
  const hash = planContentHash(document);
  const same = open.planVersions.find((version) => version.hash === hash);
  if (same !== undefined) return refuse('duplicate', `与第 ${same.version} 版内容相同`, `identical to version ${same.version}`);
  return accept({
    type: 'plan-version-proposed',
    ...stamp(context),
    version: open.planVersions.length + 1,
    hash,
    document,
    flags: reviewStandardTerms(document),
  });
}

export function overruleReviewFlag(state: CaseState | null, command: CommandOf<'overrule-review-flag'>, context: ProcedureContext): Decision {
  const open = openCase(state, context);
  if (isRefusal(open)) return open;
  const host = appointedHost(open, context);
  if (isRefusal(host)) return host;
  if (open.adoptedPlan !== null) return refuse('out-of-sequence', '方案已经通过', 'the plan has been adopted');
  const plan = open.planVersions.find((version) => version.version === command.version);
  if (plan === undefined) return unknownVersion(command.version);
  if (!plan.flags.some((flag) => flag.id === command.flagId)) {
    return refuse('unknown-flag', `第 ${plan.version} 版没有审查提示 ${command.flagId}`, `version ${plan.version} has no review flag ${command.flagId}`);
  }
  if (plan.overrules.some((overrule) => overrule.flagId === command.flagId)) {
    return refuse('duplicate', `审查提示 ${command.flagId} 已被驳回`, `review flag ${command.flagId} is already overruled`);
  }
  return accept({ type: 'review-flag-overruled', ...stamp(context), version: plan.version, flagId: command.flagId, reason: command.reason });
}

export function adoptPlan(state: CaseState | null, command: CommandOf<'adopt-plan'>, context: ProcedureContext): Decision {
  const open = openCase(state, context);
  if (isRefusal(open)) return open;
  const host = appointedHost(open, context);
  if (isRefusal(host)) return host;
  if (open.adoptedPlan !== null) {
    return refuse('out-of-sequence', `方案已于 ${open.adoptedPlan.adoptedOn} 通过（第 ${open.adoptedPlan.version} 版）`, `the plan was already adopted on ${open.adoptedPlan.adoptedOn} (version ${open.adoptedPlan.version})`);
  }
  const plan = open.planVersions.find((version) => version.version === command.version);
  if (plan === undefined) return unknownVersion(command.version);
  const closed = open.hearing?.closed ?? null;
  if (closed === null) return refuse('record-not-closed', '听证笔录尚未封存：方案只能依据封存的笔录通过', 'the hearing record is not closed: a plan is adopted only on a closed record');
  if (closed.recordHash !== command.hearingRecordHash) {
    return refuse(
      'record-not-closed',
      `所引笔录哈希 ${command.hearingRecordHash} 不是封存笔录的哈希 ${closed.recordHash}`,
      `the cited record hash ${command.hearingRecordHash} is not that of the closed record, ${closed.recordHash}`,
    );
  }
  const overruled = new Set(plan.overrules.map((overrule) => overrule.flagId));
  const standing = plan.flags.filter((flag) => !overruled.has(flag.id));
  if (standing.length > 0) {
    const ids = standing.map((flag) => flag.id).join(', ');
    return refuse('review-flags-open', `第 ${plan.version} 版仍有未处理的格式条款审查提示：${ids}`, `version ${plan.version} still has standard-terms review flags open: ${ids}`);
  }
  const reviewEndsOn = plan.document.timetable.reviewEndsOn;
  if (context.today > reviewEndsOn) {
    return refuse(
      'date-order',
      `第 ${plan.version} 版的审核期已于 ${reviewEndsOn} 结束，晚于该日不能通过；请提出时间表更新的版本`,
      `version ${plan.version}'s review ends on ${reviewEndsOn}, which has passed; propose a version with a later timetable`,
    );
  }
  // The plan may rest only on the record (案卷排他): the version adopted must have been laid before
  // the hearing as evidence under its own hash, so that what was heard is what is adopted.
  if (!closed.record.evidence.some((item) => item.sha256 === plan.hash)) {
    return refuse(
      'plan-not-in-record',
      `第 ${plan.version} 版（哈希 ${plan.hash}）未以其哈希列于听证笔录的证据之中：方案只能依据笔录通过`,
      `version ${plan.version} (hash ${plan.hash}) is not among the hearing record's evidence under its hash: a plan rests only on the record`,
    );
  }
  return accept({
    type: 'plan-adopted',
    ...stamp(context),
    version: plan.version,
    planHash: plan.hash,
    hearingRecordHash: closed.recordHash,
  });
}

function unknownVersion(version: number): Decision {
  return refuse('unknown-plan-version', `没有第 ${version} 版方案`, `there is no plan version ${version}`);
}
