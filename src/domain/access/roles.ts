/**
 * Who takes part in a case (procedure.md, Roles). Every command names the roles that may issue it;
 * the API and the procedure both check them, so a wrong role is refused before anything changes.
 */
export const ROLES = ['administrator', 'hearing-host', 'funder', 'representative', 'lawyer', 'investor', 'auditor', 'public'] as const;
export type Role = (typeof ROLES)[number];

/** The one who issues a command: an id that is stable across the case, and the role it acts in. */
export interface Actor {
  id: string;
  role: Role;
  name: string;
}
