import { compareCodePoints } from '../code-point-order.ts';
import type { CommandOf } from './case-commands.ts';
import type { Announcement, CaseState } from './case-state.ts';
import { applicantConflict } from './conflicts-of-interest.ts';
import { accept, isRefusal, openCase, refuse, stamp, type Decision, type ProcedureContext, type Refused } from './decision.ts';
import { DRAW_POOLS, drawCommitment, drawLots, type DrawPool, type PublishedDraw } from './lot-draw.ts';

/**
 * Step 4 of procedure.md: the announcement period, applications with their conflict check, seats
 * filled by the applicants' agreement while the period runs, and lots for the rest once it ends.
 */

export function openAnnouncement(state: CaseState | null, command: CommandOf<'open-announcement'>, context: ProcedureContext): Decision {
  const open = openCase(state, context);
  if (isRefusal(open)) return open;
  if (open.announcement !== null) {
    return refuse('out-of-sequence', `公告期已于 ${open.announcement.openedOn} 开始`, `the announcement period already opened on ${open.announcement.openedOn}`);
  }
  if (command.endsOn < context.today) {
    return refuse('date-order', `公告期截止日 ${command.endsOn} 早于今天 ${context.today}`, `the period's last day ${command.endsOn} is before today, ${context.today}`);
  }
  if (command.endsOn > open.limitDate) {
    return refuse('beyond-time-limit', `公告期截止日 ${command.endsOn} 晚于期限届满日 ${open.limitDate}`, `the period's last day ${command.endsOn} is after the limit date ${open.limitDate}`);
  }
  return accept({ type: 'announcement-opened', ...stamp(context), endsOn: command.endsOn, seats: { ...command.seats }, drawCommitment: command.drawCommitment });
}

export function apply(
  state: CaseState | null,
  command: CommandOf<'apply-as-representative'> | CommandOf<'apply-as-lawyer'>,
  context: ProcedureContext,
): Decision {
  const open = openCase(state, context);
  if (isRefusal(open)) return open;
  if (command.applicantId !== context.actor.id) {
    return refuse('acting-for-another', '申请须由申请人本人提出', 'an applicant applies for themselves: the applicant id must be your own');
  }
  const running = periodRunning(open, context);
  if (isRefusal(running)) return running;
  const earlier = open.applicants.find((applicant) => applicant.applicantId === command.applicantId);
  if (earlier !== undefined) {
    return refuse('duplicate', `${command.applicantId} 已于 ${earlier.appliedOn} 提出申请`, `${command.applicantId} already applied on ${earlier.appliedOn}`);
  }
  const firm = command.type === 'apply-as-lawyer' ? { id: command.firm.id, name: command.firm.name } : null;
  const ties = command.ties.map((tie) => ({ partyId: tie.partyId, relation: tie.relation }));
  const conflict = applicantConflict(open, { applicantId: command.applicantId, ties, firm });
  if (conflict !== null) return refuse('conflict-of-interest', `存在利益冲突：${conflict.zh}`, `conflict of interest: ${conflict.en}`);
  return accept({
    type: 'application-received',
    ...stamp(context),
    pool: command.type === 'apply-as-lawyer' ? 'lawyers' : 'representatives',
    applicantId: command.applicantId,
    name: command.name,
    ties,
    firm,
  });
}

export function recordSelectionByAgreement(state: CaseState | null, command: CommandOf<'record-selection-by-agreement'>, context: ProcedureContext): Decision {
  const open = openCase(state, context);
  if (isRefusal(open)) return open;
  const running = periodRunning(open, context);
  if (isRefusal(running)) return running;
  for (const pool of DRAW_POOLS) {
    const chosen = command[pool];
    for (const applicantId of chosen) {
      const applicant = open.applicants.find((candidate) => candidate.applicantId === applicantId);
      if (applicant === undefined || applicant.pool !== pool) {
        return refuse('not-an-applicant', `${applicantId} 未申请担任${poolZh(pool)}`, `${applicantId} has not applied as one of the investors' ${pool}`);
      }
      if (open.seats[pool].some((seat) => seat.applicantId === applicantId)) {
        return refuse('duplicate', `${applicantId} 已经当选`, `${applicantId} already holds a seat`);
      }
    }
    const free = running.seats[pool] - open.seats[pool].length;
    if (chosen.length > free) {
      return refuse('seat-taken', `${poolZh(pool)}席位只剩 ${free} 个，不能再选 ${chosen.length} 人`, `only ${free} of the ${pool}' seats are free, not ${chosen.length}`);
    }
  }
  return accept({ type: 'seats-filled-by-agreement', ...stamp(context), representatives: [...command.representatives], lawyers: [...command.lawyers] });
}

export function drawLotsCommand(state: CaseState | null, command: CommandOf<'draw-lots'>, context: ProcedureContext): Decision {
  const open = openCase(state, context);
  if (isRefusal(open)) return open;
  const announcement = open.announcement;
  if (announcement === null) return refuse('out-of-sequence', '公告期尚未开始', 'the announcement period has not opened');
  if (context.today <= announcement.endsOn) {
    return refuse('out-of-sequence', `公告期至 ${announcement.endsOn} 止，期满后方可抽签`, `the period runs through ${announcement.endsOn}; lots are drawn only after it ends`);
  }
  if (open.draw !== null) return refuse('out-of-sequence', `已于 ${open.draw.on} 抽签`, `lots were already drawn on ${open.draw.on}`);
  if (DRAW_POOLS.every((pool) => open.seats[pool].length >= announcement.seats[pool])) {
    return refuse('out-of-sequence', '席位已经全部协商确定，无需抽签', 'every seat was filled by agreement: there is nothing to draw');
  }
  const commitment = drawCommitment(command.seedHex);
  if (commitment !== announcement.drawCommitment) {
    return refuse(
      'draw-commitment-mismatch',
      `该种子的 SHA-256 为 ${commitment}，与公告时承诺的 ${announcement.drawCommitment} 不符`,
      `this seed's SHA-256 is ${commitment}, not the commitment ${announcement.drawCommitment} published with the announcement`,
    );
  }
  const draws: PublishedDraw[] = DRAW_POOLS.map((pool) => poolDraw(open, announcement, pool, command.seedHex));
  return accept({ type: 'lots-drawn', ...stamp(context), seedHex: command.seedHex, draws });
}

function poolDraw(state: CaseState, announcement: Announcement, pool: DrawPool, seedHex: string): PublishedDraw {
  const seated = new Set(state.seats[pool].map((seat) => seat.applicantId));
  const applicants = state.applicants.filter((applicant) => applicant.pool === pool && !seated.has(applicant.applicantId)).map((applicant) => applicant.applicantId);
  const seats = Math.max(0, announcement.seats[pool] - seated.size);
  const { chosen } = drawLots({ seedHex, pool, applicants, seats });
  // Published in code-point order, the order the draw's indices count in.
  return { commitment: announcement.drawCommitment, seedHex, pool, applicants: [...applicants].sort(compareCodePoints), seats, chosen };
}

/** Applications and agreement are possible from the announcement's opening through its last day. */
function periodRunning(state: CaseState, context: ProcedureContext): Announcement | Refused {
  const announcement = state.announcement;
  if (announcement === null) return refuse('out-of-sequence', '公告期尚未开始', 'the announcement period has not opened');
  if (context.today > announcement.endsOn) {
    return refuse('out-of-sequence', `公告期已于 ${announcement.endsOn} 届满`, `the announcement period ended on ${announcement.endsOn}`);
  }
  return announcement;
}

function poolZh(pool: DrawPool): string {
  return pool === 'representatives' ? '投资者代表' : '投资者律师';
}
