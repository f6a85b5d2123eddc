/** Administration: the users of the administrator's own municipality; add one, disable one. */
import { html } from 'hono/html';
import type { Municipality, User, UserRole } from '../../db/database.ts';
import type { Html } from '../../app/http/layout.ts';
import { alertOk, errorSummary, fieldError, type FieldErrors } from './form.ts';
import { dashboardPage, type ViewContext } from './shell.ts';

/** Roles an administrator may give. Region users see other municipalities: only the operator makes them (CLI). */
export const assignableRoles: readonly UserRole[] = ['team', 'council', 'admin'];

const fieldIds: Record<string, string> = { email: 'user-email', role: 'user-role', password: 'user-password' };

export function adminPage(
  ctx: ViewContext,
  options: {
    municipality: Municipality;
    users: Omit<User, 'password_hash'>[];
    errors: FieldErrors;
    values: { email: string; role: string };
    added?: { email: string; temporaryPassword: string | undefined } | undefined;
    disabled?: string | undefined;
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
  return dashboardPage(ctx, {
    title: a.title,
    section: 'admin',
    body: html`
      <h1 class="utrecht-heading-1">${a.heading}</h1>
      <p class="utrecht-paragraph"><a class="utrecht-link" href="/dashboard/beheer/bot" id="bot-texts-link">${ctx.lang === 'nl' ? 'Teksten van de chatbot en WhatsApp-sjablonen' : 'Chatbot texts and WhatsApp templates'}</a></p>
      ${options.added
        ? alertOk(html`<p class="utrecht-paragraph" id="user-added">${a.added(options.added.email)}</p>
            ${options.added.temporaryPassword
              ? html`<p class="utrecht-paragraph">${a.temporaryPassword} <code class="temporary-password">${options.added.temporaryPassword}</code></p>`
              : ''}`)
        : ''}
      ${options.disabled ? alertOk(html`<p class="utrecht-paragraph" id="user-disabled">${a.disabledDone(options.disabled)}</p>`) : ''}
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
              <td class="utrecht-table__cell" data-label="${c.action}">${u.id === ctx.user.id
                ? a.you
                : u.disabled_at
                  ? ''
                  : html`<form method="post" action="/dashboard/beheer/gebruikers/${u.id}/uitschakelen">
                      <input type="hidden" name="csrf" value="${ctx.csrfToken}">
                      <button type="submit" class="utrecht-button utrecht-button--secondary-action" aria-label="${a.disableLabel(u.email)}">${a.disable}</button>
                    </form>`}</td>
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
            ${assignableRoles.map((r) => html`<option value="${r}"${options.values.role === r ? ' selected' : ''}>${t.roles[r]}</option>`)}
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
