/**
 * The dashboard's frame around every page after login: header with who is signed in, the language switch, sign
 * out, and the navigation (Beheer for administrators only), inside the shared page shell.
 */
import { html } from 'hono/html';
import type { User } from '../../db/database.ts';
import { page, type Html } from '../../app/http/layout.ts';
import type { Lang, Texts } from '../i18n.ts';

export interface ViewContext {
  user: User;
  csrfToken: string;
  lang: Lang;
  t: Texts;
  /** The current path, for the language switch and aria-current. */
  path: string;
  themeHref?: string | undefined;
}

export type Section = 'signals' | 'clusters' | 'map' | 'who' | 'agenda' | 'polls' | 'review' | 'notes' | 'import' | 'admin' | 'privacy';

const sections: { key: Section; href: string; roles?: readonly User['role'][] }[] = [
  { key: 'signals', href: '/dashboard' },
  { key: 'clusters', href: '/dashboard/clusters' },
  { key: 'map', href: '/dashboard/kaart' },
  { key: 'who', href: '/dashboard/wie' },
  { key: 'agenda', href: '/dashboard/agenda' },
  { key: 'polls', href: '/dashboard/peilingen', roles: ['admin', 'council'] },
  { key: 'review', href: '/dashboard/beoordelen', roles: ['admin', 'council', 'team'] },
  { key: 'notes', href: '/dashboard/notities', roles: ['admin', 'council', 'team'] },
  { key: 'import', href: '/dashboard/importeren', roles: ['admin', 'council', 'team'] },
  { key: 'admin', href: '/dashboard/beheer', roles: ['admin'] },
  { key: 'privacy', href: '/dashboard/beheer/inzage', roles: ['admin'] },
];

/** The sections whose links keep the current filters (the figures views). */
const filteredSections: readonly Section[] = ['signals', 'clusters', 'map', 'who'];

export function dashboardPage(ctx: ViewContext, options: { title: string; section: Section; body: Html; scripts?: 'notes-draft.js'[]; filterQuery?: string }): Html {
  const { t, user } = ctx;
  const header = html`<header class="utrecht-page-header dashboard-header">
    <div class="dashboard-header__bar">
      <p class="dashboard-header__brand">Wijkstem</p>
      <p class="dashboard-header__user">${t.signedInAs(user.email, t.roles[user.role])}</p>
      <a class="utrecht-link dashboard-header__lang" href="${ctx.path}?lang=${t.other.lang}" lang="${t.other.lang}" hreflang="${t.other.lang}">${t.other.label}</a>
      <form method="post" action="/dashboard/logout" class="dashboard-header__logout">
        <input type="hidden" name="csrf" value="${ctx.csrfToken}">
        <button type="submit" class="utrecht-button utrecht-button--secondary-action">${t.logout}</button>
      </form>
    </div>
    <nav class="utrecht-nav-bar dashboard-nav" aria-label="${t.nav.label}">
      <ul class="utrecht-nav-list">
        ${sections
          .filter((s) => !s.roles || s.roles.includes(user.role))
          .map(
            (s) => html`<li class="utrecht-nav-list__item"><a class="utrecht-nav-list__link" href="${s.href}${filteredSections.includes(s.key) ? (options.filterQuery ?? '') : ''}"${s.key === options.section ? html` aria-current="page"` : ''}>${t.nav[s.key]}</a></li>`,
          )}
      </ul>
    </nav>
  </header>`;
  return page({ title: options.title, lang: ctx.lang, header, body: options.body, themeHref: ctx.themeHref, scripts: options.scripts ?? [] });
}

/** Roles that may add street notes and import (not region users, who read across municipalities). */
export const writerRoles: readonly User['role'][] = ['admin', 'council', 'team'];
