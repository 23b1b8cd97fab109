import { say, type Bilingual } from '../../../i18n.ts';
import type { WebContext } from '../../../web-context.ts';
import type { Outcome } from '../../../outcome.ts';
import { CsrfField, DataTable, Facts, Field, Flash, Money, OutcomeFlash, Section, Select, TextArea } from '../../ui.tsx';
import { partyKindName } from '../../words.ts';
import { ConsoleFrame, consoleUrl } from '../console-frame.tsx';
import { nameWithId, Stat } from './fund-ui.tsx';
import { YUAN_PATTERN } from './ledger.tsx';

export interface RecourseView {
  register: { claims: number; totalFen: bigint; assignees: { funderId: string; amountFen: bigint; claims: number }[] } | null;
  /** Why the register or the book cannot be drawn up yet, as the store said. */
  problem: Bilingual | null;
  allocation: { version: number; basis: string; decidedBy: string; decidedOn: string; faults: { id: string; fault: { percent: string } | 'undeterminable' | 'no-fault' }[] } | null;
  positions: { id: string; liable: boolean; shareFen: bigint; paidFen: bigint; balanceFen: bigint }[];
  claims: { creditor: string; debtor: string; amountFen: bigint; recoveredFen: bigint; outstandingFen: bigint }[];
  outstanding: { party: string; owedFen: bigint; recoveredFen: bigint; outstandingFen: bigint }[];
  limitations: { party: string; date: string; basis: 'disclosure-date' | 'override'; reason: string | null; daysOverdue: number | null }[];
  recoveries: { on: string; creditor: string; debtor: string; amountFen: bigint; reference: string }[];
}

/**
 * Recourse (追偿): the claims the investors assigned to the funders when they accepted, who bears
 * what by degree of fault, who recovers how much from whom, what has come back, and by when each
 * liable party must be pursued (three years from the disclosure date unless interrupted).
 */
export function RecoursePage(props: {
  ctx: WebContext; caseId: string; caseTitle: string; view: RecourseView; parties: { id: string; name: string; kind: string }[];
  names: Record<string, string>; canAct: boolean; outcome: Outcome | null;
}) {
  const { ctx, view } = props;
  const { lang } = ctx;
  const here = consoleUrl(props.caseId, 'recourse');
  const name = (id: string) => nameWithId(lang, props.names[id], id);
  return (
    <ConsoleFrame ctx={ctx} caseId={props.caseId} caseTitle={props.caseTitle} section="recourse" title={say(lang, '追偿', 'Recourse')}>
      <OutcomeFlash outcome={props.outcome} />
      {view.problem !== null ? <Flash tone="info">{view.problem[lang]}</Flash> : null}
      <Section id="register" title={say(lang, '受让债权登记', 'Register of assigned claims')}>
        <p class="hint">{say(lang, '投资者接受要约并获付款后，其对责任主体的债权按出资比例转让给各出资人（债权转让）。', 'When an investor accepts and is paid, its claims against the liable parties pass to the funders in proportion to what each paid in (assignment of claims).')}</p>
        {view.register === null ? null : (
          <>
            <div class="grid">
              <Stat id="register-claims" label={say(lang, '受让债权笔数', 'Claims assigned')}>{view.register.claims}</Stat>
              <Stat id="register-total" label={say(lang, '受让债权金额', 'Amount assigned')}><Money fen={view.register.totalFen} /></Stat>
            </div>
            <DataTable
              caption={say(lang, '各出资人受让的债权', 'What each funder holds')}
              rows={view.register.assignees}
              rowKey={(row) => row.funderId}
              empty={say(lang, '尚无受让的债权（要约接受并付款后产生）', 'No claim assigned yet (they arise when accepted offers are paid)')}
              columns={[
                { label: say(lang, '出资人', 'Funder'), cell: (row) => name(row.funderId) },
                { label: say(lang, '笔数', 'Claims'), cell: (row) => row.claims, numeric: true },
                { label: say(lang, '金额', 'Amount'), cell: (row) => <Money fen={row.amountFen} />, numeric: true },
              ]}
            />
          </>
        )}
      </Section>
      <Section id="allocation" title={say(lang, '按过错程度分担', 'Shares by degree of fault')}>
        {view.allocation === null ? <p class="muted">{say(lang, '尚未确定各责任主体的责任份额。', 'No allocation by degree of fault has been recorded yet.')}</p> : (
          <>
            <Facts items={[
              [say(lang, '版本', 'Version'), String(view.allocation.version)],
              [say(lang, '依据', 'Basis'), view.allocation.basis],
              [say(lang, '记录人', 'Recorded by'), `${view.allocation.decidedBy} · ${view.allocation.decidedOn}`],
            ]} />
            <DataTable
              caption={say(lang, '份额 − 已付 = 余额：为正者向余额为负者追偿', 'Paid less share: a party in credit recovers from those in debit')}
              rows={view.positions}
              rowKey={(row) => row.id}
              empty="—"
              columns={[
                { label: say(lang, '当事方', 'Party'), cell: (row) => <>{name(row.id)}{row.liable ? null : <span class="muted">{say(lang, '（非责任主体）', ' (not liable)')}</span>}</> },
                { label: say(lang, '应承担份额', 'Share'), cell: (row) => <Money fen={row.shareFen} />, numeric: true },
                { label: say(lang, '已付', 'Paid'), cell: (row) => <Money fen={row.paidFen} />, numeric: true },
                { label: say(lang, '余额', 'Balance'), cell: (row) => <Money fen={row.balanceFen} />, numeric: true },
              ]}
            />
          </>
        )}
        {props.canAct ? <AllocationForm ctx={ctx} action={`${here}/allocation`} parties={props.parties} current={view.allocation?.faults ?? []} /> : null}
      </Section>
      <Section id="claims" title={say(lang, '追偿债权与追回', 'Claims and recoveries')}>
        <DataTable
          caption={say(lang, '债权人向债务人追偿的金额', 'What each creditor recovers from each debtor')}
          rows={view.claims}
          rowKey={(row) => `${row.creditor}>${row.debtor}`}
          empty={say(lang, '没有追偿债权', 'No recourse claim')}
          columns={[
            { label: say(lang, '债权人', 'Creditor'), cell: (row) => name(row.creditor) },
            { label: say(lang, '债务人', 'Debtor'), cell: (row) => name(row.debtor) },
            { label: say(lang, '债权金额', 'Claim'), cell: (row) => <Money fen={row.amountFen} />, numeric: true },
            { label: say(lang, '已追回', 'Recovered'), cell: (row) => <Money fen={row.recoveredFen} />, numeric: true },
            { label: say(lang, '未追回', 'Outstanding'), cell: (row) => <Money fen={row.outstandingFen} />, numeric: true },
          ]}
        />
        <DataTable
          caption={say(lang, '已记录的追回款（均已入基金台账）', 'Recoveries recorded (each entered in the ledger)')}
          rows={view.recoveries}
          rowKey={(row) => row.reference}
          empty={say(lang, '尚无追回款', 'Nothing recovered yet')}
          columns={[
            { label: say(lang, '到账日', 'Received on'), cell: (row) => row.on },
            { label: say(lang, '债权人', 'Creditor'), cell: (row) => name(row.creditor) },
            { label: say(lang, '债务人', 'Debtor'), cell: (row) => name(row.debtor) },
            { label: say(lang, '金额', 'Amount'), cell: (row) => <Money fen={row.amountFen} />, numeric: true },
            { label: say(lang, '依据', 'Reference'), cell: (row) => <code>{row.reference}</code> },
          ]}
        />
        {props.canAct && view.claims.length > 0 ? <RecoveryForm ctx={ctx} action={`${here}/recoveries`} claims={view.claims} name={name} /> : null}
      </Section>
      <Section id="outstanding" title={say(lang, '各责任主体未追回金额与诉讼时效', 'Outstanding by party and limitation dates')}>
        <DataTable
          caption={say(lang, '各债务人应付、已付与未付', 'What each debtor owes, has paid back and still owes')}
          rows={view.outstanding}
          rowKey={(row) => row.party}
          empty={say(lang, '没有未追回的金额', 'Nothing outstanding')}
          columns={[
            { label: say(lang, '责任主体', 'Party'), cell: (row) => name(row.party) },
            { label: say(lang, '应付', 'Owed'), cell: (row) => <Money fen={row.owedFen} />, numeric: true },
            { label: say(lang, '已追回', 'Recovered'), cell: (row) => <Money fen={row.recoveredFen} />, numeric: true },
            { label: say(lang, '未追回', 'Outstanding'), cell: (row) => <Money fen={row.outstandingFen} />, numeric: true },
          ]}
        />
        <DataTable
          caption={say(lang, '诉讼时效届满日（默认自揭露日起三年；催告等可中断）', 'Limitation dates (three years from disclosure unless interrupted)')}
          rows={view.limitations}
          rowKey={(row) => row.party}
          empty={say(lang, '尚未确定分担，时效届满日随分担一并列出', 'Listed once the shares are recorded')}
          columns={[
            { label: say(lang, '责任主体', 'Party'), cell: (row) => name(row.party) },
            { label: say(lang, '届满日', 'Limitation date'), cell: (row) => <span class={row.daysOverdue !== null ? 'overdue' : undefined}>{row.date}</span> },
            { label: say(lang, '依据', 'Basis'), cell: (row) => (row.basis === 'override' ? say(lang, `变更：${row.reason ?? ''}`, `changed: ${row.reason ?? ''}`) : say(lang, '揭露日起三年', 'three years from disclosure')) },
            { label: say(lang, '逾期', 'Overdue'), cell: (row) => (row.daysOverdue === null ? '—' : <span class="overdue">{say(lang, `已过 ${row.daysOverdue} 天且仍有未追回金额`, `${row.daysOverdue} days past, with money still owed`)}</span>) },
          ]}
        />
      </Section>
    </ConsoleFrame>
  );
}

function AllocationForm(props: { ctx: WebContext; action: string; parties: { id: string; name: string; kind: string }[]; current: NonNullable<RecourseView['allocation']>['faults'] }) {
  const { lang } = props.ctx;
  // A new version starts from the one in force, so a correction changes only what it must.
  const faultOf = (id: string) => props.current.find((entry) => entry.id === id)?.fault;
  return (
    <form method="post" action={props.action} class="form">
      <CsrfField token={props.ctx.csrfToken} />
      <h3>{say(lang, '记录责任份额', 'Record the shares')}</h3>
      <p class="hint">{say(lang, '按百分比填写；无法确定的各方平均分担其余部分；已尽职的保荐机构等无过错方不承担份额。百分比合计须为 100（有无法确定者时小于 100）。', 'Give percentages; parties whose share cannot be told split the rest equally; a party without fault (a sponsor that did its duty) bears none. Percentages add up to 100, or less when some are undeterminable.')}</p>
      {props.parties.map((party) => (
        <fieldset key={party.id}>
          <legend>{nameWithId(lang, party.name, partyKindName(lang, party.kind))}</legend>
          <Select id={`fault-${party.id}`} label={say(lang, '过错', 'Fault')} name={`fault.${party.id}`} value={typeof faultOf(party.id) === 'string' ? (faultOf(party.id) as string) : 'percent'} options={[
            { value: 'percent', label: say(lang, '按百分比', 'a percentage') }, { value: 'undeterminable', label: say(lang, '无法确定', 'cannot be told') }, { value: 'no-fault', label: say(lang, '无过错', 'no fault') },
          ]} />
          <Field id={`percent-${party.id}`} label={say(lang, '百分比', 'Percent')} name={`percent.${party.id}`} value={(faultOf(party.id) as { percent?: string } | undefined)?.percent} pattern="[0-9]{1,3}([.][0-9]{1,12})?" inputmode="decimal" />
        </fieldset>
      ))}
      <TextArea id="allocation-basis" label={say(lang, '依据', 'Basis')} name="basis" required rows={3} maxLength={2000} hint={say(lang, '判决、裁定或各方协议的名称与文号。', 'The judgment, ruling or agreement the shares rest on.')} />
      <div class="actions"><button type="submit">{say(lang, '记录份额', 'Record the shares')}</button></div>
    </form>
  );
}

function RecoveryForm(props: { ctx: WebContext; action: string; claims: RecourseView['claims']; name: (id: string) => string }) {
  const { lang } = props.ctx;
  const creditors = [...new Set(props.claims.map((claim) => claim.creditor))];
  const debtors = [...new Set(props.claims.map((claim) => claim.debtor))];
  return (
    <form method="post" action={props.action} class="form narrow">
      <CsrfField token={props.ctx.csrfToken} />
      <h3>{say(lang, '记录追回款', 'Record a recovery')}</h3>
      <Select id="recovery-creditor" label={say(lang, '债权人', 'Creditor')} name="creditor" required options={creditors.map((id) => ({ value: id, label: props.name(id) }))} />
      <Select id="recovery-debtor" label={say(lang, '债务人', 'Debtor')} name="debtor" required options={debtors.map((id) => ({ value: id, label: props.name(id) }))} />
      <Field id="recovery-amount" label={say(lang, '金额（元）', 'Amount (yuan)')} name="amount" required pattern={YUAN_PATTERN} inputmode="decimal" />
      <Field id="recovery-date" label={say(lang, '到账日', 'Received on')} name="receivedOn" type="date" required />
      <Field id="recovery-reference" label={say(lang, '依据（银行流水、判决或和解编号）', 'Reference (bank transfer, judgment or settlement)')} name="reference" required maxLength={200} />
      <div class="actions"><button type="submit">{say(lang, '记录并入账', 'Record and enter in the ledger')}</button></div>
    </form>
  );
}
