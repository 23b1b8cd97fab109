import type { DrawVerification, PublishedDraw } from '../../../domain/procedure/lot-draw.ts';
import { paren, say, type Bilingual, type Lang } from '../../i18n.ts';
import type { WebContext } from '../../web-context.ts';
import { Layout } from '../layout.tsx';
import { DataTable, Facts, Flash, Money, Section, Tag } from '../ui.tsx';
import { ProgressPanel, type PublicProgress } from './progress-panel.tsx';
import { CHALLENGE_KIND_NAMES, deadlineName, partyKindName, phaseName, poolName, sideName, STATUS_WORDS, wordOf } from '../words.ts';
import { caseTitle, reviewRuleName, versionName, type PublicCaseView } from './public-words.tsx';

export interface PublishedNotice {
  seq: number;
  kind: string;
  publishOn: string;
  title: Bilingual;
  body: Bilingual;
}

/** A published draw with the result of recomputing it when the page was made. */
export interface CheckedDraw {
  draw: PublishedDraw;
  verification: DrawVerification;
  /** The draw's commitment is the one the announcement published before anyone applied. */
  matchesAnnouncement: boolean;
}

export interface CasePageProps {
  ctx: WebContext;
  view: PublicCaseView;
  /** The facts of the false statement as the decision found them. */
  facts: string;
  notices: PublishedNotice[];
  draws: CheckedDraw[];
  progress: PublicProgress;
  /** This site's address, for the command lines a reader copies. */
  origin: string;
}

const SECTIONS = [
  ['decision', '处罚决定与责任主体', 'Decision and liable parties'],
  ['deadlines', '期限', 'Deadlines'],
  ['funding', '出资', 'Funding'],
  ['announcements', '公告', 'Announcements'],
  ['challenge', '复议与诉讼', 'Challenges'],
  ['representatives', '代表人与律师', 'Representatives and lawyers'],
  ['hearing', '听证', 'Hearing'],
  ['plans', '赔付方案', 'Plans'],
  ['progress', '赔付进度', 'Progress'],
  ['runs', '计算记录', 'Computations'],
] as const;

/**
 * The public record of a case (procedure.md, Public transparency): every fact a person needs to
 * check that the procedure was followed, and nothing about any investor.
 */
export function CasePage(props: CasePageProps) {
  const { ctx, view } = props;
  const { lang } = ctx;
  const title = caseTitle(lang, view);
  const names = nameBook(view);
  return (
    <Layout ctx={ctx} title={title}>
      <p class="muted"><a href="/cases">{say(lang, '案件公示', 'Cases')}</a> / {title}</p>
      <h1>{title}</h1>
      <Facts items={[
        [say(lang, '阶段', 'Phase'), <Tag tone="info">{phaseName(lang, view.progress.phase)}</Tag>],
        [say(lang, '启动日', 'Opened on'), view.progress.openedOn],
        [say(lang, '期限届满日', 'Limit date'), view.progress.limitDate],
        [say(lang, '剩余天数', 'Days left'), view.progress.daysLeft < 0
          ? <span class="breach">{say(lang, `已超过 ${-view.progress.daysLeft} 天`, `${-view.progress.daysLeft} days past`)}</span>
          : String(view.progress.daysLeft)],
      ]} />
      {view.progress.breaches.length > 0 ? (
        <Flash tone="bad">
          {say(lang, '期限违规：', 'Breaches of the time limit: ')}
          {view.progress.breaches.map((breach) => breach.message[lang]).join(say(lang, '；', '; '))}
        </Flash>
      ) : null}
      <nav class="subnav" aria-label={say(lang, '本页内容', 'On this page')}>
        {SECTIONS.map(([id, zh, en]) => <a href={`#${id}`}>{say(lang, zh, en)}</a>)}
      </nav>
      <DecisionSection lang={lang} view={view} facts={props.facts} />
      <DeadlinesSection lang={lang} view={view} />
      <FundingSection lang={lang} view={view} />
      <AnnouncementsSection lang={lang} notices={props.notices} />
      <ChallengeSection lang={lang} view={view} />
      <RepresentativesSection lang={lang} view={view} draws={props.draws} names={names} origin={props.origin} />
      <HearingSection lang={lang} view={view} names={names} />
      <PlansSection lang={lang} view={view} names={names} />
      <Section id="progress" title={say(lang, '赔付进度', 'Progress')} actions={<a href={`/cases/${encodeURIComponent(view.caseId)}/progress`}>{say(lang, '进度页面', 'Progress page')}</a>}>
        <ProgressPanel lang={lang} caseId={view.caseId} today={ctx.today} progress={props.progress} />
      </Section>
      <RunsSection lang={lang} view={view} />
    </Layout>
  );
}

/** Running text with the hashes it quotes set as code, which may break anywhere: a phone's line is shorter than a SHA-256. */
function WithHashes(props: { text: string }) {
  return <>{props.text.split(/([0-9a-f]{32,})/).map((part, index) => (index % 2 === 1 ? <code>{part}</code> : part))}</>;
}

/** Who is who: applicants, hearing participants, the host and the funders act in public under their names. */
function nameBook(view: PublicCaseView): (id: string) => string {
  const book = new Map<string, string>();
  for (const funder of view.funding.funders) book.set(funder.funderId, funder.name);
  for (const applicant of view.applicants) book.set(applicant.id, applicant.name);
  const record = view.hearing?.record;
  if (record) {
    book.set(record.host.id, record.host.name);
    for (const participant of record.participants) book.set(participant.participantId, participant.name);
  }
  return (id) => book.get(id) ?? id;
}

function DecisionSection(props: { lang: Lang; view: PublicCaseView; facts: string }) {
  const { lang, view } = props;
  const trigger = view.trigger as
    | { kind: 'penalty-decision'; decisionNumber: string; decisionDate: string; authority: string }
    | { kind: 'commitment'; commitmentNumber: string; committedOn: string; authority: string }
    | null;
  const keyDates = view.keyDates;
  return (
    <Section id="decision" title={say(lang, '处罚决定与责任主体', 'The decision and the liable parties')}>
      <Facts items={[
        ...(trigger === null ? [] : trigger.kind === 'penalty-decision'
          ? [
            [say(lang, '行政处罚决定书', 'Penalty decision'), trigger.decisionNumber],
            [say(lang, '作出日期', 'Dated'), trigger.decisionDate],
            [say(lang, '作出机关', 'Authority'), trigger.authority],
          ] as [string, string][]
          : [
            [say(lang, '当事人承诺', 'Commitment'), trigger.commitmentNumber],
            [say(lang, '承诺日期', 'Dated'), trigger.committedOn],
            [say(lang, '认可机关', 'Accepted by'), trigger.authority],
          ] as [string, string][]),
        [say(lang, '发行人', 'Issuer'), view.issuer ?? '—'],
        [say(lang, '证券', 'Security'), view.security ? `${view.security.name}${paren(lang, view.security.code)}` : '—'],
        ...(keyDates?.implementationDate ? [[say(lang, '实施日', 'Implementation date'), keyDates.implementationDate] as [string, string]] : []),
        ...(keyDates?.disclosureDate ? [[say(lang, '揭露日', 'Disclosure date'), keyDates.disclosureDate] as [string, string]] : []),
        ...(keyDates?.baseDate ? [[say(lang, '基准日', 'Base date'), keyDates.baseDate] as [string, string]] : []),
      ]} />
      {props.facts ? <><h3>{say(lang, '认定的事实', 'The facts found')}</h3><p>{props.facts}</p></> : null}
      <DataTable
        caption={say(lang, '责任主体', 'Liable parties')}
        rowKey={(party) => party.id}
        rows={view.liableParties}
        empty={say(lang, '未列明', 'None named')}
        columns={[
          { label: say(lang, '名称', 'Name'), cell: (party) => party.name },
          { label: say(lang, '类别', 'Kind'), cell: (party) => partyKindName(lang, party.kind) },
        ]}
      />
    </Section>
  );
}

function DeadlinesSection(props: { lang: Lang; view: PublicCaseView }) {
  const { lang, view } = props;
  return (
    <Section id="deadlines" title={say(lang, '期限', 'Deadlines')}>
      <ol class="timeline">
        {view.progress.deadlines.map((deadline) => {
          const late = deadline.due > view.progress.limitDate && deadline.kind !== 'limit';
          const state = deadline.overdue || late ? 'breach' : deadline.met ? 'done' : '';
          return (
            <li class={state || undefined}>
              <strong>{deadlineName(lang, deadline.kind)}</strong> {say(lang, `应于 ${deadline.due}`, `due ${deadline.due}`)}
              {deadline.reachedOn ? say(lang, `，已于 ${deadline.reachedOn} 完成`, `, reached on ${deadline.reachedOn}`) : null}
              {deadline.overdue ? <span class="breach">{say(lang, '（已逾期）', ' (overdue)')}</span> : null}
              {late ? <span class="breach">{say(lang, '（晚于期限届满日）', ' (after the limit date)')}</span> : null}
            </li>
          );
        })}
      </ol>
    </Section>
  );
}

function FundingSection(props: { lang: Lang; view: PublicCaseView }) {
  const { lang, view } = props;
  const funding = view.funding;
  return (
    <Section id="funding" title={say(lang, '出资', 'Funding')}>
      <Facts items={[
        [say(lang, '承诺出资合计', 'Pledged'), <Money fen={funding.pledgedFen} />],
        [say(lang, '已到账', 'Deposited'), <Money fen={funding.depositedFen} />],
        [say(lang, '资金缺口', 'Shortfall'), BigInt(funding.shortfallFen) > 0n ? <span class="breach"><Money fen={funding.shortfallFen} /></span> : <Money fen={funding.shortfallFen} />],
      ]} />
      <DataTable
        caption={say(lang, '出资人', 'Funders')}
        rowKey={(funder) => funder.funderId}
        rows={funding.funders}
        empty={say(lang, '尚无出资人', 'No funders yet')}
        columns={[
          { label: say(lang, '出资人', 'Funder'), cell: (funder) => funder.name },
          { label: say(lang, '承诺出资', 'Pledge'), numeric: true, cell: (funder) => <Money fen={funder.pledgeFen} /> },
        ]}
      />
    </Section>
  );
}

function AnnouncementsSection(props: { lang: Lang; notices: PublishedNotice[] }) {
  const { lang } = props;
  return (
    <Section id="announcements" title={say(lang, '公告', 'Announcements')}>
      {props.notices.length === 0 ? <p class="muted">{say(lang, '尚无公告。', 'Nothing published yet.')}</p> : null}
      {props.notices.map((notice) => (
        <article class="notice" id={`notice-${notice.seq}`} data-kind={notice.kind}>
          <h3>{notice.title[lang]}</h3>
          <p class="muted"><time datetime={notice.publishOn}>{notice.publishOn}</time></p>
          <p><WithHashes text={notice.body[lang]} /></p>
        </article>
      ))}
    </Section>
  );
}

function ChallengeSection(props: { lang: Lang; view: PublicCaseView }) {
  const { lang, view } = props;
  return (
    <Section id="challenge" title={say(lang, '发行人的复议、诉讼与暂停请求', "The issuer's challenges and requests to pause")}>
      <Flash tone="info">{say(lang,
        '先行赔付程序不因发行人申请行政复议或提起行政诉讼而中止，也不延长期限；处罚决定日后被撤销，也不追回已付款项。',
        'Advance compensation never pauses, and its limit never moves, for the issuer\'s reconsideration or litigation; a later revocation of the penalty claws back no payment made.')}</Flash>
      <DataTable
        caption={say(lang, '发行人提起的复议或诉讼', 'Reconsideration or litigation filed by the issuer')}
        rowKey={(challenge) => `${challenge.kind}-${challenge.filedOn}-${challenge.body}`}
        rows={view.issuerChallenges}
        empty={say(lang, '没有', 'None')}
        columns={[
          { label: say(lang, '类别', 'Kind'), cell: (challenge) => wordOf(lang, CHALLENGE_KIND_NAMES, challenge.kind) },
          { label: say(lang, '提起日期', 'Filed on'), cell: (challenge) => challenge.filedOn },
          { label: say(lang, '受理机关', 'With'), cell: (challenge) => challenge.body },
        ]}
      />
      <DataTable
        caption={say(lang, '被拒绝的暂停请求', 'Requests to pause, refused')}
        rowKey={(refusal) => `${refusal.on}-${refusal.onGroundOf}`}
        rows={view.pauseRequestsRefused}
        empty={say(lang, '没有', 'None')}
        columns={[
          { label: say(lang, '日期', 'On'), cell: (refusal) => refusal.on },
          { label: say(lang, '理由', 'Ground'), cell: (refusal) => (refusal.onGroundOf === 'issuer-challenge' ? say(lang, '发行人复议或诉讼', "the issuer's challenge") : say(lang, '其他', 'other')) },
          { label: say(lang, '拒绝的理由', 'Why it was refused'), cell: (refusal) => <><Tag tone="bad">{say(lang, '不中止', 'Never suspends')}</Tag> {refusal.reason[lang]}</> },
        ]}
      />
    </Section>
  );
}

function RepresentativesSection(props: { lang: Lang; view: PublicCaseView; draws: CheckedDraw[]; names: (id: string) => string; origin: string }) {
  const { lang, view, names } = props;
  const seated = new Map(view.representatives.map((seat) => [seat.id, seat]));
  const drawsUrl = `${props.origin}/api/v1/cases/${encodeURIComponent(view.caseId)}/draws`;
  const person = (id: string) => `${names(id)}${paren(lang, id)}`;
  return (
    <Section id="representatives" title={say(lang, '投资者代表和律师', 'Investor representatives and lawyers')}>
      {view.announcement ? (
        <Facts items={[
          [say(lang, '公告期届满', 'Announcement period ends'), view.announcement.endsOn],
          [say(lang, '席位', 'Seats'), say(lang, `投资者代表 ${view.announcement.seats.representatives} 席，律师 ${view.announcement.seats.lawyers} 席`, `${view.announcement.seats.representatives} representatives, ${view.announcement.seats.lawyers} lawyers`)],
          [say(lang, '抽签种子承诺值（公告时公布）', 'Commitment to the draw seed (published with the announcement)'), <code>{view.announcement.drawCommitment}</code>],
        ]} />
      ) : <p class="muted">{say(lang, '尚未发布征集公告。', 'No call for applications yet.')}</p>}
      <DataTable
        caption={say(lang, '当选的投资者代表和律师，以及如何选定', 'Who holds the seats, and how each was chosen')}
        rowKey={(seat) => seat.id}
        rows={view.representatives}
        empty={say(lang, '尚未选定', 'No one chosen yet')}
        columns={[
          { label: say(lang, '姓名', 'Name'), cell: (seat) => seat.name },
          { label: say(lang, '席位', 'Seat'), cell: (seat) => poolName(lang, seat.pool) },
          { label: say(lang, '选定方式', 'Chosen by'), cell: (seat) => (seat.chosenBy === 'lot'
            ? <span data-chosen-by="lot">{say(lang, '抽签', 'lot')}</span>
            : <span data-chosen-by="agreement">{say(lang, '申请人协商一致', 'agreement among the applicants')}</span>) },
        ]}
      />
      <DataTable
        caption={say(lang, '申请人', 'Applicants')}
        rowKey={(applicant) => applicant.id}
        rows={view.applicants}
        empty={say(lang, '没有申请人', 'No applicants')}
        columns={[
          { label: say(lang, '姓名', 'Name'), cell: (applicant) => applicant.name },
          { label: say(lang, '申请席位', 'Applied for'), cell: (applicant) => poolName(lang, applicant.pool) },
          { label: say(lang, '律师事务所', 'Law firm'), cell: (applicant) => applicant.firm ?? '—' },
          { label: say(lang, '结果', 'Outcome'), cell: (applicant) => (seated.has(applicant.id) ? <Tag tone="good">{say(lang, '当选', 'Chosen')}</Tag> : say(lang, '未当选', 'Not chosen')) },
        ]}
      />
      {props.draws.length > 0 ? (
        <>
          <h3 id="draws">{say(lang, '抽签及其核验', 'The draw and how to check it')}</h3>
          <p>{say(lang,
            '算法（HMAC-SHA256 拒绝采样）：承诺值是种子字节（十六进制解码后）的 SHA-256。将该席位的申请人编号按 Unicode 码点排序；对 i = 0、1、2……依次计算 HMAC-SHA256（密钥为种子字节，消息为“席位池:i”，如 representatives:0），取结果前 8 个字节作为无符号大端整数 x，n 为剩余申请人数；若 x ≥ 2^64 − (2^64 mod n)，本次舍弃（使每人中签机会完全相等）；否则选中剩余名单中第 x mod n 位（从 0 起）并将其移出名单，直至席位选满。',
            'The algorithm (HMAC-SHA256 with rejection sampling): the commitment is the SHA-256 of the seed\'s bytes (hex-decoded). The pool\'s applicant ids are sorted by Unicode code point; for i = 0, 1, 2, … h = HMAC-SHA256(key = the seed bytes, message = "pool:i", e.g. representatives:0); x = the first 8 bytes of h as an unsigned big-endian integer and n = the number still in the list; if x ≥ 2^64 − (2^64 mod n) the attempt is discarded (so that everyone is exactly as likely), otherwise the applicant at 0-based position x mod n is chosen and taken off the list, until the seats are filled.')}</p>
          {props.draws.map((checked) => (
            <div class="draw" data-pool={checked.draw.pool}>
              <h4>{poolName(lang, checked.draw.pool)}</h4>
              <Facts items={[
                [say(lang, '抽取席位', 'Seats drawn'), String(checked.draw.seats)],
                [say(lang, '承诺值（公告时公布）', 'Commitment (published with the announcement)'), <code>{checked.draw.commitment}</code>],
                [say(lang, '公布的种子', 'Seed revealed'), <code>{checked.draw.seedHex}</code>],
                [say(lang, '申请人（按码点排序）', 'Applicants (sorted by code point)'), checked.draw.applicants.map(person).join(say(lang, '、', ', '))],
                [say(lang, '中签（按抽中顺序）', 'Chosen (in the order drawn)'), checked.draw.chosen.map(person).join(say(lang, '、', ', ')) || say(lang, '无', 'none')],
                [say(lang, '核验结果（本页生成时重新计算）', 'Verification (recomputed for this page)'), checked.verification.ok && checked.matchesAnnouncement
                  ? <Tag tone="good"><span data-verified="true">{say(lang, '验证通过', 'verified')}</span></Tag>
                  : <Tag tone="bad"><span data-verified="false">{say(lang, '验证未通过：', 'NOT verified: ')}{checked.verification.ok ? say(lang, '承诺值与公告时公布的不一致', 'the commitment is not the one the announcement published') : checked.verification.problem[lang]}</span></Tag>],
              ]} />
            </div>
          ))}
          <p>{say(lang, '自行核验：下载公布的抽签记录，用开源的 redress 命令行重新计算：', 'Check it yourself: download the published draw records and recompute them with the open-source redress command line:')}</p>
          <pre><code>{`curl -s ${drawsUrl} -o draws.json\nnpx redress verify-draw --draw draws.json --lang ${lang}`}</code></pre>
        </>
      ) : null}
    </Section>
  );
}

function HearingSection(props: { lang: Lang; view: PublicCaseView; names: (id: string) => string }) {
  const { lang, view, names } = props;
  const hearing = view.hearing;
  if (hearing === null) {
    return <Section id="hearing" title={say(lang, '听证', 'Hearing')}><p class="muted">{say(lang, '尚未安排听证。', 'No hearing scheduled yet.')}</p></Section>;
  }
  const record = hearing.record;
  const agenda = record?.agenda ?? hearing.agenda;
  const concerning = (item: { kind: 'agenda-item' | 'evidence'; id: string }) =>
    item.kind === 'agenda-item'
      ? say(lang, `议程：${agenda.find((entry) => entry.id === item.id)?.title ?? item.id}`, `agenda: ${agenda.find((entry) => entry.id === item.id)?.title ?? item.id}`)
      : say(lang, `证据：${record?.evidence.find((entry) => entry.id === item.id)?.title ?? item.id}`, `evidence: ${record?.evidence.find((entry) => entry.id === item.id)?.title ?? item.id}`);
  const attendance = (participantId: string) => {
    const entry = record?.attendance.findLast((candidate) => candidate.participantId === participantId);
    if (entry === undefined) return null;
    return <> {entry.present ? <Tag tone="good">{say(lang, '出席', 'present')}</Tag> : <Tag tone="warn">{say(lang, '缺席', 'absent')}</Tag>}</>;
  };
  const side = (which: 'liable-parties' | 'investors') => (record?.participants ?? []).filter((participant) => participant.side === which);
  return (
    <Section id="hearing" title={say(lang, '听证', 'Hearing')}>
      <Facts items={[
        [say(lang, '日期', 'Date'), hearing.date],
        [say(lang, '地点', 'Venue'), hearing.venue],
        [say(lang, '主持人', 'Host'), hearing.host ?? '—'],
        [say(lang, '听证笔录 SHA-256', 'SHA-256 of the record'), hearing.recordHash ? <code data-record-hash="sha256">{hearing.recordHash}</code> : say(lang, '笔录尚未封存', 'the record is not closed yet')],
      ]} />
      {record ? (
        <div class="grid">
          {(['liable-parties', 'investors'] as const).map((which) => (
            <div>
              <h3>{sideName(lang, which)}</h3>
              <ul>{side(which).map((participant) => <li>{participant.name}{paren(lang, participant.capacity)}{attendance(participant.participantId)}</li>)}</ul>
            </div>
          ))}
        </div>
      ) : null}
      <h3>{say(lang, '议程', 'Agenda')}</h3>
      <ol>{agenda.map((item) => <li id={`agenda-${item.id}`}>{item.title}</li>)}</ol>
      <DataTable
        caption={say(lang, '证据及其 SHA-256', 'Evidence with its SHA-256')}
        rowKey={(item) => item.id}
        rows={record ? record.evidence : hearing.evidence.map((item) => ({ ...item, addedOn: '' }))}
        empty={say(lang, '没有证据', 'No evidence')}
        columns={[
          { label: say(lang, '编号', 'Id'), cell: (item) => item.id },
          { label: say(lang, '名称', 'Title'), cell: (item) => item.title },
          { label: 'SHA-256', cell: (item) => <code>{item.sha256}</code> },
          { label: say(lang, '提交日期', 'Added on'), cell: (item) => item.addedOn || '—' },
        ]}
      />
      {record ? (
        <>
          <DataTable
            caption={say(lang, '发言', 'Statements')}
            rowKey={(statement) => `${statement.speakerId}-${statement.text}`}
            rows={record.statements}
            empty={say(lang, '没有发言记录', 'No statements recorded')}
            columns={[
              { label: say(lang, '发言人', 'Speaker'), cell: (statement) => names(statement.speakerId) },
              { label: say(lang, '日期', 'On'), cell: (statement) => statement.on },
              { label: say(lang, '内容', 'Statement'), cell: (statement) => statement.text },
            ]}
          />
          <DataTable
            caption={say(lang, '异议', 'Objections')}
            rowKey={(objection) => `${objection.by}-${objection.text}`}
            rows={record.objections}
            empty={say(lang, '没有异议', 'No objections')}
            columns={[
              { label: say(lang, '提出人', 'By'), cell: (objection) => names(objection.by) },
              { label: say(lang, '针对', 'Concerning'), cell: (objection) => concerning(objection.concerning) },
              { label: say(lang, '内容', 'Objection'), cell: (objection) => objection.text },
              { label: say(lang, '日期', 'On'), cell: (objection) => objection.on },
            ]}
          />
          <DataTable
            caption={say(lang, '签名（每个签名都引用同一笔录正文的哈希）', 'Signatures (each cites the hash of the same record body)')}
            rowKey={(signature) => signature.signerId}
            rows={record.signatures}
            empty={say(lang, '尚无签名', 'No signatures yet')}
            columns={[
              { label: say(lang, '签名人', 'Signed by'), cell: (signature) => names(signature.signerId) },
              { label: say(lang, '日期', 'On'), cell: (signature) => signature.on },
              { label: say(lang, '笔录正文哈希', 'Hash of the body'), cell: (signature) => <code>{signature.contentHash}</code> },
            ]}
          />
        </>
      ) : null}
    </Section>
  );
}

function PlansSection(props: { lang: Lang; view: PublicCaseView; names: (id: string) => string }) {
  const { lang, view, names } = props;
  const caseUrl = `/cases/${encodeURIComponent(view.caseId)}`;
  return (
    <Section id="plans" title={say(lang, '赔付方案各版本', 'Every version of the plan')}>
      {view.adoptedPlan ? (
        <Flash tone="good">
          <WithHashes text={say(lang,
            `${view.adoptedPlan.adoptedOn} 依据听证笔录（SHA-256 ${view.adoptedPlan.hearingRecordHash}）通过方案第 ${view.adoptedPlan.version} 版。`,
            `Version ${view.adoptedPlan.version} was adopted on ${view.adoptedPlan.adoptedOn} on the hearing record with SHA-256 ${view.adoptedPlan.hearingRecordHash}.`)} />
        </Flash>
      ) : <p class="muted">{say(lang, '尚未通过方案。', 'No plan adopted yet.')}</p>}
      <DataTable
        caption={say(lang, '方案版本、格式条款审查与是否通过', 'Plan versions, their standard-terms review, and which was adopted')}
        rowKey={(plan) => String(plan.version)}
        rows={view.plans}
        empty={say(lang, '尚无方案', 'No plan proposed yet')}
        columns={[
          { label: say(lang, '版本', 'Version'), cell: (plan) => <a href={`${caseUrl}/plans/${plan.version}`} data-plan-version={plan.version}>{versionName(lang, plan.version)}</a> },
          { label: say(lang, '提出人', 'Proposed by'), cell: (plan) => names(plan.proposedBy) },
          { label: say(lang, '提出日期', 'On'), cell: (plan) => plan.proposedOn },
          { label: 'SHA-256', cell: (plan) => <code>{plan.hash}</code> },
          { label: say(lang, '格式条款审查', 'Standard-terms review'), cell: (plan) => (plan.flags.length === 0
            ? <Tag tone="good">{say(lang, '未发现问题', 'No flags')}</Tag>
            : (
              <>
                <Tag tone="bad">{say(lang, `${plan.flags.length} 项提示`, `${plan.flags.length} flags`)}</Tag>
                <ul>
                  {plan.flags.map((flag) => (
                    <li data-flag={flag.id}>
                      {say(lang, `条款 ${flag.clauseId}：`, `clause ${flag.clauseId}: `)}{reviewRuleName(lang, flag.ruleId)}
                      {flag.overruled !== null ? <> <Tag tone="warn">{say(lang, '已驳回', 'overruled')}</Tag> {flag.overruled}</> : null}
                    </li>
                  ))}
                </ul>
              </>
            )) },
          { label: say(lang, '状态', 'Status'), cell: (plan) => (plan.adopted ? <Tag tone="good">{say(lang, '已通过', 'Adopted')}</Tag> : say(lang, '未通过', 'Not adopted')) },
          { label: say(lang, '对比', 'Compare'), cell: (plan) => (plan.version > 1
            ? <a href={`${caseUrl}/plans/${plan.version}/diff?against=${plan.version - 1}`}>{say(lang, `与第 ${plan.version - 1} 版对比`, `against version ${plan.version - 1}`)}</a>
            : '—') },
        ]}
      />
    </Section>
  );
}

function RunsSection(props: { lang: Lang; view: PublicCaseView }) {
  const { lang, view } = props;
  return (
    <Section id="runs" title={say(lang, '计算记录', 'Computations recorded')}>
      <DataTable
        caption={say(lang, '每次计算都记录输入数据的哈希，任何人可据此确认计算所用的数据未被更改', 'Each run records the hash of its input, so anyone can confirm which data it computed on')}
        rowKey={(run) => run.runId}
        rows={view.computationRuns}
        empty={say(lang, '尚未计算', 'No computation yet')}
        columns={[
          { label: say(lang, '日期', 'On'), cell: (run) => run.on },
          { label: say(lang, '批次', 'Run'), cell: (run) => <code>{run.runId}</code> },
          { label: say(lang, '方案版本', 'Plan'), cell: (run) => versionName(lang, run.planVersion) },
          { label: say(lang, '输入数据 SHA-256', 'Input SHA-256'), cell: (run) => <code>{run.inputHash}</code> },
          { label: say(lang, '投资者', 'Investors'), numeric: true, cell: (run) => run.counts.investors },
          ...(['payable', 'zero', 'ineligible', 'rejected'] as const).map((status) => ({ label: STATUS_WORDS.result[status][lang], numeric: true, cell: (run: PublicCaseView['computationRuns'][number]) => run.counts[status] })),
          { label: say(lang, '应付总额', 'Total payable'), numeric: true, cell: (run) => <Money fen={run.totalPayableFen} /> },
        ]}
      />
    </Section>
  );
}
