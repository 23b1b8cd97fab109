import type { ComponentChildren } from 'preact';
import { say, withNote, type Lang } from '../i18n.ts';
import type { WebContext } from '../web-context.ts';
import { CsrfField } from './ui.tsx';
import { roleName } from './words.ts';

/** The same page in the other language: the current address with `lang` set. */
function switchedUrl(url: string, lang: Lang): string {
  const parsed = new URL(url, 'http://page.invalid');
  parsed.searchParams.set('lang', lang);
  return `${parsed.pathname}${parsed.search}`;
}

/**
 * The frame of every page: a skip link, the site's name, where one can go as who one is, the
 * language switch, then the page. htmx is loaded for the parts that update in place; every form
 * and link also works without it.
 */
export function Layout(props: { ctx: WebContext; title: string; children: ComponentChildren }) {
  const { ctx } = props;
  const { lang, actor } = ctx;
  const other: Lang = lang === 'zh' ? 'en' : 'zh';
  const signedIn = actor.role !== 'public';
  return (
    <html lang={lang === 'zh' ? 'zh-CN' : 'en'}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · ${say(lang, '先行赔付平台', 'Redress')}`}</title>
        <link rel="stylesheet" href="/assets/site.css" />
        <link rel="icon" href="data:," />
        <script src="/assets/htmx.min.js" defer></script>
      </head>
      <body hx-headers={ctx.csrfToken ? JSON.stringify({ 'x-csrf-token': ctx.csrfToken }) : undefined}>
        <a class="skip" href="#main">{say(lang, '跳到正文', 'Skip to content')}</a>
        <header class="site">
          <a class="brand" href="/">{say(lang, '先行赔付平台', 'Redress')}<span class="brand-sub">{say(lang, 'Redress', '先行赔付')}</span></a>
          <nav aria-label={say(lang, '主导航', 'Main')}>
            <a href="/cases">{say(lang, '案件公示', 'Cases')}</a>
            {actor.role === 'investor' ? <a href="/portal">{say(lang, '我的赔付', 'My offers')}</a> : null}
            {signedIn && actor.role !== 'investor' ? <a href="/console">{say(lang, '工作台', 'Console')}</a> : null}
            {!signedIn ? <a href="/portal/sign-in">{say(lang, '投资者登录', 'Investor sign-in')}</a> : null}
            {!signedIn ? <a href="/sign-in">{say(lang, '工作人员登录', 'Staff sign-in')}</a> : null}
          </nav>
          <div class="who">
            {signedIn ? (
              <form method="post" action="/sign-out" class="inline">
                <CsrfField token={ctx.csrfToken} />
                <span>{withNote(lang, actor.name, roleName(lang, actor.role))}</span>
                <button type="submit" class="link">{say(lang, '退出', 'Sign out')}</button>
              </form>
            ) : null}
            <a class="lang" href={switchedUrl(ctx.url, other)} hreflang={other === 'zh' ? 'zh-CN' : 'en'} lang={other === 'zh' ? 'zh-CN' : 'en'}>
              {other === 'zh' ? '中文' : 'English'}
            </a>
          </div>
        </header>
        <main id="main">{props.children}</main>
        <footer class="site">
          <p>{say(lang, '依据《最高人民法院关于审理证券市场虚假陈述侵权民事赔偿案件的若干规定》（法释〔2022〕2号）计算。', 'Computed under the Supreme People\'s Court Provisions on false statements (Fa Shi [2022] No. 2).')}</p>
          <p><a href="/api/openapi.json">API</a> · <a href="/health">health</a></p>
        </footer>
      </body>
    </html>
  );
}
