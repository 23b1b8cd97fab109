import { say, type Bilingual } from '../i18n.ts';
import type { WebContext } from '../web-context.ts';
import { Layout } from './layout.tsx';
import { Field, Flash } from './ui.tsx';

export function HomePage(props: { ctx: WebContext }) {
  const { lang } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={say(lang, '首页', 'Home')}>
      <h1>{say(lang, '证券虚假陈述先行赔付平台', 'Advance compensation for investors harmed by false statements')}</h1>
      <p class="lead">
        {say(lang,
          '发行人因虚假陈述受到行政处罚后，保荐机构等责任主体设立专项赔付基金，先行赔付受损投资者，再向最终责任方追偿。本平台公开赔付方案的形成过程，逐人逐笔计算损失，并记录每一笔资金的来去。',
          'When an issuer is penalised for false statements, the sponsor or another liable party sets up a special fund, pays harmed investors before any judgment, and then recovers from those finally liable. This platform shows how each plan was made, computes each investor\'s loss trade by trade, and accounts for every fen.')}
      </p>
      <ul class="choices">
        <li><a class="button" href="/cases">{say(lang, '查看案件公示', 'See the cases')}</a><span>{say(lang, '公告、代表人选定、听证笔录、方案各版本、赔付进度', 'announcements, representatives, hearing records, plan versions, progress')}</span></li>
        <li><a class="button" href="/portal/sign-in">{say(lang, '投资者登录', 'Investor sign-in')}</a><span>{say(lang, '查看本人的赔付要约和计算说明，接受、拒绝或提出异议', 'see your offer and its calculation; accept, refuse or dispute it')}</span></li>
        <li><a class="button secondary" href="/sign-in">{say(lang, '工作人员登录', 'Staff sign-in')}</a><span>{say(lang, '基金管理人、听证主持人、出资人、代表人、律师、审计', 'administrators, hearing hosts, funders, representatives, lawyers, auditors')}</span></li>
      </ul>
    </Layout>
  );
}

/** An error as a page. `retry` is where trying again leads, when the fault is passing (503). */
export function ErrorPage(props: { ctx: WebContext; statusCode: number; message: Bilingual; retry?: string }) {
  const { lang } = props.ctx;
  const title = props.statusCode === 404 ? say(lang, '未找到', 'Not found')
    : props.statusCode === 403 ? say(lang, '无权访问', 'Not allowed')
    : props.statusCode === 503 ? say(lang, '服务暂时不可用', 'Briefly unavailable')
    : props.statusCode >= 500 ? say(lang, '出错了', 'Something went wrong')
    : say(lang, '无法处理', 'Cannot do that');
  return (
    <Layout ctx={props.ctx} title={title}>
      <h1>{title}</h1>
      <Flash tone="bad">{props.message[lang]}</Flash>
      <p>
        {props.retry === undefined ? null : <><a href={props.retry}>{say(lang, '重试', 'Try again')}</a>{' · '}</>}
        <a href="/">{say(lang, '返回首页', 'Back to the home page')}</a>
      </p>
    </Layout>
  );
}

/** Staff sign in with their actor id and access token (the bearer token issued with their account). */
export function StaffSignInPage(props: { ctx: WebContext; next: string; failed: boolean }) {
  const { lang } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={say(lang, '工作人员登录', 'Staff sign-in')}>
      <h1>{say(lang, '工作人员登录', 'Staff sign-in')}</h1>
      {props.failed ? <Flash tone="bad">{say(lang, '账号或访问令牌不正确。', 'The id or the access token is not right.')}</Flash> : null}
      <form method="post" action="/sign-in" class="form narrow">
        <input type="hidden" name="next" value={props.next} />
        <Field label={say(lang, '账号', 'Id')} name="actorId" required autocomplete="username" />
        <Field label={say(lang, '访问令牌', 'Access token')} name="token" type="password" required autocomplete="current-password" hint={say(lang, '创建账号时一次性发放的令牌（以 rdr_ 开头）。', 'The token issued once with your account (starts with rdr_).')} />
        <button type="submit">{say(lang, '登录', 'Sign in')}</button>
      </form>
    </Layout>
  );
}

/** Step one for an investor: who they are, as the registry knows them. */
export function InvestorSignInPage(props: { ctx: WebContext; investor?: string; account?: string; failed?: boolean; limited?: boolean }) {
  const { lang } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={say(lang, '投资者登录', 'Investor sign-in')}>
      <h1>{say(lang, '投资者登录', 'Investor sign-in')}</h1>
      {props.failed ? <Flash tone="bad">{say(lang, '验证码不正确或已过期，请重新获取。', 'The code is wrong or has expired; ask for a new one.')}</Flash> : null}
      {props.limited ? <Flash tone="bad">{say(lang, '尝试次数过多，请稍后再试。', 'Too many tries; wait a little and try again.')}</Flash> : null}
      <p>{say(lang, '请输入您的投资者编号和证券账户号码，我们将向您登记的联系方式发送一次性验证码。', 'Enter your investor id and securities account; a one-time code is sent to the contact details on record.')}</p>
      <form method="post" action="/portal/sign-in/code" class="form narrow">
        <Field label={say(lang, '投资者编号', 'Investor id')} name="investor" value={props.investor} required autocomplete="username" />
        <Field label={say(lang, '证券账户', 'Securities account')} name="account" value={props.account} required />
        <button type="submit">{say(lang, '获取验证码', 'Send me a code')}</button>
      </form>
    </Layout>
  );
}

/** Step two: the code. The page reads the same whether or not a code was sent. */
export function InvestorCodePage(props: { ctx: WebContext; investor: string; account: string }) {
  const { lang } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={say(lang, '输入验证码', 'Enter the code')}>
      <h1>{say(lang, '输入验证码', 'Enter the code')}</h1>
      <Flash tone="info">{say(lang, '如果您填写的信息与登记数据一致，验证码已发送，10 分钟内有效。', 'If the details match the registry\'s data, a code has been sent; it is valid for 10 minutes.')}</Flash>
      <form method="post" action="/portal/sign-in/verify" class="form narrow">
        <input type="hidden" name="investor" value={props.investor} />
        <input type="hidden" name="account" value={props.account} />
        <Field label={say(lang, '验证码（6 位数字）', 'Code (6 digits)')} name="code" required autocomplete="one-time-code" inputmode="numeric" pattern="[0-9 ]{6,8}" maxLength={8} />
        <button type="submit">{say(lang, '登录', 'Sign in')}</button>
      </form>
      <p><a href="/portal/sign-in">{say(lang, '重新获取验证码', 'Ask for another code')}</a></p>
    </Layout>
  );
}
