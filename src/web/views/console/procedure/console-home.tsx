import type { CasePhase } from '../../../../domain/procedure/case-progress.ts';
import { say } from '../../../i18n.ts';
import type { WebContext } from '../../../web-context.ts';
import { Layout } from '../../layout.tsx';
import { DataTable, Tag } from '../../ui.tsx';
import { consoleUrl } from '../console-frame.tsx';
import { PHASE_NAMES } from '../../words.ts';
import { mayIssue } from './shared.tsx';

/** One case as the console lists it (the API's caseSummary and the case's title). */
export interface ConsoleCaseRow {
  caseId: string;
  title: string;
  issuer: string | null;
  phase: CasePhase;
  openedOn: string;
  limitDate: string;
  daysLeft: number;
  breaches: number;
}

/** The console's home: every case, where it stands, and how close it is to its three-month limit. */
export function ConsoleHomePage(props: { ctx: WebContext; cases: ConsoleCaseRow[] }) {
  const { ctx } = props;
  const { lang } = ctx;
  return (
    <Layout ctx={ctx} title={say(lang, '工作台', 'Console')}>
      <h1>{say(lang, '工作台', 'Console')}</h1>
      <p class="lead">{say(lang, `今天是 ${ctx.today}。每个案件须自启动之日起三个月内完成；超期或晚于期限的安排以红色标出。`, `Today is ${ctx.today}. Every case must close within three months of opening; breaches of that limit are shown in red.`)}</p>
      <section class="card" aria-labelledby="cases-title">
        <div class="card-head"><h2 id="cases-title">{say(lang, '案件', 'Cases')}</h2></div>
        <DataTable
          caption={say(lang, `共 ${props.cases.length} 件案件`, `${props.cases.length} cases`)}
          rowKey={(row) => row.caseId}
          empty={say(lang, '尚无案件', 'No case yet')}
          rows={props.cases}
          columns={[
            { label: say(lang, '案件', 'Case'), cell: (row) => <a href={consoleUrl(row.caseId, 'dashboard')}>{row.title}</a> },
            { label: say(lang, '发行人', 'Issuer'), cell: (row) => row.issuer ?? '—' },
            { label: say(lang, '阶段', 'Phase'), cell: (row) => PHASE_NAMES[row.phase][lang] },
            { label: say(lang, '启动日', 'Opened on'), cell: (row) => row.openedOn },
            { label: say(lang, '期限届满日', 'Limit date'), cell: (row) => row.limitDate },
            {
              label: say(lang, '剩余天数', 'Days left'),
              numeric: true,
              cell: (row) => (row.daysLeft < 0
                ? <span class="breach">{say(lang, `已超期 ${-row.daysLeft} 天`, `${-row.daysLeft} days past`)}</span>
                : <>{row.daysLeft}{row.daysLeft <= 14 ? <> <Tag tone="warn">{say(lang, '临近期限', 'close to the limit')}</Tag></> : null}</>),
            },
            {
              label: say(lang, '违反期限', 'Breaches'),
              numeric: true,
              cell: (row) => (row.breaches > 0 ? <span class="breach">{row.breaches}</span> : <Tag tone="good">{say(lang, '无', 'none')}</Tag>),
            },
          ]}
        />
      </section>
      {mayIssue(ctx.actor.role, 'record-penalty-decision') ? (
        <section class="card" aria-labelledby="new-case-title">
          <div class="card-head"><h2 id="new-case-title">{say(lang, '新案件', 'A new case')}</h2></div>
          <p>
            {say(lang, '录入行政处罚决定（案件于次日自动启动）或当事人承诺，请通过 API：', 'To record a penalty decision (the case opens the next day) or a commitment, use the API: ')}
            <code>POST /api/v1/cases</code>{say(lang, '、', ', ')}<code>POST /api/v1/cases/under-commitment</code>
            {say(lang, '。接口说明见 ', '. See ')}<a href="/api/openapi.json">{say(lang, 'API 文档（OpenAPI）', 'the API description (OpenAPI)')}</a>{say(lang, '。', '.')}
          </p>
        </section>
      ) : null}
    </Layout>
  );
}
