import { say, type Lang } from '../../../i18n.ts';
import type { WebContext } from '../../../web-context.ts';
import type { Outcome } from '../../../outcome.ts';
import { CsrfField, DataTable, Facts, FilterForm, Flash, Money, OutcomeFlash, Pager, Section, Select, StatusTag, TextArea } from '../../ui.tsx';
import { STATUS_WORDS } from '../../words.ts';
import { ConsoleFrame, consoleUrl } from '../console-frame.tsx';
import { chinaTime, nameWithId, Stat, statusOptions, withQuery } from './fund-ui.tsx';
import { offerUrl } from './offers.tsx';

/** A payment batch (付款批次) as the console shows it. */
export interface BatchSummary {
  batchId: string;
  caseId: string;
  status: string;
  preparedBy: { id: string; name: string };
  preparedOn: string;
  approvedBy: { id: string; name: string } | null;
  approvedAt: Date | null;
  sentAt: Date | null;
  items: number;
  totalFen: bigint;
}

export interface ItemRow {
  offerId: string;
  investor: string;
  amountFen: bigint;
  routeKind: string;
  routeReference: string;
  attempt: number;
  status: string;
  failure: string | null;
}

export function batchUrl(batchId: string): string {
  return `/console/payment-batches/${encodeURIComponent(batchId)}`;
}

function person(lang: Lang, who: { id: string; name: string } | null): string {
  return who === null ? '—' : nameWithId(lang, who.name, who.id);
}

export function PaymentsPage(props: { ctx: WebContext; caseId: string; caseTitle: string; batches: BatchSummary[]; canAct: boolean; outcome: Outcome | null }) {
  const { ctx } = props;
  const { lang } = ctx;
  return (
    <ConsoleFrame ctx={ctx} caseId={props.caseId} caseTitle={props.caseTitle} section="payments" title={say(lang, '支付批次', 'Payment batches')}>
      <OutcomeFlash outcome={props.outcome} />
      <p class="lead">{say(lang,
        '答复期结束后，已接受的要约编入付款批次；批次须由制单人以外的另一名管理人批准（四眼原则），批准后发出付款指令，再导入银行的付款结果。',
        'After the answer period, accepted offers go into payment batches. A batch is approved by an administrator other than the one who prepared it (the two-person rule), then its instructions go to the bank and the bank\'s results are imported.')}</p>
      <DataTable
        caption={say(lang, '本案的付款批次（按制单时间）', 'Batches of this case, by preparation time')}
        rows={props.batches}
        rowKey={(batch) => batch.batchId}
        empty={say(lang, '尚无付款批次', 'No batch yet')}
        columns={[
          { label: say(lang, '批次', 'Batch'), cell: (batch) => <a href={batchUrl(batch.batchId)}>{batch.batchId}</a> },
          { label: say(lang, '状态', 'Status'), cell: (batch) => <StatusTag lang={lang} of="batch" status={batch.status} /> },
          { label: say(lang, '制单人', 'Prepared by'), cell: (batch) => person(lang, batch.preparedBy) },
          { label: say(lang, '制单日', 'Prepared on'), cell: (batch) => batch.preparedOn },
          { label: say(lang, '批准人', 'Approved by'), cell: (batch) => person(lang, batch.approvedBy) },
          { label: say(lang, '笔数', 'Items'), cell: (batch) => batch.items, numeric: true },
          { label: say(lang, '金额', 'Total'), cell: (batch) => <Money fen={batch.totalFen} />, numeric: true },
        ]}
      />
      {props.canAct ? (
        <Section id="prepare" title={say(lang, '制作付款批次', 'Prepare a batch')}>
          <form method="post" action={consoleUrl(props.caseId, 'payments')} class="form narrow">
            <CsrfField token={ctx.csrfToken} />
            <p>{say(lang, '将所有已接受、尚未付款（或上次付款失败并已登记新收款路径）的要约编入新批次。您将成为制单人，须由另一名管理人批准。', 'Puts every accepted offer not yet paid (or whose last payment failed and has a new route) into a new batch. You will be its preparer; another administrator must approve it.')}</p>
            <div class="actions"><button type="submit">{say(lang, '制作批次', 'Prepare a batch')}</button></div>
          </form>
        </Section>
      ) : null}
    </ConsoleFrame>
  );
}

export interface ImportReport {
  applied: number;
  rejected: { line: number; reason: string }[];
}

export function BatchPage(props: {
  ctx: WebContext; caseTitle: string; batch: BatchSummary; counts: { status: string; count: number; totalFen: bigint }[]; filterStatus: string;
  items: ItemRow[]; nextUrl: string | null; canAct: boolean; importReport: ImportReport | null; outcome: Outcome | null;
}) {
  const { ctx, batch } = props;
  const { lang } = ctx;
  const here = batchUrl(batch.batchId);
  const preparer = person(lang, batch.preparedBy);
  const youPrepared = ctx.actor.id === batch.preparedBy.id;
  return (
    <ConsoleFrame ctx={ctx} caseId={batch.caseId} caseTitle={props.caseTitle} section="payments" title={`${say(lang, '付款批次', 'Payment batch')} ${batch.batchId}`}>
      <OutcomeFlash outcome={props.outcome} />
      <p><a href={consoleUrl(batch.caseId, 'payments')}>{say(lang, '← 全部付款批次', '← All batches')}</a></p>
      <Facts items={[
        [say(lang, '状态', 'Status'), <span id="batch-status"><StatusTag lang={lang} of="batch" status={batch.status} /></span>],
        [say(lang, '制单人', 'Prepared by'), <span id="batch-prepared-by">{preparer}</span>],
        [say(lang, '制单日', 'Prepared on'), batch.preparedOn],
        [say(lang, '批准人', 'Approved by'), <span id="batch-approved-by">{person(lang, batch.approvedBy)}</span>],
        [say(lang, '批准时间', 'Approved at'), chinaTime(batch.approvedAt)],
        [say(lang, '发出时间', 'Sent at'), chinaTime(batch.sentAt)],
        [say(lang, '笔数', 'Items'), batch.items],
        [say(lang, '金额合计', 'Total'), <Money fen={batch.totalFen} />],
      ]} />
      <div class="grid" role="group" aria-label={say(lang, '各状态的笔数与金额', 'Items and amounts by status')}>
        {Object.entries(STATUS_WORDS.item).map(([status, word]) => {
          const entry = props.counts.find((count) => count.status === status);
          return <Stat id={`items-${status}`} label={word[lang]}>{entry?.count ?? 0}</Stat>;
        })}
      </div>
      {props.importReport !== null ? <ImportReportSection lang={lang} report={props.importReport} /> : null}
      {batch.status === 'prepared' ? (
        <Section id="approve" title={say(lang, '批准', 'Approval')}>
          <p>{say(lang,
            `本批次由 ${preparer} 制作。按四眼原则，须由另一名管理人批准，制单人不能批准自己制作的批次。`,
            `This batch was prepared by ${preparer}. Under the two-person rule a second administrator must approve it; its preparer may not.`)}</p>
          {props.canAct ? (
            <form method="post" action={`${here}/approve`} class="form narrow">
              <CsrfField token={ctx.csrfToken} />
              {youPrepared ? <p class="hint">{say(lang, '您是本批次的制单人，您的批准将被拒绝并记入审计日志。', 'You prepared this batch: your approval will be refused and logged.')}</p> : null}
              <div class="actions"><button type="submit">{say(lang, '批准此批次', 'Approve this batch')}</button></div>
            </form>
          ) : null}
        </Section>
      ) : null}
      {batch.status === 'approved' && props.canAct ? (
        <Section id="send" title={say(lang, '发出付款指令', 'Send the instructions')}>
          <form method="post" action={`${here}/send`} class="form narrow">
            <CsrfField token={ctx.csrfToken} />
            <p>{say(lang, '发出后批次状态变为“已发出”，并下载付款指令文件（CSV）交托管银行。刷新本页可看到新状态。', 'The batch becomes sent and the instructions file (CSV) for the custodian bank downloads. Reload this page to see the new status.')}</p>
            <div class="actions"><button type="submit">{say(lang, '发出并下载付款指令', 'Send and download the instructions')}</button></div>
          </form>
        </Section>
      ) : null}
      {batch.status === 'sent' || batch.status === 'settled' ? (
        <Section id="results" title={say(lang, '付款结果', 'Payment results')}>
          <p><a href={`${here}/instructions.csv`}>{say(lang, '下载付款指令文件（CSV）', 'Download the instructions (CSV)')}</a></p>
          {props.canAct ? (
            <form method="post" action={`${here}/results`} class="form">
              <CsrfField token={ctx.csrfToken} />
              <TextArea id="results-csv" label={say(lang, '银行返回的付款结果（CSV）', 'The bank\'s results (CSV)')} name="csv" required rows={8}
                hint={say(lang, '首行为 offer_id,amount,outcome,reason；金额为两位小数的元；失败须写原因。重复导入不会重复记账。', 'Header offer_id,amount,outcome,reason; amounts in yuan with two decimals; a failure needs its reason. Importing again records nothing twice.')} />
              <div class="actions"><button type="submit">{say(lang, '导入结果', 'Import the results')}</button></div>
            </form>
          ) : null}
        </Section>
      ) : null}
      <Section id="items" title={say(lang, '付款明细', 'Items')}>
        <div id="items-list">
          <FilterForm lang={lang} action={here} target="#items-list">
            <Select id="items-status" label={say(lang, '状态', 'Status')} name="status" value={props.filterStatus} options={statusOptions(lang, 'item')} />
          </FilterForm>
          <DataTable
            caption={say(lang, '按要约编号排序，每页 50 笔', 'By offer id, 50 a page')}
            rows={props.items}
            rowKey={(item) => item.offerId}
            empty={say(lang, '没有符合条件的付款', 'No item matches')}
            columns={[
              { label: say(lang, '投资者', 'Investor'), cell: (item) => item.investor },
              { label: say(lang, '要约', 'Offer'), cell: (item) => <a href={offerUrl(item.offerId)}><code>{item.offerId}</code></a> },
              { label: say(lang, '金额', 'Amount'), cell: (item) => <Money fen={item.amountFen} />, numeric: true },
              { label: say(lang, '收款路径', 'Route'), cell: (item) => `${item.routeKind === 'bank-account' ? say(lang, '银行账户', 'bank account') : say(lang, '证券资金账户', 'securities account')} ${item.routeReference}` },
              { label: say(lang, '次数', 'Attempt'), cell: (item) => item.attempt, numeric: true },
              { label: say(lang, '状态', 'Status'), cell: (item) => <StatusTag lang={lang} of="item" status={item.status} /> },
              { label: say(lang, '失败原因', 'Failure'), cell: (item) => item.failure ?? '—' },
            ]}
          />
          <Pager lang={lang} firstUrl={withQuery(here, { status: props.filterStatus })} nextUrl={props.nextUrl} target="#items-list" />
        </div>
      </Section>
    </ConsoleFrame>
  );
}

function ImportReportSection(props: { lang: 'zh' | 'en'; report: ImportReport }) {
  const { lang, report } = props;
  return (
    <Section id="import-report" title={say(lang, '导入结果', 'Import report')}>
      <Flash tone={report.rejected.length === 0 ? 'good' : 'bad'}>
        {say(lang, `已记录 ${report.applied} 笔，退回 ${report.rejected.length} 行。`, `${report.applied} recorded, ${report.rejected.length} rows sent back.`)}
      </Flash>
      <DataTable
        caption={say(lang, '未记录的行（行号与原因）', 'Rows not recorded, with line and reason')}
        rows={report.rejected}
        rowKey={(row) => `${row.line}:${row.reason}`}
        empty={say(lang, '每一行都已记录', 'Every row was recorded')}
        columns={[
          { label: say(lang, '行号', 'Line'), cell: (row) => row.line, numeric: true },
          { label: say(lang, '原因', 'Reason'), cell: (row) => row.reason },
        ]}
      />
    </Section>
  );
}
