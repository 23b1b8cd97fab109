import { z } from 'zod';
import type { Role } from '../access/roles.ts';
import { isIsoDate } from '../market/calendar-date.ts';
import { MAX_TIME_LIMIT_MONTHS } from './time-limit.ts';

/**
 * Every command the procedure accepts (procedure.md steps 1–7, docs/procedure.md): one zod schema
 * per command for its payload, which the API uses to validate request bodies and handleCommand
 * checks again, and the roles that may issue it. A command is `{ type, ...payload }`.
 *
 * Amounts are fen written as strings of digits and dates are YYYY-MM-DD, as in the plan document,
 * so that a request body never carries money as a binary float. Hex (seeds, hashes) is lowercase.
 */

const isoDate = z.string().refine(isIsoDate, 'must be a real date written YYYY-MM-DD');
const id = z
  .string()
  .min(1, 'an id is required')
  .max(128, 'an id has at most 128 characters')
  .refine((text) => text.trim() === text && !/\p{Cc}/u.test(text), 'an id has no leading or trailing spaces and no control characters');
const name = z.string().trim().min(1, 'a name is required').max(200, 'a name has at most 200 characters');
const text = z.string().trim().min(1, 'text is required').max(20_000, 'text has at most 20000 characters');
const fen = z.string().regex(/^(0|[1-9]\d{0,17})$/, 'must be an amount in fen written as a string of digits, e.g. "150000000"');
const positiveFen = z.string().regex(/^[1-9]\d{0,17}$/, 'must be an amount in fen above zero written as a string of digits');
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 written as 64 lowercase hex digits');
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

function distinct(values: readonly string[]): boolean {
  return new Set(values).size === values.length;
}

/** Kinds of party a penalty decision names liable (责任主体). */
export const LIABLE_PARTY_KINDS = ['issuer', 'sponsor', 'controlling-shareholder', 'actual-controller', 'auditor', 'law-firm', 'other'] as const;
export type LiablePartyKind = (typeof LIABLE_PARTY_KINDS)[number];

/** Ties an applicant declares; any tie to a liable party or a funder is a conflict of interest. */
export const TIE_RELATIONS = ['relative', 'employee', 'director', 'shareholder', 'counsel', 'other'] as const;
export type TieRelation = (typeof TIE_RELATIONS)[number];

/** A funder that is not one of the liable parties names this instead of a party id. */
export const OTHER_FUNDER = 'other';

const liableParty = z.strictObject({
  id: id.refine((value) => value !== OTHER_FUNDER, `'${OTHER_FUNDER}' is reserved for funders that are not liable parties`),
  name,
  kind: z.enum(LIABLE_PARTY_KINDS),
});

/** The dates of the misstatement as the decision states them, where it does (实施日, 揭露日, 基准日). */
const keyDates = z.strictObject({
  implementationDate: isoDate.optional(),
  disclosureDate: isoDate.optional(),
  baseDate: isoDate.optional(),
});

const caseFacts = {
  /** The listed company whose statements were false (发行人). */
  issuer: name,
  security: z.strictObject({ code: z.string().regex(/^[0-9A-Za-z.]{1,16}$/, 'must be a security code such as 688086'), name }),
  liableParties: z
    .array(liableParty)
    .min(1, 'name at least one liable party')
    .max(200)
    .refine((items) => distinct(items.map((party) => party.id)), 'each liable party id appears once'),
  facts: text,
  keyDates: keyDates.optional(),
  /** Months from opening to the limit date: three unless the case sets fewer. */
  timeLimitMonths: z.number().int().min(1).max(MAX_TIME_LIMIT_MONTHS).optional(),
};

const tie = z.strictObject({ partyId: id, relation: z.enum(TIE_RELATIONS) });
const ties = z
  .array(tie)
  .max(100)
  .refine((items) => distinct(items.map((item) => `${item.partyId}\u0000${item.relation}`)), 'each tie is declared once');

const agendaItem = z.strictObject({ id, title: name });
const evidenceItem = z.strictObject({ id, title: name, sha256 });

const uniqueIds = z
  .array(id)
  .max(100)
  .refine((items) => distinct(items), 'each id appears once');

export const caseCommandSchemas = {
  /** Step 1: the penalty decision (行政处罚决定) that triggers the case; it opens on T0 + 1. */
  'record-penalty-decision': z.strictObject({
    decisionNumber: name,
    decisionDate: isoDate,
    /** The authority that issued the decision (作出机关), e.g. 中国证监会. */
    authority: name,
    ...caseFacts,
  }),
  /** Step 1: early opening under an administrative-settlement commitment (当事人承诺). */
  'open-under-commitment': z.strictObject({
    commitmentNumber: name,
    committedOn: isoDate,
    /** The authority that accepted the commitment. */
    authority: name,
    opensOn: isoDate,
    ...caseFacts,
  }),
  /** Step 2: the issuer's reconsideration (行政复议) or litigation (行政诉讼); it changes no date. */
  'record-issuer-challenge': z.strictObject({
    kind: z.enum(['reconsideration', 'litigation']),
    filedOn: isoDate,
    /** Where it was filed: the reconsideration body or the court. */
    body: name,
    reference: name.optional(),
    summary: text.optional(),
  }),
  /** Step 2: always refused and logged. */
  'request-pause': z.strictObject({
    ground: text,
    onGroundOf: z.enum(['issuer-challenge', 'other']),
  }),
  /** Step 3: a funder (出资人) and its pledge. */
  'add-funder': z.strictObject({
    funderId: id,
    name,
    /** The liable party this funder is, or 'other'. */
    liableParty: id,
    pledgeFen: positiveFen,
  }),
  /** Step 3: a deposit into the segregated account, confirmed against the bank's records. */
  'confirm-deposit': z.strictObject({
    funderId: id,
    amountFen: positiveFen,
    bankReference: id,
    valueDate: isoDate,
  }),
  /** Step 4: the announcement period (公告期) with its seats and the commitment to the draw seed. */
  'open-announcement': z.strictObject({
    endsOn: isoDate,
    seats: z.strictObject({ representatives: z.number().int().min(1).max(50), lawyers: z.number().int().min(0).max(50) }),
    drawCommitment: sha256,
  }),
  'apply-as-representative': z.strictObject({ applicantId: id, name, ties }),
  'apply-as-lawyer': z.strictObject({ applicantId: id, name, firm: z.strictObject({ id, name }), ties }),
  /** Step 4: the seats the applicants agreed on among themselves (协商确定). */
  'record-selection-by-agreement': z
    .strictObject({ representatives: uniqueIds, lawyers: uniqueIds })
    .refine((selection) => selection.representatives.length + selection.lawyers.length > 0, 'name at least one applicant'),
  /** Step 4: the seed, revealed after the period, that fills the remaining seats by lot. */
  'draw-lots': z.strictObject({
    seedHex: z.string().regex(/^(?:[0-9a-f]{2}){16,64}$/, 'must be 16 to 64 bytes written as lowercase hex'),
  }),
  /** Step 5: the hearing host (听证主持人). */
  'appoint-hearing-host': z.strictObject({ hostId: id, name }),
  'schedule-hearing': z.strictObject({
    date: isoDate,
    venue: name,
    agenda: z
      .array(agendaItem)
      .min(1, 'the agenda needs at least one item')
      .max(100)
      .refine((items) => distinct(items.map((item) => item.id)), 'each agenda item id appears once'),
    evidence: z
      .array(evidenceItem)
      .max(500)
      .refine((items) => distinct(items.map((item) => item.id)), 'each evidence id appears once'),
  }),
  'seat-hearing-participant': z.strictObject({
    side: z.enum(['liable-parties', 'investors']),
    participantId: id,
    name,
    /** In what capacity the participant sits, e.g. "保荐机构代理人 / counsel for the sponsor". */
    capacity: name,
  }),
  'open-hearing': z.strictObject({}),
  'record-attendance': z.strictObject({ participantId: id, present: z.boolean() }),
  'record-statement': z.strictObject({ speakerId: id, text }),
  'record-objection': z.strictObject({
    by: id,
    concerning: z.strictObject({ kind: z.enum(['agenda-item', 'evidence']), id }),
    text,
  }),
  'add-evidence': evidenceItem,
  'sign-hearing-record': z.strictObject({ signerId: id }),
  'close-hearing-record': z.strictObject({}),
  /** Step 6: a plan version; `document` is the raw plan document, checked by parsePlanDocument. */
  'propose-plan-version': z.strictObject({ document: z.unknown() }),
  'overrule-review-flag': z.strictObject({ version: z.number().int().min(1), flagId: id, reason: text }),
  'adopt-plan': z.strictObject({ version: z.number().int().min(1), hearingRecordHash: sha256 }),
  /** Step 7: a computation run of the engine against the adopted plan. */
  'record-computation-run': z.strictObject({
    runId: id,
    planVersion: z.number().int().min(1),
    planHash: sha256,
    /** The hash of the run's inputs (registry files and parameters), as the run reports it. */
    inputHash: sha256,
    counts: z
      .strictObject({ investors: count, payable: count, zero: count, ineligible: count, rejected: count })
      .refine((counts) => counts.investors === counts.payable + counts.zero + counts.ineligible + counts.rejected, 'investors must equal payable + zero + ineligible + rejected'),
    totalPayableFen: fen,
  }),
} satisfies Record<string, z.ZodType>;

export type CaseCommandType = keyof typeof caseCommandSchemas;

export const CASE_COMMAND_TYPES = Object.keys(caseCommandSchemas) as CaseCommandType[];

type ParsedPayload<T extends CaseCommandType> = z.output<(typeof caseCommandSchemas)[T]>;

/** The payload of a command; an empty strict schema parses to Record<string, never>, which would forbid `type`. */
export type CommandPayload<T extends CaseCommandType> = string extends keyof ParsedPayload<T> ? object : ParsedPayload<T>;

export type CaseCommand = { [T in CaseCommandType]: { type: T } & CommandPayload<T> }[CaseCommandType];

export type CommandOf<T extends CaseCommandType> = Extract<CaseCommand, { type: T }>;

const PARTICIPANT_ROLES: readonly Role[] = ['administrator', 'hearing-host', 'funder', 'representative', 'lawyer', 'investor', 'auditor'];

/** Who may issue each command; handleCommand checks this before anything else. */
export const COMMAND_ROLES: Record<CaseCommandType, readonly Role[]> = {
  'record-penalty-decision': ['administrator'],
  'open-under-commitment': ['administrator'],
  'record-issuer-challenge': ['administrator'],
  // Anyone taking part may ask; the answer is always no, and the asking is logged.
  'request-pause': PARTICIPANT_ROLES,
  'add-funder': ['administrator'],
  'confirm-deposit': ['administrator'],
  'open-announcement': ['administrator'],
  'apply-as-representative': ['representative'],
  'apply-as-lawyer': ['lawyer'],
  'record-selection-by-agreement': ['administrator'],
  'draw-lots': ['administrator'],
  'appoint-hearing-host': ['administrator'],
  'schedule-hearing': ['hearing-host'],
  'seat-hearing-participant': ['hearing-host'],
  'open-hearing': ['hearing-host'],
  'record-attendance': ['hearing-host'],
  'record-statement': ['hearing-host'],
  'record-objection': ['hearing-host'],
  'add-evidence': ['hearing-host'],
  // The liable side signs in the funder role: the sponsor represents the liable parties.
  'sign-hearing-record': ['hearing-host', 'funder', 'representative', 'lawyer'],
  'close-hearing-record': ['hearing-host'],
  'propose-plan-version': ['funder', 'administrator'],
  'overrule-review-flag': ['hearing-host'],
  'adopt-plan': ['hearing-host'],
  'record-computation-run': ['administrator'],
};

export type CommandParse = { ok: true; command: CaseCommand } | { ok: false; path: (string | number)[]; message: string };

/** Validates a whole command `{ type, ...payload }`; the output has strings trimmed as the schemas say. */
export function parseCaseCommand(value: unknown): CommandParse {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, path: [], message: 'a command is an object' };
  const { type, ...payload } = value as Record<string, unknown>;
  if (typeof type !== 'string' || !Object.hasOwn(caseCommandSchemas, type)) {
    return { ok: false, path: ['type'], message: `unknown command type ${JSON.stringify(type)}` };
  }
  const result = (caseCommandSchemas[type as CaseCommandType] as z.ZodType).safeParse(payload);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const path = issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key));
    if (issue.code === 'unrecognized_keys') path.push(issue.keys[0]!);
    return { ok: false, path, message: issue.message };
  }
  return { ok: true, command: { type, ...(result.data as object) } as CaseCommand };
}
