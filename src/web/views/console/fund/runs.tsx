import { say, type Lang } from '../../../i18n.ts';
import type { WebContext } from '../../../web-context.ts';
import type { Outcome } from '../../../outcome.ts';
import { CsrfField, DataTable, Facts, Field, Money, OutcomeFlash, Pager, Section, Select, StatusTag } from '../../ui.tsx';
import { STATUS_WORDS } from '../../words.ts';
import { ConsoleFrame, consoleUrl } from '../console-frame.tsx';
import { chinaTime, InvestorListFilters, Stat, withQuery } from './fund-ui.tsx';

/** A computation run (计算批次) as the console lists it. */
export interface RunSummary {
  runId: string;
  status: string;
  dataset: string;
  planVersion: number;
  planSha256: string;
  startedAt: Date;
  finishedAt: Date | null;
  error: string | null;
  inputSha256: string | null;
  counts: { investors: number; payable: number; zero: number; ineligible: number; rejected: number; rejectedRows: number } | null;
  totalFen: bigint | null;
}

export interface ResultRow {
  investor: string;
  status: string;
  reason: string;
  lossFen: bigint;
  deductionFen: bigint;
  principalFen: bigint;
  commissionFen: bigint;
  stampDutyFen: bigint;
  interestFen: bigint;
  totalFen: bigint;
}

export interface RejectedRow {
  file: string;
  line: number;
  investor: string;
  reason: string;
}

/** The results a run counts, in the order its figures are shown. */
const RESULT_COUNTS = ['payable', 'zero', 'ineligible', 'rejected'] as const;

export function runUrl(caseId: string, runId: string): string {
  return `${consoleUrl(caseId, 'runs')}/${encodeURIComponent(runId)}`;
}

export function resultUrl(caseId: string, runId: string, investor: string): string {
  return `${runUrl(caseId, runId)}/results/${encodeURIComponent(investor)}`;
}

export function RunsPage(props: { ctx: WebContext; caseId: string; caseTitle: string; runs: RunSummary[]; adoptedPlanVersion: number | null; canAct: boolean; outcome: Outcome | null }) {
  const { ctx } = props;
  const { lang } = ctx;
  return (
    <ConsoleFrame ctx={ctx} caseId={props.caseId} caseTitle={props.caseTitle} section="runs" title={say(lang, '计算批次', 'Computation runs')}>
      <OutcomeFlash outcome={props.outcome} />
      <p class="lead">{say(lang,
        '每个批次用登记结算数据按已通过的方案逐人计算损失；输入文件的 SHA-256 记录在案，相同输入与方案的重算结果相同。',
        'Each run computes every investor\'s loss from the registry\'s data under the adopted plan; the SHA-256 of its inputs is recorded, and a rerun on the same inputs and plan gives the same results.')}</p>
      <DataTable
        caption={say(lang, '本案的计算批次（按开始时间）', 'Runs of this case, by start time')}
        rows={props.runs}
        rowKey={(run) => run.runId}
        empty={say(lang, '尚无计算批次', 'No run yet')}
        columns={[
          { label: say(lang, '批次', 'Run'), cell: (run) => <a href={runUrl(props.caseId, run.runId)}>{run.runId}</a> },
          { label: say(lang, '状态', 'Status'), cell: (run) => <StatusTag lang={lang} of="run" status={run.status} /> },
          { label: say(lang, '数据集', 'Dataset'), cell: (run) => <code>{run.dataset}</code> },
          { label: say(lang, '方案版本', 'Plan version'), cell: (run) => `v${run.planVersion}`, numeric: true },
          { label: say(lang, '开始', 'Started'), cell: (run) => chinaTime(run.startedAt) },
          { label: say(lang, '结束', 'Finished'), cell: (run) => chinaTime(run.finishedAt) },
          { label: say(lang, '投资者', 'Investors'), cell: (run) => run.counts?.investors ?? '—', numeric: true },
          ...RESULT_COUNTS.map((status) => ({ label: STATUS_WORDS.result[status][lang], cell: (run: RunSummary) => run.counts?.[status] ?? '—', numeric: true })),
          { label: say(lang, '赔付总额', 'Total'), cell: (run) => (run.totalFen === null ? '—' : <Money fen={run.totalFen} />), numeric: true },
          { label: say(lang, '输入 SHA-256', 'Input SHA-256'), cell: (run) => (run.inputSha256 ? <code title={run.inputSha256}>{run.inputSha256.slice(0, 12)}…</code> : '—') },
        ]}
      />
      {props.canAct ? (
        <Section id="start-run" title={say(lang, '开始新的计算', 'Start a run')}>
          {props.adoptedPlanVersion === null ? (
            <p class="muted">{say(lang, '方案尚未经听证通过，不能计算。', 'No plan has been adopted at a hearing yet, so nothing can be computed.')}</p>
          ) : (
            <form method="post" action={consoleUrl(props.caseId, 'runs')} class="form narrow">
              <CsrfField token={ctx.csrfToken} />
              <p>{say(lang, `按已通过的第 ${props.adoptedPlanVersion} 版方案计算。`, `Computed under the adopted plan, version ${props.adoptedPlanVersion}.`)}</p>
              <Field id="run-dataset" label={say(lang, '数据集', 'Dataset')} name="dataset" required maxLength={200}
                hint={say(lang, '服务器导入目录下的文件夹，内含 trades.csv 等登记结算文件。', 'A folder under the server\'s import root holding trades.csv and the other registry files.')} />
              <Select id="run-encoding" label={say(lang, '文件编码', 'File encoding')} name="encoding" value="utf-8" options={[{ value: 'utf-8', label: 'UTF-8' }, { value: 'gb18030', label: 'GB18030' }]} />
              <div class="actions"><button type="submit">{say(lang, '开始计算', 'Start the run')}</button></div>
            </form>
          )}
        </Section>
      ) : null}
    </ConsoleFrame>
  );
}

/** The panel of a run that is still computing; it asks for itself again every two seconds until the run ends. */
export function RunProgress(props: { ctx: WebContext; caseId: string; run: RunSummary; elapsedSeconds: number }) {
  const { lang } = props.ctx;
  const { run } = props;
  const here = runUrl(props.caseId, run.runId);
  const running = run.status === 'running';
  return (
    <section class="card" id="run-progress" aria-live="polite" aria-labelledby="run-progress-title"
      {...(running ? { 'hx-get': `${here}/progress`, 'hx-trigger': 'every 2s', 'hx-swap': 'outerHTML' } : {})}>
      <div class="card-head"><h2 id="run-progress-title">{say(lang, '计算进度', 'Progress')}</h2><StatusTag lang={lang} of="run" status={run.status} /></div>
      {running ? (
        <>
          <p>{say(lang, `正在计算，已用时 ${props.elapsedSeconds} 秒。全部投资者的结果在计算结束时一并写入。`, `Computing for ${props.elapsedSeconds} s. Every investor's result is written at once when the run ends.`)}</p>
          <div class="bar" role="progressbar" aria-label={say(lang, '计算中', 'Computing')} aria-busy="true"><span style="width: 100%; opacity: .35"></span></div>
          <p><a href={here}>{say(lang, '刷新页面', 'Reload the page')}</a></p>
        </>
      ) : run.status === 'failed' ? (
        <p class="breach">{say(lang, '计算失败：', 'The run failed: ')}{run.error}</p>
      ) : (
        <p>{say(lang, '计算已完成。', 'The run has finished.')} <a href={here}>{say(lang, '查看结果', 'See the results')}</a></p>
      )}
    </section>
  );
}

export interface RunPageProps {
  ctx: WebContext;
  caseId: string;
  caseTitle: string;
  run: RunSummary;
  elapsedSeconds: number;
  /** Whether the run was computed on the plan adopted now. */
  onAdoptedPlan: boolean;
  offersMade: { count: number; totalFen: bigint } | null;
  canAct: boolean;
  filters: { status: string; q: string };
  results: ResultRow[];
  nextResultsUrl: string | null;
  rejected: RejectedRow[];
  rejectedTotal: number;
  nextRejectedUrl: string | null;
  outcome: Outcome | null;
}

export function RunPage(props: RunPageProps) {
  const { ctx, run } = props;
  const { lang } = ctx;
  const here = runUrl(props.caseId, run.runId);
  const counts = run.counts;
  return (
    <ConsoleFrame ctx={ctx} caseId={props.caseId} caseTitle={props.caseTitle} section="runs" title={`${say(lang, '计算批次', 'Run')} ${run.runId}`}>
      <OutcomeFlash outcome={props.outcome} />
      <p><a href={consoleUrl(props.caseId, 'runs')}>{say(lang, '← 全部计算批次', '← All runs')}</a></p>
      <Facts items={[
        [say(lang, '状态', 'Status'), <StatusTag lang={lang} of="run" status={run.status} />],
        [say(lang, '数据集', 'Dataset'), <code>{run.dataset}</code>],
        [say(lang, '方案', 'Plan'), <>v{run.planVersion} <code>{run.planSha256}</code></>],
        [say(lang, '开始', 'Started'), chinaTime(run.startedAt)],
        [say(lang, '结束', 'Finished'), chinaTime(run.finishedAt)],
        [say(lang, '输入 SHA-256', 'Input SHA-256'), run.inputSha256 ? <code>{run.inputSha256}</code> : '—'],
      ]} />
      {run.status !== 'finished' ? <RunProgress ctx={ctx} caseId={props.caseId} run={run} elapsedSeconds={props.elapsedSeconds} /> : null}
      {counts !== null ? (
        <div class="grid" role="group" aria-label={say(lang, '各状态人数', 'Investors by status')}>
          <Stat id="run-investors" label={say(lang, '投资者', 'Investors')}>{counts.investors}</Stat>
          {RESULT_COUNTS.map((status) => <Stat id={`run-${status}`} label={STATUS_WORDS.result[status][lang]}>{counts[status]}</Stat>)}
          <Stat id="run-total" label={say(lang, '赔付总额', 'Total payable')}>{run.totalFen === null ? '—' : <Money fen={run.totalFen} />}</Stat>
        </div>
      ) : null}
      {run.status === 'finished' ? <OffersOfRun {...props} /> : null}
      {run.status === 'finished' ? (
        <Section id="results" title={say(lang, '逐人计算结果', 'Results by investor')}>
          <div id="results-list">
            <InvestorListFilters lang={lang} action={here} list="results" family="result" filters={props.filters} />
            <DataTable
              caption={say(lang, '按投资者编号排序，每页 50 人', 'In investor order, 50 a page')}
              rows={props.results}
              rowKey={(row) => row.investor}
              empty={say(lang, '没有符合条件的结果', 'No result matches')}
              columns={[
                { label: say(lang, '投资者', 'Investor'), cell: (row) => <a href={resultUrl(props.caseId, run.runId, row.investor)}>{row.investor}</a> },
                { label: say(lang, '状态', 'Status'), cell: (row) => <StatusTag lang={lang} of="result" status={row.status} /> },
                { label: say(lang, '投资差额损失', 'Investment difference loss'), cell: (row) => <Money fen={row.lossFen} />, numeric: true },
                { label: say(lang, '系统风险扣除', 'Market-risk deduction'), cell: (row) => <Money fen={row.deductionFen} />, numeric: true },
                { label: say(lang, '本金', 'Principal'), cell: (row) => <Money fen={row.principalFen} />, numeric: true },
                { label: say(lang, '佣金', 'Commission'), cell: (row) => <Money fen={row.commissionFen} />, numeric: true },
                { label: say(lang, '印花税', 'Stamp duty'), cell: (row) => <Money fen={row.stampDutyFen} />, numeric: true },
                { label: say(lang, '利息', 'Interest'), cell: (row) => <Money fen={row.interestFen} />, numeric: true },
                { label: say(lang, '合计', 'Total'), cell: (row) => <Money fen={row.totalFen} />, numeric: true },
                { label: say(lang, '说明', 'Reason'), cell: (row) => reasonWords(lang, row.reason) },
              ]}
            />
            <Pager lang={lang} firstUrl={withQuery(here, props.filters)} nextUrl={props.nextResultsUrl} target="#results-list" />
          </div>
        </Section>
      ) : null}
      {run.status === 'finished' ? (
        <Section id="rejected" title={say(lang, `被拒绝的数据行（共 ${props.rejectedTotal} 行）`, `Rejected rows (${props.rejectedTotal} in all)`)}>
          <DataTable
            caption={say(lang, '按文件与行号排序', 'By file and line')}
            rows={props.rejected}
            rowKey={(row) => `${row.file}:${row.line}`}
            empty={say(lang, '没有被拒绝的数据行', 'No row was rejected')}
            columns={[
              { label: say(lang, '文件', 'File'), cell: (row) => <code>{row.file}</code> },
              { label: say(lang, '行号', 'Line'), cell: (row) => row.line, numeric: true },
              { label: say(lang, '投资者', 'Investor'), cell: (row) => row.investor || '—' },
              { label: say(lang, '原因', 'Reason'), cell: (row) => row.reason },
            ]}
          />
          {props.nextRejectedUrl ? <p><a href={props.nextRejectedUrl}>{say(lang, '后面的数据行', 'Further rows')}</a></p> : null}
        </Section>
      ) : null}
    </ConsoleFrame>
  );
}

/** The engine's reasons (compensation.csv wording) in the page's language; the detail of a bad row stays as the engine wrote it. */
const REASONS: Record<string, string> = {
  'excluded from the plan': '方案排除的投资者',
  'missing ratio: no row in ratios.csv': 'ratios.csv 中没有该投资者的扣除比例',
  'no eligible shares held at disclosure': '揭露日未持有适格股份',
  'no eligible shares sold in the window': '实施日至揭露日前没有卖出',
  'no investment difference loss': '无投资差额损失',
};

function reasonWords(lang: Lang, reason: string): string {
  if (reason === '') return '—';
  if (lang === 'en') return reason;
  if (REASONS[reason]) return REASONS[reason];
  if (reason.startsWith('bad row: ')) return `数据行有误：${reason.slice('bad row: '.length)}`;
  if (reason.startsWith('missing position: ')) return `持仓缺失：${reason.slice('missing position: '.length)}`;
  return reason;
}

function OffersOfRun(props: RunPageProps) {
  const { lang } = props.ctx;
  return (
    <Section id="run-offers" title={say(lang, '赔付要约', 'Offers')}>
      {props.offersMade !== null && props.offersMade.count > 0 ? (
        <p>{say(lang, `已依本批次发出 ${props.offersMade.count} 份要约，金额合计 `, `${props.offersMade.count} offers were made from this run, for `)}<Money fen={props.offersMade.totalFen} />
          {' · '}<a href={consoleUrl(props.caseId, 'offers')}>{say(lang, '查看要约', 'See the offers')}</a></p>
      ) : !props.onAdoptedPlan ? (
        <p class="muted">{say(lang, '本批次所用方案不是现已通过的方案，不能据以发出要约。', 'This run was not computed on the plan adopted now; no offers can be made from it.')}</p>
      ) : props.canAct ? (
        <form method="post" action={`${runUrl(props.caseId, props.run.runId)}/offers`} class="form narrow">
          <CsrfField token={props.ctx.csrfToken} />
          <p>{say(lang, '向每位可赔付的投资者发出一份要约，金额为本批次计算的合计，附方案的和解协议。', 'Makes one offer to each payable investor, for the total this run computed, carrying the plan\'s settlement agreement.')}</p>
          <div class="actions"><button type="submit">{say(lang, '发出要约', 'Make the offers')}</button></div>
        </form>
      ) : (
        <p class="muted">{say(lang, '尚未依本批次发出要约。', 'No offers have been made from this run.')}</p>
      )}
    </Section>
  );
}
