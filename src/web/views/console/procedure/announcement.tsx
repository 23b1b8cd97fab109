import { TIE_RELATIONS } from '../../../../domain/procedure/case-commands.ts';
import type { CaseState } from '../../../../domain/procedure/case-state.ts';
import { drawCommitment, DRAW_POOLS, verifyDraw, type DrawPool } from '../../../../domain/procedure/lot-draw.ts';
import { say, withNote } from '../../../i18n.ts';
import type { Outcome } from '../../../outcome.ts';
import type { WebContext } from '../../../web-context.ts';
import { DataTable, Facts, OutcomeFlash, Section, Tag } from '../../ui.tsx';
import { POOL_NAMES } from '../../words.ts';
import { ConsoleFrame } from '../console-frame.tsx';
import { AreaField, InputField, CommandForm, Hash, mayIssue, refusalLabel, Unavailable } from './shared.tsx';

/** An application the procedure refused, as the audit log keeps it: refusals change no state. */
export interface RefusedApplication {
  seq: string;
  actorId: string;
  name: string | null;
  pool: DrawPool;
  at: string;
  reason: string | null;
}

export interface AnnouncementProps {
  ctx: WebContext;
  caseId: string;
  caseTitle: string;
  state: CaseState;
  refusedApplications: RefusedApplication[];
  outcome: Outcome | null;
}

interface ApplicationRow {
  key: string;
  pool: DrawPool;
  applicantId: string;
  name: string;
  firm: string | null;
  ties: string;
  on: string;
  result: { tone: 'good' | 'bad' | 'neutral' | 'info'; text: { zh: string; en: string } };
}

/** The announcement period and how the investors' seats were filled (公告与代表人选定, procedure.md step 4). */
export function AnnouncementPage(props: AnnouncementProps) {
  const { ctx, state, caseId } = props;
  const { lang } = ctx;
  const announcement = state.announcement;
  const running = announcement !== null && ctx.today <= announcement.endsOn;
  const ended = announcement !== null && ctx.today > announcement.endsOn;
  const seatOf = (id: string) => [...state.seats.representatives, ...state.seats.lawyers].find((seat) => seat.applicantId === id);
  const nameOf = (id: string) => state.applicants.find((applicant) => applicant.applicantId === id)?.name ?? id;
  const settled = announcement !== null && (state.draw !== null || DRAW_POOLS.every((pool) => state.seats[pool].length >= announcement.seats[pool]));

  const rows: ApplicationRow[] = [
    ...state.applicants.map((applicant): ApplicationRow => {
      const seat = seatOf(applicant.applicantId);
      const result: ApplicationRow['result'] = seat
        ? seat.by === 'agreement'
          ? { tone: 'good', text: { zh: `协商当选（${seat.on}）`, en: `chosen by agreement (${seat.on})` } }
          : { tone: 'good', text: { zh: `抽签当选（${seat.on}）`, en: `drawn by lot (${seat.on})` } }
        : settled ? { tone: 'neutral', text: { zh: '未当选', en: 'not chosen' } } : { tone: 'info', text: { zh: '待定', en: 'pending' } };
      return {
        key: `a-${applicant.applicantId}`,
        pool: applicant.pool,
        applicantId: applicant.applicantId,
        name: applicant.name,
        firm: applicant.firm?.name ?? null,
        ties: applicant.ties.map((tie) => withNote(lang, tie.partyId, tie.relation)).join(say(lang, '、', ', ')),
        on: applicant.appliedOn,
        result,
      };
    }),
    ...props.refusedApplications.map((refused): ApplicationRow => {
      const label = refusalLabel(refused.reason ?? 'refused');
      return {
        key: `r-${refused.seq}`,
        pool: refused.pool,
        applicantId: refused.actorId,
        name: refused.name ?? refused.actorId,
        firm: null,
        ties: '—',
        on: refused.at.slice(0, 10),
        result: { tone: 'bad', text: { zh: `被拒绝：${label.zh}`, en: `refused: ${label.en}` } },
      };
    }),
  ];

  const draw = state.draw;
  const seedMatches = draw !== null && announcement !== null && drawCommitment(draw.seedHex) === announcement.drawCommitment;
  const canOpen = mayIssue(ctx.actor.role, 'open-announcement');
  const canSelect = mayIssue(ctx.actor.role, 'record-selection-by-agreement');
  const canDraw = mayIssue(ctx.actor.role, 'draw-lots');
  const applyType = ctx.actor.role === 'lawyer' ? 'apply-as-lawyer' as const : 'apply-as-representative' as const;
  const canApply = mayIssue(ctx.actor.role, applyType);
  const alreadyApplied = state.applicants.some((applicant) => applicant.applicantId === ctx.actor.id);
  const anyForm = canOpen || canSelect || canDraw || canApply;
  const unseated = (pool: DrawPool) => state.applicants.filter((applicant) => applicant.pool === pool && !seatOf(applicant.applicantId));

  return (
    <ConsoleFrame ctx={ctx} caseId={caseId} caseTitle={props.caseTitle} section="announcement" title={say(lang, '公告与代表人选定', 'Announcement and selection')}>
      <OutcomeFlash outcome={props.outcome} />

      <Section id="announcement" title={say(lang, '公告', 'The announcement')}>
        {announcement === null ? <p class="muted">{say(lang, '尚未发布公告。', 'The announcement has not opened yet.')}</p> : (
          <Facts items={[
            [say(lang, '公告期', 'Period'), say(lang, `${announcement.openedOn} 至 ${announcement.endsOn}`, `${announcement.openedOn} to ${announcement.endsOn}`)],
            [say(lang, '状态', 'Status'), running ? <Tag tone="info">{say(lang, '进行中', 'running')}</Tag> : <Tag tone="neutral">{say(lang, '已届满', 'ended')}</Tag>],
            [POOL_NAMES.representatives[lang], say(lang, `${announcement.seats.representatives} 席`, `${announcement.seats.representatives} seats`)],
            [POOL_NAMES.lawyers[lang], say(lang, `${announcement.seats.lawyers} 席`, `${announcement.seats.lawyers} seats`)],
            [say(lang, '抽签种子承诺值（SHA-256）', 'Commitment to the draw seed (SHA-256)'), <Hash value={announcement.drawCommitment} />],
          ]} />
        )}
      </Section>

      <Section id="applications" title={say(lang, '申请', 'Applications')}>
        <p class="muted">{say(lang, '责任主体、出资人及与其存在亲属、雇佣、任职、持股或代理关系者的申请被拒绝，并记录在审计日志中。', 'Applications from the liable parties, the funders and anyone tied to them are refused; each refusal stays in the audit log.')}</p>
        <DataTable
          caption={say(lang, `申请 ${rows.length} 份（含被拒绝的 ${props.refusedApplications.length} 份）`, `${rows.length} applications (${props.refusedApplications.length} refused)`)}
          rowKey={(row) => row.key}
          empty={say(lang, '尚无申请', 'No application yet')}
          rows={rows}
          columns={[
            { label: say(lang, '申请担任', 'Applied as'), cell: (row) => POOL_NAMES[row.pool][lang] },
            { label: say(lang, '申请人', 'Applicant'), cell: (row) => <>{row.name} <span class="muted">{row.applicantId}</span></> },
            { label: say(lang, '律师事务所', 'Law firm'), cell: (row) => row.firm ?? '—' },
            { label: say(lang, '申报的关系', 'Declared ties'), cell: (row) => row.ties || say(lang, '无', 'none') },
            { label: say(lang, '日期', 'On'), cell: (row) => row.on },
            { label: say(lang, '结果', 'Result'), cell: (row) => <Tag tone={row.result.tone}>{row.result.text[lang]}</Tag> },
          ]}
        />
      </Section>

      <Section id="agreement" title={say(lang, '协商确定', 'Selection by agreement')}>
        <DataTable
          caption={say(lang, '申请人协商一致确定的人选', 'Seats the applicants filled by agreement')}
          rowKey={(row) => row.applicantId}
          empty={say(lang, '没有协商确定的人选', 'No seat was filled by agreement')}
          rows={DRAW_POOLS.flatMap((pool) => state.seats[pool].filter((seat) => seat.by === 'agreement').map((seat) => ({ ...seat, pool })))}
          columns={[
            { label: say(lang, '席位', 'Seat'), cell: (row) => POOL_NAMES[row.pool][lang] },
            { label: say(lang, '当选人', 'Chosen'), cell: (row) => <>{nameOf(row.applicantId)} <span class="muted">{row.applicantId}</span></> },
            { label: say(lang, '日期', 'On'), cell: (row) => row.on },
          ]}
        />
      </Section>

      <Section id="draw" title={say(lang, '抽签及其证明', 'The lot draw and its proof')}>
        {draw === null || announcement === null ? <p class="muted">{say(lang, '尚未抽签。', 'No lots have been drawn.')}</p> : (
          <>
            <Facts items={[
              [say(lang, '抽签日', 'Drawn on'), draw.on],
              [say(lang, '公告时的承诺值', 'Commitment published with the announcement'), <Hash value={announcement.drawCommitment} />],
              [say(lang, '公布的种子', 'Revealed seed'), <Hash value={draw.seedHex} />],
              [say(lang, '种子的 SHA-256', "The seed's SHA-256"), seedMatches
                ? <Tag tone="good">{say(lang, '与承诺值一致', 'equals the commitment')}</Tag>
                : <span class="breach">{say(lang, '与承诺值不符', 'differs from the commitment')}</span>],
            ]} />
            <h3>{say(lang, '算法', 'Algorithm')}</h3>
            <p>{say(lang,
              '每个席位池：未当选的申请人编号按 Unicode 码位排序；第 i 次（i = 0, 1, 2…）计算 HMAC-SHA256（密钥为种子字节，消息为“池名:i”），取前 8 字节为无符号整数 x，n 为剩余人数；x ≥ 2^64 − (2^64 mod n) 时舍弃，否则第 x mod n 位（从 0 计）中签并移出名单，直至席位填满。',
              'For each pool: the ids of the applicants without a seat, sorted by Unicode code point; for i = 0, 1, 2, … h = HMAC-SHA256(key = the seed bytes, message = "<pool>:<i>"), x = the first 8 bytes of h as an unsigned integer, n = the number remaining; if x ≥ 2^64 − (2^64 mod n) the attempt is dropped, otherwise the applicant at 0-based index x mod n is chosen and removed, until the seats are filled.')}
            </p>
            <p class="muted">
              {say(lang, '任何人可用 ', 'Anyone can recompute it with ')}<code>redress verify-draw</code>
              {say(lang, ' 复核；抽签记录见 ', ' on the record at ')}<a href={`/api/v1/cases/${encodeURIComponent(caseId)}/draws`}>{`/api/v1/cases/${caseId}/draws`}</a>{say(lang, '。', '.')}
            </p>
            <DataTable
              caption={say(lang, '各席位池的抽签，以及本页现场复核的结果', 'The draw of each pool, recomputed as this page was made')}
              rowKey={(row) => row.pool}
              empty={say(lang, '无', 'None')}
              rows={draw.draws.map((published) => ({ ...published, verdict: verifyDraw(published) }))}
              columns={[
                { label: say(lang, '席位池', 'Pool'), cell: (row) => POOL_NAMES[row.pool][lang] },
                { label: say(lang, '待抽席位', 'Seats drawn'), numeric: true, cell: (row) => row.seats },
                { label: say(lang, '参加抽签的申请人（已排序）', 'Applicants drawn from (sorted)'), cell: (row) => row.applicants.join(', ') || '—' },
                { label: say(lang, '中签（按抽出顺序）', 'Chosen (in the order drawn)'), cell: (row) => row.chosen.map((id) => `${nameOf(id)} (${id})`).join(', ') || '—' },
                {
                  label: say(lang, '复核', 'Verified'),
                  cell: (row) => (row.verdict.ok
                    ? <Tag tone="good">{say(lang, '复核一致', 'verified')}</Tag>
                    : <span class="breach">{say(lang, '复核不一致：', 'does not verify: ')}{row.verdict.problem[lang]}</span>),
                },
              ]}
            />
          </>
        )}
      </Section>

      {anyForm ? (
        <Section id="actions" title={say(lang, '办理', 'Actions')}>
          {canOpen && announcement === null ? (
            <CommandForm ctx={ctx} caseId={caseId} type="open-announcement" title={say(lang, '发布公告', 'Open the announcement')} submit={say(lang, '发布', 'Open')}
              hint={say(lang, '先在线下生成 16–64 字节的随机种子并妥善保管，此处只填写其 SHA-256（对种子字节计算）；公告期满后再公布种子抽签。', 'Generate a random seed of 16–64 bytes offline and keep it; enter only its SHA-256 (of the seed bytes) here. The seed is revealed to draw after the period.')}>
              <InputField label={say(lang, '公告期最后一日', 'Last day of the period')} name="endsOn" type="date" required />
              <InputField label={say(lang, '投资者代表席位', 'Representative seats')} name="representatives" type="number" value="2" required />
              <InputField label={say(lang, '投资者律师席位', 'Lawyer seats')} name="lawyers" type="number" value="1" required />
              <InputField label={say(lang, '种子承诺值（64 位十六进制）', 'Seed commitment (64 hex digits)')} name="drawCommitment" required pattern="[0-9a-f]{64}" maxLength={64} />
            </CommandForm>
          ) : null}
          {canApply && running && !alreadyApplied ? (
            <CommandForm ctx={ctx} caseId={caseId} type={applyType} title={applyType === 'apply-as-lawyer' ? say(lang, '申请担任投资者律师', "Apply as the investors' lawyer") : say(lang, '申请担任投资者代表', 'Apply as an investor representative')}
              submit={say(lang, '提交申请', 'Apply')} hint={say(lang, `申请以您本人（${ctx.actor.id}）的名义提出。`, `You apply as yourself (${ctx.actor.id}).`)}>
              <InputField label={say(lang, '姓名', 'Name')} name="name" value={ctx.actor.name} required maxLength={200} />
              {applyType === 'apply-as-lawyer' ? <InputField label={say(lang, '律师事务所编号', 'Law firm id')} name="firmId" required maxLength={128} /> : null}
              {applyType === 'apply-as-lawyer' ? <InputField label={say(lang, '律师事务所名称', 'Law firm name')} name="firmName" required maxLength={200} /> : null}
              <AreaField label={say(lang, '与责任主体或出资人的关系（每行一项：对象编号 关系）', 'Ties to liable parties or funders (one a line: id relation)')} name="ties" rows={3}
                hint={say(lang, `关系可为：${TIE_RELATIONS.join('、')}。对象编号：${[...state.liableParties.map((party) => party.id), ...state.funders.map((funder) => funder.funderId)].join('、')}。`, `Relations: ${TIE_RELATIONS.join(', ')}. Ids: ${[...state.liableParties.map((party) => party.id), ...state.funders.map((funder) => funder.funderId)].join(', ')}.`)} />
            </CommandForm>
          ) : null}
          {canSelect && running ? (
            <CommandForm ctx={ctx} caseId={caseId} type="record-selection-by-agreement" title={say(lang, '记录协商确定的人选', 'Record the selection by agreement')} submit={say(lang, '记录', 'Record')}
              hint={say(lang, '勾选申请人协商一致确定的人选；期满仍有空缺的以抽签确定。', 'Tick those the applicants agreed on; seats still empty after the period are drawn by lot.')}>
              {DRAW_POOLS.map((pool) => (
                <fieldset>
                  <legend>{POOL_NAMES[pool][lang]}</legend>
                  {unseated(pool).length === 0 ? <p class="muted">{say(lang, '没有未当选的申请人', 'No applicant without a seat')}</p> : unseated(pool).map((applicant) => (
                    <div><label><input type="checkbox" name={pool} value={applicant.applicantId} /> {withNote(lang, applicant.name, applicant.applicantId)}</label></div>
                  ))}
                </fieldset>
              ))}
            </CommandForm>
          ) : null}
          {canDraw && ended && !settled ? (
            <CommandForm ctx={ctx} caseId={caseId} type="draw-lots" title={say(lang, '公布种子并抽签', 'Reveal the seed and draw')} submit={say(lang, '抽签', 'Draw')}
              hint={say(lang, '种子的 SHA-256 须与公告时的承诺值一致，否则拒绝。', 'The seed must hash to the commitment published with the announcement, or the draw is refused.')}>
              <InputField label={say(lang, '种子（十六进制）', 'Seed (hex)')} name="seedHex" required pattern="([0-9a-f]{2}){16,64}" maxLength={128} />
            </CommandForm>
          ) : null}
          {!(canOpen && announcement === null) && !(canApply && running && !alreadyApplied) && !(canSelect && running) && !(canDraw && ended && !settled) ? (
            <Unavailable>{say(lang, '本环节目前没有您可以办理的事项。', 'Nothing in this step is open to you now.')}</Unavailable>
          ) : null}
        </Section>
      ) : null}
    </ConsoleFrame>
  );
}
