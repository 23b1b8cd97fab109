import type { IsoDate } from '../market/calendar-date.ts';
import { formatFen } from '../money/fen.ts';
import type { BilingualText } from './bilingual-text.ts';
import type { CaseEvent } from './case-events.ts';
import type { CaseState } from './case-state.ts';
import type { DrawPool } from './lot-draw.ts';

/**
 * Public notices (公告) a command gives rise to: the shell publishes each on its day. Notices name
 * representatives, lawyers, funders and liable parties, who act in public; they never name an
 * investor who is not one of them.
 */
export type NoticeKind =
  | 'case-opening'
  | 'issuer-challenge'
  | 'announcement'
  | 'selection-result'
  | 'draw-result'
  | 'hearing-notice'
  | 'hearing-record-published'
  | 'plan-version-published'
  | 'plan-adopted'
  | 'top-up-call';

export interface Notice {
  kind: NoticeKind;
  publishOn: IsoDate;
  title: BilingualText;
  body: BilingualText;
}

/** The notices for the events one accepted command produced, given the state after them. */
export function noticesFor(events: readonly CaseEvent[], after: CaseState): Notice[] {
  const notices: Notice[] = [];
  for (const event of events) {
    const notice = noticeFor(event, after);
    if (notice !== null) notices.push(notice);
  }
  return notices;
}

function noticeFor(event: CaseEvent, state: CaseState): Notice | null {
  const security = `${state.security.name}（${state.security.code}）`;
  const securityEn = `${state.security.name} (${state.security.code})`;
  switch (event.type) {
    case 'penalty-decision-recorded':
    case 'opened-under-commitment': {
      const parties = state.liableParties.map((party) => party.name).join('、');
      const partiesEn = state.liableParties.map((party) => party.name).join(', ');
      const basis =
        event.type === 'penalty-decision-recorded'
          ? { zh: `${event.penalty.authority}行政处罚决定书（${event.penalty.decisionNumber}，${event.penalty.decisionDate}）`, en: `penalty decision ${event.penalty.decisionNumber} of ${event.penalty.authority}, dated ${event.penalty.decisionDate}` }
          : { zh: `当事人承诺（${event.commitment.commitmentNumber}，${event.commitment.committedOn}，${event.commitment.authority}认可）`, en: `the commitment ${event.commitment.commitmentNumber} of ${event.commitment.committedOn}, accepted by ${event.commitment.authority}` };
      return {
        kind: 'case-opening',
        publishOn: event.openedOn > event.on ? event.openedOn : event.on,
        title: { zh: `${security}先行赔付程序启动公告`, en: `Advance compensation for ${securityEn}: the case opens` },
        body: {
          zh: `依据${basis.zh}，${security}虚假陈述先行赔付程序于 ${event.openedOn} 启动，须于 ${event.limitDate} 前完成，期间不因任何复议或诉讼中止。责任主体：${parties}。`,
          en: `On the basis of ${basis.en}, the advance-compensation procedure for the false statements of ${securityEn} opens on ${event.openedOn} and must close by ${event.limitDate}; no reconsideration or litigation pauses it. Liable parties: ${partiesEn}.`,
        },
      };
    }
    case 'issuer-challenge-recorded': {
      const kind = event.kind === 'reconsideration' ? { zh: '行政复议', en: 'administrative reconsideration' } : { zh: '行政诉讼', en: 'administrative litigation' };
      return {
        kind: 'issuer-challenge',
        publishOn: event.on,
        title: { zh: `发行人提起${kind.zh}，先行赔付照常进行`, en: `The issuer has filed for ${kind.en}; advance compensation continues` },
        body: {
          zh: `发行人已于 ${event.filedOn} 向${event.body}提起${kind.zh}。先行赔付程序不因此中止或延长，仍须于 ${state.limitDate} 前完成；撤销处罚决定也不追回已付款项。`,
          en: `The issuer filed for ${kind.en} with ${event.body} on ${event.filedOn}. The procedure neither pauses nor extends for it and must still close by ${state.limitDate}; a later revocation of the penalty claws back no payment made.`,
        },
      };
    }
    case 'announcement-opened':
      return {
        kind: 'announcement',
        publishOn: event.on,
        title: { zh: `${security}先行赔付：征集投资者代表和投资者律师`, en: `Advance compensation for ${securityEn}: call for investor representatives and lawyers` },
        body: {
          zh: `即日起至 ${event.endsOn}，适格投资者可申请担任投资者代表（${event.seats.representatives} 席），律师可申请代理投资者（${event.seats.lawyers} 席）。责任主体、出资人及与其有亲属、雇佣、任职、持股或代理关系者不得申请。申请人可协商确定人选；期满仍有空缺的，以抽签确定，抽签种子的 SHA-256 承诺值为 ${event.drawCommitment}，期满后公布种子，任何人可复核。`,
          en: `Until ${event.endsOn}, eligible investors may apply to be investor representatives (${event.seats.representatives} seats) and lawyers to act for them (${event.seats.lawyers} seats). Liable parties, funders and anyone related to them as relative, employee, director, shareholder or counsel may not apply. Applicants may agree among themselves; seats still empty when the period ends are drawn by lot. The SHA-256 commitment to the draw seed is ${event.drawCommitment}; the seed is published after the period so that anyone can recompute the draw.`,
        },
      };
    case 'seats-filled-by-agreement': {
      const named = (ids: readonly string[]) => ids.map((id) => applicantName(state, id));
      const chosen = [...named(event.representatives), ...named(event.lawyers)];
      return {
        kind: 'selection-result',
        publishOn: event.on,
        title: { zh: '投资者代表和律师协商确定结果', en: 'Investor representatives and lawyers chosen by agreement' },
        body: {
          zh: `经申请人协商一致，以下人员当选：${chosen.join('、')}。`,
          en: `By the applicants' agreement, these were chosen: ${chosen.join(', ')}.`,
        },
      };
    }
    case 'lots-drawn': {
      const lines = event.draws.map((draw) => ({
        zh: `${poolZh(draw.pool)}：从 ${draw.applicants.length} 名申请人中抽取 ${draw.seats} 席，中签 ${draw.chosen.map((id) => applicantName(state, id)).join('、') || '无'}`,
        en: `${draw.pool}: ${draw.seats} seats drawn from ${draw.applicants.length} applicants, chosen ${draw.chosen.map((id) => applicantName(state, id)).join(', ') || 'none'}`,
      }));
      return {
        kind: 'draw-result',
        publishOn: event.on,
        title: { zh: '投资者代表和律师抽签结果', en: 'Result of the draw for investor representatives and lawyers' },
        body: {
          zh: `${lines.map((line) => line.zh).join('；')}。种子为 ${event.seedHex}，其 SHA-256 与公告时的承诺值 ${state.announcement?.drawCommitment ?? ''} 一致；抽签算法见公开文档，任何人可据此复核。`,
          en: `${lines.map((line) => line.en).join('; ')}. The seed is ${event.seedHex}; its SHA-256 equals the commitment ${state.announcement?.drawCommitment ?? ''} published with the announcement. The draw algorithm is published, so anyone can recompute it.`,
        },
      };
    }
    case 'hearing-scheduled':
      return {
        kind: 'hearing-notice',
        publishOn: event.on,
        title: { zh: `${security}先行赔付听证通知`, en: `Hearing notice: advance compensation for ${securityEn}` },
        body: {
          zh: `听证定于 ${event.date} 在${event.venue}举行，由${state.hearingHost?.name ?? ''}主持。议程：${event.agenda.map((item) => item.title).join('；')}。证据 ${event.evidence.length} 份，各附 SHA-256：${event.evidence.map((item) => `${item.title}（${item.sha256}）`).join('；') || '无'}。`,
          en: `The hearing is held on ${event.date} at ${event.venue}, presided by ${state.hearingHost?.name ?? ''}. Agenda: ${event.agenda.map((item) => item.title).join('; ')}. ${event.evidence.length} items of evidence, each with its SHA-256: ${event.evidence.map((item) => `${item.title} (${item.sha256})`).join('; ') || 'none'}.`,
        },
      };
    case 'hearing-record-closed':
      return {
        kind: 'hearing-record-published',
        publishOn: event.on,
        title: { zh: `${security}先行赔付听证笔录`, en: `Hearing record: advance compensation for ${securityEn}` },
        body: {
          zh: `${event.record.openedOn} 听证的笔录已经全体参加人及主持人签名并封存，哈希（SHA-256）为 ${event.recordHash}。方案只能依据本笔录通过。`,
          en: `The record of the hearing of ${event.record.openedOn}, signed by every participant and the host, is closed under the hash (SHA-256) ${event.recordHash}. The plan may rest only on this record.`,
        },
      };
    case 'plan-version-proposed':
      return {
        kind: 'plan-version-published',
        publishOn: event.on,
        title: { zh: `赔付方案第 ${event.version} 版`, en: `Compensation plan, version ${event.version}` },
        body: {
          zh: `方案第 ${event.version} 版已提出，哈希为 ${event.hash}；格式条款审查提示 ${event.flags.length} 项。`,
          en: `Version ${event.version} of the plan has been proposed under the hash ${event.hash}; the standard-terms review raised ${event.flags.length} flags.`,
        },
      };
    case 'plan-adopted':
      return {
        kind: 'plan-adopted',
        publishOn: event.on,
        title: { zh: `赔付方案第 ${event.version} 版经听证通过`, en: `Compensation plan version ${event.version} adopted at the hearing` },
        body: {
          zh: `依据哈希为 ${event.hearingRecordHash} 的听证笔录，方案第 ${event.version} 版（哈希 ${event.planHash}）获得通过。该版本以其哈希列于笔录证据之中。`,
          en: `On the hearing record with the hash ${event.hearingRecordHash}, plan version ${event.version} (hash ${event.planHash}) is adopted. The version is among the record's evidence under its hash.`,
        },
      };
    case 'computation-run-recorded': {
      if (state.shortfallFen <= 0n) return null;
      const total = formatFen(BigInt(event.totalPayableFen));
      return {
        kind: 'top-up-call',
        publishOn: event.on,
        title: { zh: '先行赔付基金补充出资通知', en: 'Call to top up the compensation fund' },
        body: {
          zh: `经计算（${event.runId}），应付赔偿总额为 ${total} 元，已到账出资 ${formatFen(state.depositedFen)} 元，尚差 ${formatFen(state.shortfallFen)} 元，请出资人按方案补足。`,
          en: `The computation (${event.runId}) puts the total payable at CNY ${total}; deposits received are CNY ${formatFen(state.depositedFen)}, short by CNY ${formatFen(state.shortfallFen)}. The funders are called to make up the difference as the plan provides.`,
        },
      };
    }
    default:
      return null;
  }
}

function applicantName(state: CaseState, applicantId: string): string {
  return state.applicants.find((applicant) => applicant.applicantId === applicantId)?.name ?? applicantId;
}

function poolZh(pool: DrawPool): string {
  return pool === 'representatives' ? '投资者代表' : '投资者律师';
}
