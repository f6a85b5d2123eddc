import { html } from 'hono/html';
import { page, type Html } from '../../app/http/layout.ts';
import type { Lang } from '../i18n.ts';
import { texts } from '../i18n.ts';

export function loginPage(options: { error?: string; email?: string; lang?: Lang }): Html {
  const lang = options.lang ?? 'nl';
  const t = texts(lang);
  const invalid = options.error ? html` aria-invalid="true" aria-describedby="login-error"` : '';
  return page({
    title: t.login.title,
    lang,
    header: html`<header class="utrecht-page-header dashboard-header"><div class="dashboard-header__bar">
      <p class="dashboard-header__brand">Wijkstem</p>
      <a class="utrecht-link dashboard-header__lang" href="/dashboard/login?lang=${t.other.lang}" lang="${t.other.lang}" hreflang="${t.other.lang}">${t.other.label}</a>
    </div></header>`,
    body: html`
      <h1 class="utrecht-heading-1">${t.login.heading}</h1>
      <form method="post" action="/dashboard/login" class="login-form">
        ${options.error
          ? html`<div class="utrecht-alert utrecht-alert--error" role="alert"><div class="utrecht-alert__content"><p class="utrecht-alert__message form-error" id="login-error">${options.error}</p></div></div>`
          : ''}
        <div class="utrecht-form-field">
          <div class="utrecht-form-field__label"><label class="utrecht-form-label" for="email">${t.login.email}</label></div>
          <div class="utrecht-form-field__input">
            <input class="utrecht-textbox utrecht-textbox--html-input" id="email" name="email" type="email" autocomplete="username" required value="${options.email ?? ''}"${invalid}>
          </div>
        </div>
        <div class="utrecht-form-field">
          <div class="utrecht-form-field__label"><label class="utrecht-form-label" for="password">${t.login.password}</label></div>
          <div class="utrecht-form-field__input">
            <input class="utrecht-textbox utrecht-textbox--html-input" id="password" name="password" type="password" autocomplete="current-password" required${invalid}>
          </div>
        </div>
        <button type="submit" class="utrecht-button utrecht-button--primary-action">${t.login.submit}</button>
      </form>`,
  });
}
