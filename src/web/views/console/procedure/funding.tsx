import { OTHER_FUNDER } from '../../../../domain/procedure/case-commands.ts';
import type { CaseState, Funder } from '../../../../domain/procedure/case-state.ts';
import { say } from '../../../i18n.ts';
import type { Outcome } from '../../../outcome.ts';
import type { WebContext } from '../../../web-context.ts';
import { DataTable, Money, OutcomeFlash, Section, Tag } from '../../ui.tsx';
import { ConsoleFrame } from '../console-frame.tsx';
import { CommandForm, InputField, mayIssue, SelectField } from './shared.tsx';

export interface FundingProps {
  ctx: WebContext;
  caseId: string;
  caseTitle: string;
  state: CaseState;
  outcome: Outcome | null;
}

/** What a funder still owes of its pledge; nothing once it has deposited as much or more. */
function pledgeShortfall(funder: Funder): bigint {
  return funder.pledgedFen > funder.depositedFen ? funder.pledgedFen - funder.depositedFen : 0n;
}

/** Funders and deposits (出资与到账, procedure.md step 3): pledges, what arrived, and what is still missing. */
export function FundingPage(props: FundingProps) {
  const { ctx, state, caseId } = props;
  const { lang } = ctx;
  const partyName = (id: string) => (id === OTHER_FUNDER ? say(lang, '非责任主体', 'not a liable party') : state.liableParties.find((party) => party.id === id)?.name ?? id);
  const funderName = (id: string) => state.funders.find((funder) => funder.funderId === id)?.name ?? id;
  const latestRun = state.computationRuns.at(-1);
  const yuanHint = say(lang, '以元为单位，最多两位小数，例如 1500000.00', 'In yuan, at most two decimals, e.g. 1500000.00');
  return (
    <ConsoleFrame ctx={ctx} caseId={caseId} caseTitle={props.caseTitle} section="funding" title={say(lang, '出资与到账', 'Funders and deposits')}>
      <OutcomeFlash outcome={props.outcome} />
      <div class="grid">
        <div class="stat"><div class="label">{say(lang, '认缴合计', 'Pledged')}</div><div class="value"><Money fen={state.pledgedFen} /></div></div>
        <div class="stat"><div class="label">{say(lang, '到账合计', 'Deposited')}</div><div class="value" id="deposited-total"><Money fen={state.depositedFen} /></div></div>
        <div class="stat">
          <div class="label">{say(lang, '最近一次计算的应付总额', 'Payable by the latest computation')}</div>
          <div class="value">{latestRun ? <Money fen={latestRun.totalPayableFen} /> : '—'}</div>
        </div>
        <div class="stat">
          <div class="label">{say(lang, '资金缺口（需补足）', 'Shortfall to top up')}</div>
          <div class={`value${state.shortfallFen > 0n ? ' breach' : ''}`}><Money fen={state.shortfallFen} /></div>
        </div>
      </div>

      <Section id="funders" title={say(lang, '出资人', 'Funders')}>
        <DataTable
          caption={say(lang, `出资人 ${state.funders.length} 名：认缴、到账与未缴`, `${state.funders.length} funders: pledged, deposited and still owed`)}
          rowKey={(row) => row.funderId}
          empty={say(lang, '尚未登记出资人', 'No funder registered yet')}
          rows={state.funders}
          columns={[
            { label: say(lang, '出资人', 'Funder'), cell: (row) => <>{row.name} <span class="muted">{row.funderId}</span></> },
            { label: say(lang, '责任主体', 'Liable party'), cell: (row) => partyName(row.liableParty) },
            { label: say(lang, '登记日', 'Added on'), cell: (row) => row.addedOn },
            { label: say(lang, '认缴', 'Pledge'), numeric: true, cell: (row) => <Money fen={row.pledgedFen} /> },
            { label: say(lang, '已到账', 'Deposited'), numeric: true, cell: (row) => <Money fen={row.depositedFen} /> },
            {
              label: say(lang, '未缴', 'Shortfall'),
              numeric: true,
              cell: (row) => (pledgeShortfall(row) > 0n ? <Tag tone="warn">{say(lang, '未缴 ', 'owes ')}<Money fen={pledgeShortfall(row)} /></Tag> : <Tag tone="good">{say(lang, '已缴足', 'paid in full')}</Tag>),
            },
          ]}
        />
      </Section>

      <Section id="deposits" title={say(lang, '到账记录', 'Deposits')}>
        <DataTable
          caption={say(lang, `到账 ${state.deposits.length} 笔，按银行流水逐笔确认，每个流水号只能确认一次`, `${state.deposits.length} deposits, each confirmed against the bank's records once`)}
          rowKey={(row) => row.bankReference}
          empty={say(lang, '尚无到账', 'No deposit yet')}
          rows={state.deposits}
          columns={[
            { label: say(lang, '银行流水号', 'Bank reference'), cell: (row) => <code>{row.bankReference}</code> },
            { label: say(lang, '出资人', 'Funder'), cell: (row) => funderName(row.funderId) },
            { label: say(lang, '起息日', 'Value date'), cell: (row) => row.valueDate },
            { label: say(lang, '确认日', 'Confirmed on'), cell: (row) => row.confirmedOn },
            { label: say(lang, '金额', 'Amount'), numeric: true, cell: (row) => <Money fen={row.amountFen} /> },
          ]}
        />
      </Section>

      {mayIssue(ctx.actor.role, 'add-funder') || mayIssue(ctx.actor.role, 'confirm-deposit') ? (
        <Section id="actions" title={say(lang, '办理', 'Actions')}>
          <div class="grid">
            {mayIssue(ctx.actor.role, 'add-funder') ? (
              <CommandForm ctx={ctx} caseId={caseId} type="add-funder" title={say(lang, '登记出资人', 'Register a funder')} submit={say(lang, '登记', 'Register')}
                hint={say(lang, '出资人不得与投资者代表、律师或听证主持人存在关联。', 'A funder may have no tie to the representatives, the lawyers or the hearing host.')}>
                <InputField label={say(lang, '出资人编号', 'Funder id')} name="funderId" required maxLength={128} />
                <InputField label={say(lang, '名称', 'Name')} name="name" required maxLength={200} />
                <SelectField label={say(lang, '对应的责任主体', 'Liable party it is')} name="liableParty" options={[
                  ...state.liableParties.map((party) => ({ value: party.id, label: party.name })),
                  { value: OTHER_FUNDER, label: say(lang, '非责任主体', 'Not a liable party') },
                ]} />
                <InputField label={say(lang, '认缴金额（元）', 'Pledge (yuan)')} name="pledgeYuan" required inputmode="decimal" hint={yuanHint} />
              </CommandForm>
            ) : null}
            {mayIssue(ctx.actor.role, 'confirm-deposit') ? (
              state.funders.length === 0
                ? <p class="muted">{say(lang, '先登记出资人，才能确认其到账。', 'Register a funder before confirming its deposits.')}</p>
                : (
                  <CommandForm ctx={ctx} caseId={caseId} type="confirm-deposit" title={say(lang, '确认到账', 'Confirm a deposit')} submit={say(lang, '确认', 'Confirm')}
                    hint={say(lang, '与托管银行的流水核对后确认；确认即记入基金台账。', "Confirm against the custody bank's records; the deposit is booked in the ledger at once.")}>
                    <SelectField label={say(lang, '出资人', 'Funder')} name="funderId" options={state.funders.map((funder) => ({ value: funder.funderId, label: funder.name }))} />
                    <InputField label={say(lang, '金额（元）', 'Amount (yuan)')} name="amountYuan" required inputmode="decimal" hint={yuanHint} />
                    <InputField label={say(lang, '银行流水号', 'Bank reference')} name="bankReference" required maxLength={128} />
                    <InputField label={say(lang, '起息日', 'Value date')} name="valueDate" type="date" value={ctx.today} required />
                  </CommandForm>
                )
            ) : null}
          </div>
        </Section>
      ) : null}
    </ConsoleFrame>
  );
}
