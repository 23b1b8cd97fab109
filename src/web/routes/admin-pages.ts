import type { TypedApp } from '../../server/api/app.ts';
import type { WebServices } from '../web-app.ts';
import { registerConsoleFundPages } from './console-fund-pages.ts';
import { registerConsoleProcedurePages } from './console-procedure-pages.ts';

/** The staff console: the procedure's steps, and the fund's money from offers to recourse. */
export function registerAdminPages(app: TypedApp, services: WebServices): void {
  registerConsoleProcedurePages(app, services);
  registerConsoleFundPages(app, services);
}
