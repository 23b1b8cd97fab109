import { OTHER_FUNDER, type CommandOf } from './case-commands.ts';
import type { CaseState } from './case-state.ts';
import { funderConflict } from './conflicts-of-interest.ts';
import { accept, isRefusal, openCase, refuse, stamp, type Decision, type ProcedureContext } from './decision.ts';

/**
 * Step 3 of procedure.md: funders pledge their shares, and deposits into the segregated account are
 * confirmed against the bank's records, each bank reference once.
 */

export function addFunder(state: CaseState | null, command: CommandOf<'add-funder'>, context: ProcedureContext): Decision {
  const open = openCase(state, context);
  if (isRefusal(open)) return open;
  if (open.funders.some((funder) => funder.funderId === command.funderId)) {
    return refuse('duplicate', `出资人 ${command.funderId} 已经登记`, `funder ${command.funderId} is already registered`);
  }
  if (command.liableParty !== OTHER_FUNDER && !open.liableParties.some((party) => party.id === command.liableParty)) {
    return refuse(
      'unknown-party',
      `处罚决定未认定 ${command.liableParty} 为责任主体；出资人不是责任主体时填写 "other"`,
      `the decision names no liable party ${command.liableParty}; a funder that is not a liable party gives "other"`,
    );
  }
  const conflict = funderConflict(open, command.funderId);
  if (conflict !== null) {
    return refuse(conflict.withHost ? 'host-conflict' : 'conflict-of-interest', `不能登记该出资人：${conflict.reason.zh}`, `the funder cannot be registered: ${conflict.reason.en}`);
  }
  return accept({ type: 'funder-added', ...stamp(context), funderId: command.funderId, name: command.name, liableParty: command.liableParty, pledgeFen: command.pledgeFen });
}

export function confirmDeposit(state: CaseState | null, command: CommandOf<'confirm-deposit'>, context: ProcedureContext): Decision {
  const open = openCase(state, context);
  if (isRefusal(open)) return open;
  if (!open.funders.some((funder) => funder.funderId === command.funderId)) {
    return refuse('unknown-funder', `${command.funderId} 不是本案登记的出资人`, `${command.funderId} is not a registered funder of this case`);
  }
  const used = open.deposits.find((deposit) => deposit.bankReference === command.bankReference);
  if (used !== undefined) {
    return refuse(
      'duplicate',
      `银行流水号 ${command.bankReference} 已于 ${used.confirmedOn} 确认过`,
      `bank reference ${command.bankReference} was already confirmed on ${used.confirmedOn}`,
    );
  }
  if (command.valueDate > context.today) {
    return refuse('date-order', `起息日 ${command.valueDate} 晚于今天，款项尚未到账`, `the value date ${command.valueDate} is after today: the money has not arrived yet`);
  }
  return accept({
    type: 'deposit-confirmed',
    ...stamp(context),
    funderId: command.funderId,
    amountFen: command.amountFen,
    bankReference: command.bankReference,
    valueDate: command.valueDate,
  });
}
