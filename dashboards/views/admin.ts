/** Administration: the users of the administrator's own municipality; add, change role, disable/enable, reset password. */
import { html } from 'hono/html';
import type { Municipality, User, UserRole } from '../../db/database.ts';
import type { Html } from '../../app/http/layout.ts';
import { alertOk, errorSummary, fieldError, type FieldErrors } from './form.ts';
import { dashboardPage, type ViewContext } from './shell.ts';

/**
 * Roles an administrator may give. A region user is made in the administrator's own municipality and so sees that
 * municipality's region: offered only when the municipality belongs to one (otherwise it would be a plain reader).
 */
export function assignableRoles(municipality: Pick<Municipality, 'region'>): readonly UserRole[] {
  return municipality.region ? ['team', 'council', 'admin', 'region'] : ['team', 'council', 'admin'];
}

/** What the last action did, shown once above the table; a password only in this one response. */
export type AdminOutcome =
  | { kind: 'added'; email: string; password: string | undefined }
  | { kind: 'disabled' | 'enabled'; email: string }
  | { kind: 'role'; email: string; role: UserRole }
  | { kind: 'password'; email: string; password: string };

const fieldIds: Record<string, string> = { email: 'user-email', role: 'user-role', password: 'user-password' };

export function adminPage(
  ctx: ViewContext,
  options: {
    municipality: Municipality;
    users: Omit<User, 'password_hash'>[];
    errors: FieldErrors;
    values: { email: string; role: string };
    outcome?: AdminOutcome | undefined;
    notice?: string | undefined;
  },
): Html {
  const { t } = ctx;
  const a = t.admin;
  const c = a.columns;
  const dateTime = new Intl.DateTimeFormat(t.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Amsterdam' });
  const email = fieldError('user-email', options.errors.get('email'));
  const role = fieldError('user-role', options.errors.get('role'));
  const password = options.errors.get('password');
  const roles = assignableRoles(options.municipality);
  return dashboardPage(ctx, {
    title: a.title,
    section: 'admin',
    body: html`
      <h1 class="utrecht-heading-1">${a.heading}</h1>
      <ul class="utrecht-unordered-list admin-links">
        <li><a class="utrecht-link" href="/dashboard/beheer/bot" id="bot-texts-link">${ctx.lang === 'nl' ? 'Teksten van de chatbot en WhatsApp-sjablonen' : 'Chatbot texts and WhatsApp templates'}</a></li>
        <li><a class="utrecht-link" href="/dashboard/beheer/taxonomie" id="taxonomy-link">${ctx.lang === 'nl' ? 'Levensdomeinen: namen aanpassen, toevoegen en uitfaseren' : 'Life domains: rename, add and retire'}</a></li>
        <li><a class="utrecht-link" href="/dashboard/beheer/gebieden" id="areas-link">${ctx.lang === 'nl' ? 'Gebieden importeren: gazetteer (wijken en buurten) en grenzen voor de kaart' : 'Import areas: gazetteer (wijken and buurten) and boundaries for the map'}</a></li>
      </ul>
      ${options.outcome ? outcomeAlert(ctx, options.outcome) : ''}
      ${options.notice
        ? html`<div class="utrecht-alert utrecht-alert--error" role="alert"><div class="utrecht-alert__content"><p class="utrecht-alert__message">${options.notice}</p></div></div>`
        : ''}
      <table class="utrecht-table utrecht-table--html-table signals users">
        <caption class="utrecht-table__caption">${a.caption(options.municipality.name)}</caption>
        <thead class="utrecht-table__header"><tr class="utrecht-table__row">
          <th scope="col" class="utrecht-table__header-cell">${c.email}</th><th scope="col" class="utrecht-table__header-cell">${c.role}</th>
          <th scope="col" class="utrecht-table__header-cell">${c.status}</th><th scope="col" class="utrecht-table__header-cell">${c.lastLogin}</th>
          <th scope="col" class="utrecht-table__header-cell">${c.action}</th>
        </tr></thead>
        <tbody class="utrecht-table__body">
          ${options.users.map(
            (u) => html`<tr class="utrecht-table__row">
              <td class="utrecht-table__cell" data-label="${c.email}">${u.email}</td>
              <td class="utrecht-table__cell" data-label="${c.role}">${t.roles[u.role]}</td>
              <td class="utrecht-table__cell" data-label="${c.status}">${u.disabled_at ? a.disabled : a.active}</td>
              <td class="utrecht-table__cell" data-label="${c.lastLogin}">${u.last_login_at ? dateTime.format(u.last_login_at) : a.never}</td>
              <td class="utrecht-table__cell user-actions" data-label="${c.action}">${userActions(ctx, u, roles)}</td>
            </tr>`,
          )}
        </tbody>
      </table>
      <h2 class="utrecht-heading-2" id="add-user">${a.addHeading}</h2>
      ${errorSummary(t.errorSummary, options.errors, (f) => fieldIds[f] ?? f)}
      <form method="post" action="/dashboard/beheer/gebruikers" class="user-form" novalidate>
        <input type="hidden" name="csrf" value="${ctx.csrfToken}">
        <div class="utrecht-form-field${email.invalid}">
          <div class="utrecht-form-field__label"><label class="utrecht-form-label" for="user-email">${a.email}</label></div>
          ${email.message}
          <div class="utrecht-form-field__input"><input class="utrecht-textbox utrecht-textbox--html-input" id="user-email" name="email" type="email" autocomplete="off" required value="${options.values.email}"${email.attrs}></div>
        </div>
        <div class="utrecht-form-field${role.invalid}">
          <div class="utrecht-form-field__label"><label class="utrecht-form-label" for="user-role">${a.role}</label></div>
          ${role.message}
          <div class="utrecht-form-field__input"><select class="utrecht-select utrecht-select--html-select" id="user-role" name="role" required${role.attrs}>
            ${roles.map((r) => html`<option value="${r}"${options.values.role === r ? ' selected' : ''}>${t.roles[r]}</option>`)}
          </select></div>
        </div>
        <div class="utrecht-form-field${password ? ' utrecht-form-field--invalid' : ''}">
          <div class="utrecht-form-field__label"><label class="utrecht-form-label" for="user-password">${a.password}</label></div>
          <p class="utrecht-form-field-description" id="user-password-hint">${a.passwordHint}</p>
          ${password ? html`<p class="utrecht-form-field-error-message" id="user-password-error">${password}</p>` : ''}
          <div class="utrecht-form-field__input"><input class="utrecht-textbox utrecht-textbox--html-input" id="user-password" name="password" type="password" autocomplete="new-password"
            ${password ? html`aria-invalid="true" aria-describedby="user-password-hint user-password-error"` : html`aria-describedby="user-password-hint"`}></div>
        </div>
        <button type="submit" class="utrecht-button utrecht-button--primary-action">${a.add}</button>
      </form>`,
  });
}

function outcomeAlert(ctx: ViewContext, outcome: AdminOutcome): Html {
  const a = ctx.t.admin;
  const shownOnce = (password: string | undefined) =>
    password ? html`<p class="utrecht-paragraph">${a.temporaryPassword} <code class="temporary-password">${password}</code></p>` : '';
  switch (outcome.kind) {
    case 'added':
      return alertOk(html`<p class="utrecht-paragraph" id="user-added">${a.added(outcome.email)}</p>${shownOnce(outcome.password)}`);
    case 'disabled':
      return alertOk(html`<p class="utrecht-paragraph" id="user-disabled">${a.disabledDone(outcome.email)}</p>`);
    case 'enabled':
      return alertOk(html`<p class="utrecht-paragraph" id="user-enabled">${a.enabledDone(outcome.email)}</p>`);
    case 'role':
      return alertOk(html`<p class="utrecht-paragraph" id="user-role-changed">${a.roleDone(outcome.email, ctx.t.roles[outcome.role])}</p>`);
    case 'password':
      return alertOk(html`<p class="utrecht-paragraph" id="user-password-reset">${a.passwordDone(outcome.email)}</p>${shownOnce(outcome.password)}`);
  }
}

/** Per user: change role; disable or enable; a new password. Yourself: only the role (not the last administrator). */
function userActions(ctx: ViewContext, u: Omit<User, 'password_hash'>, roles: readonly UserRole[]): Html {
  const a = ctx.t.admin;
  const self = u.id === ctx.user.id;
  const action = (path: string) => `/dashboard/beheer/gebruikers/${u.id}/${path}`;
  const csrf = html`<input type="hidden" name="csrf" value="${ctx.csrfToken}">`;
  const selectId = `role-${u.id}`;
  return html`${self ? html`<p class="utrecht-paragraph">${a.you}</p>` : ''}
    <form method="post" action="${action('rol')}" class="user-role-form">${csrf}
      <label class="utrecht-form-label visually-hidden" for="${selectId}">${a.newRole(u.email)}</label>
      <select class="utrecht-select utrecht-select--html-select" id="${selectId}" name="role">
        ${roles.map((r) => html`<option value="${r}"${u.role === r ? ' selected' : ''}>${ctx.t.roles[r]}</option>`)}
      </select>
      <button type="submit" class="utrecht-button utrecht-button--secondary-action">${a.changeRole}<span class="visually-hidden"> (${u.email})</span></button>
    </form>
    ${self
      ? ''
      : html`<form method="post" action="${action(u.disabled_at ? 'inschakelen' : 'uitschakelen')}">${csrf}
          ${u.disabled_at
            ? html`<button type="submit" class="utrecht-button utrecht-button--secondary-action">${a.enable}<span class="visually-hidden"> (${u.email})</span></button>`
            : html`<button type="submit" class="utrecht-button utrecht-button--secondary-action" aria-label="${a.disableLabel(u.email)}">${a.disable}</button>`}
        </form>
        <form method="post" action="${action('wachtwoord')}">${csrf}
          <button type="submit" class="utrecht-button utrecht-button--secondary-action">${a.reset}<span class="visually-hidden"> (${u.email})</span></button>
        </form>`}`;
}
