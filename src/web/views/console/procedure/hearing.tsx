import type { VNode } from 'preact';
import type { CaseState, HearingParticipant } from '../../../../domain/procedure/case-state.ts';
import { labelled, say, withNote } from '../../../i18n.ts';
import type { Outcome } from '../../../outcome.ts';
import type { WebContext } from '../../../web-context.ts';
import { DataTable, Facts, OutcomeFlash, Section, Tag } from '../../ui.tsx';
import { SIDE_NAMES } from '../../words.ts';
import { ConsoleFrame } from '../console-frame.tsx';
import { AreaField, CommandForm, Hash, InputField, mayIssue, SelectField, Unavailable } from './shared.tsx';

export interface HearingProps {
  ctx: WebContext;
  caseId: string;
  caseTitle: string;
  state: CaseState;
  /** The content hash of the record's body as it stands: what each signature must cite. Null before the hearing opens. */
  contentHash: string | null;
  outcome: Outcome | null;
}

/** The hearing (听证, procedure.md step 5): host, seats, agenda, evidence, what was said, and the signed record. */
export function HearingPage(props: HearingProps) {
  const { ctx, state, caseId } = props;
  const { lang } = ctx;
  const hearing = state.hearing;
  const host = state.hearingHost;
  const participants = hearing?.participants ?? [];
  const liable = participants.filter((seat) => seat.side === 'liable-parties');
  const investors = participants.filter((seat) => seat.side === 'investors');
  const balanced = liable.length > 0 && liable.length === investors.length;
  const nameOf = (id: string) => (host?.id === id ? host.name : participants.find((seat) => seat.participantId === id)?.name ?? id);
  const attendanceOf = (id: string) => hearing?.attendance.find((entry) => entry.participantId === id);
  const evidence = hearing
    ? [
      ...hearing.notice.evidence.map((item) => ({ ...item, addedOn: hearing.notice.scheduledOn, atHearing: false })),
      ...hearing.addedEvidence.map((item) => ({ id: item.id, title: item.title, sha256: item.sha256, addedOn: item.on, atHearing: true })),
    ]
    : [];
  const titleOf = (kind: 'agenda-item' | 'evidence', id: string) =>
    (kind === 'agenda-item' ? hearing?.notice.agenda.find((item) => item.id === id)?.title : evidence.find((item) => item.id === id)?.title) ?? id;
  const signers = host ? [{ id: host.id, name: host.name }, ...participants.map((seat) => ({ id: seat.participantId, name: seat.name }))] : [];
  const signedIds = new Set(hearing?.signatures.map((signature) => signature.signerId) ?? []);
  const unsigned = signers.filter((signer) => !signedIds.has(signer.id));

  const opened = hearing?.openedOn != null;
  const closed = hearing?.closed != null;
  const inSession = opened && !closed && (hearing?.signatures.length ?? 0) === 0;
  const isHost = ctx.actor.role === 'hearing-host' && host?.id === ctx.actor.id;
  const canAppoint = mayIssue(ctx.actor.role, 'appoint-hearing-host') && !opened;
  const canSign = mayIssue(ctx.actor.role, 'sign-hearing-record') && opened && !closed && signers.some((signer) => signer.id === ctx.actor.id) && !signedIds.has(ctx.actor.id);
  const hostMayAct = isHost && !closed;
  const speakerOptions = [
    ...(host ? [{ value: host.id, label: withNote(lang, host.name, say(lang, '主持人', 'host')) }] : []),
    ...participants.map((seat) => ({ value: seat.participantId, label: withNote(lang, seat.name, SIDE_NAMES[seat.side][lang]) })),
  ];
  const seatColumns = [
    { label: say(lang, '参加人', 'Participant'), cell: (row: HearingParticipant) => <>{row.name} <span class="muted">{row.participantId}</span></> },
    { label: say(lang, '身份', 'Capacity'), cell: (row: HearingParticipant) => row.capacity },
    { label: say(lang, '就座日', 'Seated on'), cell: (row: HearingParticipant) => row.seatedOn },
    {
      label: say(lang, '出席', 'Attendance'),
      cell: (row: HearingParticipant) => {
        const entry = attendanceOf(row.participantId);
        return entry === undefined ? '—' : entry.present ? <Tag tone="good">{say(lang, '出席', 'present')}</Tag> : <Tag tone="warn">{say(lang, '缺席', 'absent')}</Tag>;
      },
    },
  ];

  const forms: VNode[] = [];
  if (canAppoint) {
    forms.push(
      <CommandForm ctx={ctx} caseId={caseId} type="appoint-hearing-host" title={host ? say(lang, '更换听证主持人', 'Change the hearing host') : say(lang, '指定听证主持人', 'Appoint the hearing host')} submit={say(lang, '指定', 'Appoint')}
        hint={say(lang, '主持人须与双方均无关联。', 'The host must be free of both sides.')}>
        <InputField label={say(lang, '主持人编号', 'Host id')} name="hostId" required maxLength={128} />
        <InputField label={say(lang, '姓名', 'Name')} name="name" required maxLength={200} />
      </CommandForm>,
    );
  }
  if (hostMayAct && !opened) {
    forms.push(
      <CommandForm ctx={ctx} caseId={caseId} type="schedule-hearing" title={hearing ? say(lang, '改期', 'Reschedule the hearing') : say(lang, '安排听证', 'Schedule the hearing')} submit={say(lang, '发出通知', 'Give notice')}
        hint={say(lang, '至少提前 3 日通知，且在公告期之后、期限届满之前。', "At least 3 days' notice, after the announcement period and before the limit date.")}>
        <InputField label={say(lang, '听证日', 'Date')} name="date" type="date" required />
        <InputField label={say(lang, '地点', 'Venue')} name="venue" required maxLength={200} />
        <AreaField label={say(lang, '议程（每行一项：编号 | 标题）', 'Agenda (one a line: id | title)')} name="agenda" rows={3} required />
        <AreaField label={say(lang, '证据（每行一项：编号 | 名称 | SHA-256）', 'Evidence (one a line: id | title | SHA-256)')} name="evidence" rows={3} />
      </CommandForm>,
    );
  }
  if (hostMayAct && hearing !== null && !opened) {
    const liableIds = [...state.funders.map((funder) => funder.funderId), ...state.liableParties.map((party) => party.id)];
    const investorIds = [...state.seats.representatives, ...state.seats.lawyers].map((seat) => seat.applicantId);
    forms.push(
      <CommandForm ctx={ctx} caseId={caseId} type="seat-hearing-participant" title={say(lang, '安排参加人就座', 'Seat a participant')} submit={say(lang, '就座', 'Seat')}
        hint={say(lang, `${SIDE_NAMES['liable-parties'].zh}可为：${liableIds.join('、')}；${SIDE_NAMES.investors.zh}可为：${investorIds.join('、') || '无'}`, `${SIDE_NAMES['liable-parties'].en}: ${liableIds.join(', ')}; ${SIDE_NAMES.investors.en}: ${investorIds.join(', ') || 'none'}`)}>
        <SelectField label={say(lang, '一方', 'Side')} name="side" options={Object.entries(SIDE_NAMES).map(([value, name]) => ({ value, label: name[lang] }))} />
        <InputField label={say(lang, '参加人编号', 'Participant id')} name="participantId" required maxLength={128} />
        <InputField label={say(lang, '姓名或名称', 'Name')} name="name" required maxLength={200} />
        <InputField label={say(lang, '身份', 'Capacity')} name="capacity" required maxLength={200} />
      </CommandForm>,
      <CommandForm ctx={ctx} caseId={caseId} type="open-hearing" title={say(lang, '开始听证', 'Open the hearing')} submit={say(lang, '开始', 'Open')}
        hint={say(lang, `只能在听证日（${hearing.notice.date}）开始，且双方席位相等。`, `Only on the hearing date (${hearing.notice.date}), with both sides seated equally.`)} />,
    );
  }
  if (hostMayAct && inSession) {
    forms.push(
      <CommandForm ctx={ctx} caseId={caseId} type="record-attendance" title={say(lang, '记录出席', 'Record attendance')} submit={say(lang, '记录', 'Record')}>
        <SelectField label={say(lang, '参加人', 'Participant')} name="participantId" options={participants.map((seat) => ({ value: seat.participantId, label: seat.name }))} />
        <SelectField label={say(lang, '出席情况', 'Attendance')} name="present" options={[{ value: 'true', label: say(lang, '出席', 'present') }, { value: 'false', label: say(lang, '缺席', 'absent') }]} />
      </CommandForm>,
      <CommandForm ctx={ctx} caseId={caseId} type="add-evidence" title={say(lang, '增加证据', 'Add evidence')} submit={say(lang, '列入笔录', 'Add to the record')}
        hint={say(lang, '方案的某一版本要被通过，须以其方案哈希列为证据。', 'A plan version can be adopted only if it is in the evidence under its plan hash.')}>
        <InputField label={say(lang, '编号', 'Id')} name="id" required maxLength={128} />
        <InputField label={say(lang, '名称', 'Title')} name="title" required maxLength={200} />
        <InputField label="SHA-256" name="sha256" required pattern="[0-9a-f]{64}" maxLength={64} />
      </CommandForm>,
      <CommandForm ctx={ctx} caseId={caseId} type="record-statement" title={say(lang, '记录发言', 'Record a statement')} submit={say(lang, '记入笔录', 'Record')}>
        <SelectField label={say(lang, '发言人', 'Speaker')} name="speakerId" options={speakerOptions} />
        <AreaField label={say(lang, '发言内容', 'Statement')} name="text" required rows={4} />
      </CommandForm>,
      <CommandForm ctx={ctx} caseId={caseId} type="record-objection" title={say(lang, '记录异议', 'Record an objection')} submit={say(lang, '记入笔录', 'Record')}>
        <SelectField label={say(lang, '提出人', 'By')} name="by" options={participants.map((seat) => ({ value: seat.participantId, label: seat.name }))} />
        <SelectField label={say(lang, '针对', 'Concerning')} name="concerning" options={[
          ...(hearing?.notice.agenda ?? []).map((item) => ({ value: `agenda-item:${item.id}`, label: labelled(lang, `${say(lang, '议程', 'agenda')} ${item.id}`, item.title) })),
          ...evidence.map((item) => ({ value: `evidence:${item.id}`, label: labelled(lang, `${say(lang, '证据', 'evidence')} ${item.id}`, item.title) })),
        ]} />
        <AreaField label={say(lang, '异议内容', 'Objection')} name="text" required rows={4} />
      </CommandForm>,
    );
  }
  if (canSign) {
    forms.push(
      <CommandForm ctx={ctx} caseId={caseId} type="sign-hearing-record" title={say(lang, '签署笔录', 'Sign the record')} submit={say(lang, '签名', 'Sign')}
        hint={say(lang, `以您本人（${ctx.actor.id}）的名义签署内容哈希为 ${props.contentHash ?? ''} 的笔录；第一个签名后笔录内容不再变动。`, `You sign, as ${ctx.actor.id}, the record whose content hash is ${props.contentHash ?? ''}; after the first signature its content no longer changes.`)} />,
    );
  }
  if (hostMayAct && opened) {
    forms.push(
      <CommandForm ctx={ctx} caseId={caseId} type="close-hearing-record" title={say(lang, '封存笔录', 'Close the record')} submit={say(lang, '封存', 'Close')}
        hint={unsigned.length > 0 ? say(lang, `尚有 ${unsigned.length} 人未签名，封存将被拒绝。`, `${unsigned.length} have not signed yet; closing would be refused.`) : say(lang, '全体已签名，可以封存。', 'Everyone has signed; the record can be closed.')} />,
    );
  }
  const mayAct = (['appoint-hearing-host', 'schedule-hearing', 'sign-hearing-record'] as const).some((type) => mayIssue(ctx.actor.role, type));

  return (
    <ConsoleFrame ctx={ctx} caseId={caseId} caseTitle={props.caseTitle} section="hearing" title={say(lang, '听证', 'Hearing')}>
      <OutcomeFlash outcome={props.outcome} />

      <Section id="schedule" title={say(lang, '主持人与日程', 'Host and schedule')}>
        <Facts items={[
          [say(lang, '听证主持人', 'Hearing host'), host ? withNote(lang, host.name, host.id) : say(lang, '尚未指定', 'not appointed yet')],
          [say(lang, '指定日', 'Appointed on'), host?.appointedOn ?? '—'],
          [say(lang, '听证日', 'Hearing date'), hearing?.notice.date ?? say(lang, '尚未安排', 'not scheduled yet')],
          [say(lang, '地点', 'Venue'), hearing?.notice.venue ?? '—'],
          [say(lang, '通知日', 'Notice given on'), hearing ? `${hearing.notice.scheduledOn}${hearing.notices.length > 1 ? say(lang, `（改期 ${hearing.notices.length - 1} 次）`, ` (rescheduled ${hearing.notices.length - 1} times)`) : ''}` : '—'],
          [say(lang, '开始', 'Opened on'), hearing?.openedOn ?? '—'],
          [say(lang, '状态', 'Status'), closed ? <Tag tone="good">{say(lang, '笔录已封存', 'record closed')}</Tag> : opened ? <Tag tone="info">{say(lang, '进行中', 'in progress')}</Tag> : <Tag tone="neutral">{say(lang, '未开始', 'not opened')}</Tag>],
        ]} />
      </Section>

      <Section id="seats" title={say(lang, '席位', 'Seats')}>
        <p>
          {say(lang, `${SIDE_NAMES['liable-parties'].zh} ${liable.length} 席，${SIDE_NAMES.investors.zh} ${investors.length} 席 `, `${SIDE_NAMES['liable-parties'].en}: ${liable.length}; ${SIDE_NAMES.investors.en}: ${investors.length} `)}
          {balanced ? <Tag tone="good">{say(lang, '双方均衡', 'balanced')}</Tag> : <span class="overdue">{say(lang, '双方席位不均衡，不能开始听证', 'unbalanced: the hearing cannot open')}</span>}
        </p>
        <DataTable caption={SIDE_NAMES['liable-parties'][lang]} rowKey={(row) => row.participantId} empty={say(lang, '无人就座', 'Nobody seated')} rows={liable} columns={seatColumns} />
        <DataTable caption={SIDE_NAMES.investors[lang]} rowKey={(row) => row.participantId} empty={say(lang, '无人就座', 'Nobody seated')} rows={investors} columns={seatColumns} />
      </Section>

      <Section id="agenda" title={say(lang, '议程', 'Agenda')}>
        {hearing === null || hearing.notice.agenda.length === 0
          ? <p class="muted">{say(lang, '尚无议程。', 'No agenda yet.')}</p>
          : <ol>{hearing.notice.agenda.map((item) => <li>{item.title} <span class="muted">{item.id}</span></li>)}</ol>}
      </Section>

      <Section id="evidence" title={say(lang, '证据', 'Evidence')}>
        <DataTable
          caption={say(lang, '证据及其 SHA-256：方案只能依据笔录中的证据通过', "Evidence with its SHA-256: the plan rests only on the record's evidence")}
          rowKey={(row) => row.id}
          empty={say(lang, '尚无证据', 'No evidence yet')}
          rows={evidence}
          columns={[
            { label: say(lang, '编号', 'Id'), cell: (row) => row.id },
            { label: say(lang, '名称', 'Title'), cell: (row) => row.title },
            { label: 'SHA-256', cell: (row) => <Hash value={row.sha256} /> },
            { label: say(lang, '列入日', 'Added on'), cell: (row) => `${row.addedOn}${row.atHearing ? say(lang, '（听证中）', ' (at the hearing)') : say(lang, '（通知）', ' (notice)')}` },
          ]}
        />
      </Section>

      <Section id="statements" title={say(lang, '发言与异议', 'Statements and objections')}>
        <DataTable
          caption={say(lang, '发言', 'Statements')}
          rowKey={(row) => `${row.speakerId}-${row.on}-${row.text.slice(0, 40)}`}
          empty={say(lang, '尚无发言', 'No statement yet')}
          rows={hearing?.statements ?? []}
          columns={[
            { label: say(lang, '发言人', 'Speaker'), cell: (row) => nameOf(row.speakerId) },
            { label: say(lang, '日期', 'On'), cell: (row) => row.on },
            { label: say(lang, '内容', 'Text'), cell: (row) => row.text },
          ]}
        />
        <DataTable
          caption={say(lang, '异议', 'Objections')}
          rowKey={(row) => `${row.by}-${row.on}-${row.text.slice(0, 40)}`}
          empty={say(lang, '尚无异议', 'No objection yet')}
          rows={hearing?.objections ?? []}
          columns={[
            { label: say(lang, '提出人', 'By'), cell: (row) => nameOf(row.by) },
            { label: say(lang, '针对', 'Concerning'), cell: (row) => labelled(lang, `${row.concerning.kind === 'agenda-item' ? say(lang, '议程', 'agenda item') : say(lang, '证据', 'evidence')} ${row.concerning.id}`, titleOf(row.concerning.kind, row.concerning.id)) },
            { label: say(lang, '日期', 'On'), cell: (row) => row.on },
            { label: say(lang, '内容', 'Text'), cell: (row) => row.text },
          ]}
        />
      </Section>

      <Section id="record" title={say(lang, '笔录与签名', 'Record and signatures')}>
        <Facts items={[
          [say(lang, '笔录内容哈希（签名所引）', 'Content hash of the record (what signatures cite)'), props.contentHash ? <Hash value={props.contentHash} /> : '—'],
          [say(lang, '封存日', 'Closed on'), hearing?.closed?.on ?? '—'],
          [say(lang, '笔录哈希（含签名，方案所引）', 'Record hash (with signatures; the plan cites it)'), hearing?.closed ? <span id="record-hash"><Hash value={hearing.closed.recordHash} /></span> : say(lang, '尚未封存', 'not closed yet')],
        ]} />
        <DataTable
          caption={say(lang, `签名 ${hearing?.signatures.length ?? 0} 个`, `${hearing?.signatures.length ?? 0} signatures`)}
          rowKey={(row) => row.signerId}
          empty={say(lang, '尚无签名', 'No signature yet')}
          rows={hearing?.closed?.record.signatures ?? hearing?.signatures ?? []}
          columns={[
            { label: say(lang, '签名人', 'Signer'), cell: (row) => <>{nameOf(row.signerId)} <span class="muted">{row.signerId}</span></> },
            { label: say(lang, '日期', 'On'), cell: (row) => row.on },
            { label: say(lang, '所签内容哈希', 'Content hash signed'), cell: (row) => <Hash value={row.contentHash} /> },
            {
              label: say(lang, '核对', 'Check'),
              cell: (row) => (props.contentHash === null ? '—' : row.contentHash === props.contentHash
                ? <Tag tone="good">{say(lang, '与笔录一致', 'matches the record')}</Tag>
                : <span class="breach">{say(lang, '与笔录不一致', 'does not match the record')}</span>),
            },
          ]}
        />
        {opened && !closed && unsigned.length > 0 ? (
          <p>{say(lang, '尚未签名：', 'Not yet signed by: ')}{unsigned.map((signer) => signer.name).join(say(lang, '、', ', '))}</p>
        ) : null}
      </Section>

      {mayAct ? (
        <Section id="actions" title={say(lang, '办理', 'Actions')}>
          {ctx.actor.role === 'hearing-host' && !isHost ? <Unavailable>{say(lang, '您不是本案指定的听证主持人，只能查看。', 'You are not the appointed host of this case: you can read only.')}</Unavailable> : null}
          {closed ? <Unavailable>{say(lang, '笔录已封存，内容和签名不再变动。', 'The record is closed: its content and signatures no longer change.')}</Unavailable> : null}
          {forms.length > 0 ? <div class="grid">{forms}</div> : !closed ? <Unavailable>{say(lang, '本环节目前没有您可以办理的事项。', 'Nothing in this step is open to you now.')}</Unavailable> : null}
        </Section>
      ) : null}
    </ConsoleFrame>
  );
}
