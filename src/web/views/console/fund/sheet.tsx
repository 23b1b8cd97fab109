import type { CalculationSheet } from '../../../../domain/loss/calculation-sheet.ts';
import { say } from '../../../i18n.ts';
import type { WebContext } from '../../../web-context.ts';
import { CalculationSheetView, SheetSummary } from '../../calculation-sheet.tsx';
import { ConsoleFrame } from '../console-frame.tsx';
import { runUrl } from './runs.tsx';

/** One investor's calculation sheet (计算明细表) of a run, as a console page. */
export function SheetPage(props: { ctx: WebContext; caseId: string; caseTitle: string; runId: string; sheet: CalculationSheet; totalFen: bigint }) {
  const { ctx, sheet } = props;
  const { lang } = ctx;
  return (
    <ConsoleFrame ctx={ctx} caseId={props.caseId} caseTitle={props.caseTitle} section="runs" title={`${say(lang, '计算明细表', 'Calculation sheet')} · ${sheet.investor}`}>
      <p><a href={runUrl(props.caseId, props.runId)}>{say(lang, `← 计算批次 ${props.runId}`, `← Run ${props.runId}`)}</a></p>
      <SheetSummary lang={lang} sheet={sheet} totalFen={props.totalFen} />
      <CalculationSheetView lang={lang} sheet={sheet} level={2} />
    </ConsoleFrame>
  );
}
