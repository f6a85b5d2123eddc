import { html } from 'hono/html';
import { page, type Html } from '../../app/http/layout.ts';

export function loginPage(options: { error?: string; email?: string }): Html {
  return page({
    title: 'Inloggen',
    body: html`
      <h1>Inloggen op het dashboard</h1>
      <form method="post" action="/dashboard/login" class="login-form">
        ${options.error ? html`<p class="form-error" id="login-error" role="alert">${options.error}</p>` : ''}
        <label for="email">E-mailadres</label>
        <input id="email" name="email" type="email" autocomplete="username" required value="${options.email ?? ''}"
          ${options.error ? html`aria-describedby="login-error"` : ''}>
        <label for="password">Wachtwoord</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required>
        <button type="submit">Inloggen</button>
      </form>`,
  });
}
