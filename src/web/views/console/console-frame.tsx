import type { ComponentChildren } from 'preact';
import type { Role } from '../../../domain/access/roles.ts';
import { say } from '../../i18n.ts';
import type { WebContext } from '../../web-context.ts';
import { Layout } from '../layout.tsx';

/** The console's sections of a case, and who may open each. */
export type ConsoleSection = 'dashboard' | 'funding' | 'announcement' | 'hearing' | 'plans' | 'runs' | 'offers' | 'disputes' | 'payments' | 'ledger' | 'reconciliation' | 'recourse';

const STAFF: Role[] = ['administrator', 'auditor', 'hearing-host', 'funder', 'representative', 'lawyer'];

export const CONSOLE_SECTIONS: { section: ConsoleSection; path: string; zh: string; en: string; roles: Role[] }[] = [
  { section: 'dashboard', path: '', zh: '概览', en: 'Overview', roles: STAFF },
  { section: 'funding', path: '/funding', zh: '出资与到账', en: 'Funders and deposits', roles: ['administrator', 'auditor', 'funder'] },
  { section: 'announcement', path: '/announcement', zh: '公告与代表人选定', en: 'Announcement and selection', roles: ['administrator', 'auditor', 'representative', 'lawyer', 'hearing-host'] },
  { section: 'hearing', path: '/hearing', zh: '听证', en: 'Hearing', roles: STAFF },
  { section: 'plans', path: '/plans', zh: '赔付方案', en: 'Plans', roles: STAFF },
  { section: 'runs', path: '/runs', zh: '计算', en: 'Computations', roles: ['administrator', 'auditor'] },
  { section: 'offers', path: '/offers', zh: '要约', en: 'Offers', roles: ['administrator', 'auditor'] },
  { section: 'disputes', path: '/disputes', zh: '异议复核', en: 'Disputes', roles: ['administrator', 'auditor'] },
  { section: 'payments', path: '/payments', zh: '支付批次', en: 'Payment batches', roles: ['administrator', 'auditor'] },
  { section: 'ledger', path: '/ledger', zh: '基金台账', en: 'Ledger', roles: ['administrator', 'auditor', 'funder'] },
  { section: 'reconciliation', path: '/reconciliation', zh: '对账', en: 'Reconciliation', roles: ['administrator', 'auditor'] },
  { section: 'recourse', path: '/recourse', zh: '追偿', en: 'Recourse', roles: ['administrator', 'auditor', 'funder'] },
];

/** The roles that may open a console section. */
export function sectionRoles(section: ConsoleSection): Role[] {
  return CONSOLE_SECTIONS.find((entry) => entry.section === section)!.roles;
}

/** The route config of a console section's pages: a web page, open to exactly the section's roles. */
export function sectionPage(section: ConsoleSection): { web: true; access: { roles: Role[] } } {
  return { web: true, access: { roles: sectionRoles(section) } };
}

export function consoleUrl(caseId: string, section: ConsoleSection): string {
  return `/console/cases/${encodeURIComponent(caseId)}${CONSOLE_SECTIONS.find((entry) => entry.section === section)!.path}`;
}

/** A console page of one case: the case's name, the sections the reader's role may open, then the page. */
export function ConsoleFrame(props: { ctx: WebContext; caseId: string; caseTitle: string; section: ConsoleSection; title: string; children: ComponentChildren }) {
  const { ctx } = props;
  const sections = CONSOLE_SECTIONS.filter((entry) => entry.roles.includes(ctx.actor.role));
  return (
    <Layout ctx={ctx} title={`${props.title} · ${props.caseTitle}`}>
      <p class="muted"><a href="/console">{say(ctx.lang, '工作台', 'Console')}</a> / {props.caseTitle}</p>
      <nav class="subnav" aria-label={say(ctx.lang, '案件各环节', 'Steps of the case')}>
        {sections.map((entry) => (
          <a href={consoleUrl(props.caseId, entry.section)} aria-current={entry.section === props.section ? 'page' : undefined}>{ctx.lang === 'zh' ? entry.zh : entry.en}</a>
        ))}
      </nav>
      <h1>{props.title}</h1>
      {props.children}
    </Layout>
  );
}
