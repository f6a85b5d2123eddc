/**
 * Administration of users (/dashboard/beheer) on each database kind: change role, disable and enable, reset a
 * password (shown once), region users only for the administrator's own region, and never a municipality without an
 * active administrator. Every change is read back from the real database and the audit log; a disabled user's or a
 * reset user's session is refused at their very next request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from './support/databases.ts';
import { password, startDashboardApp, type DashboardApp } from './support/dashboard-app.ts';

describe.each(databaseKinds)('user administration on %s', (kind) => {
  let shared: DashboardApp;

  const db = () => shared.database.db;
  const userRow = (email: string) => db().selectFrom('users').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
  const idOf = (email: string) => shared.users[email]?.id ?? '';
  const audits = (action: string) => db().selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();
  const refusals = async () => (await audits('access.refused')).length;
  const admin = () => shared.session('admin@zaanstad.test', '/dashboard/beheer');
  const act = async (email: string, action: string, fields: Record<string, string> = {}, as = admin()) => {
    const { cookie, csrf } = await as;
    return shared.post(`/dashboard/beheer/gebruikers/${idOf(email)}/${action}`, new URLSearchParams({ csrf, ...fields }), cookie);
  };

  beforeAll(async () => {
    shared = await startDashboardApp(kind, {
      workers: false,
      municipalities: [{ code: 'GM0453', name: 'Velsen', region: null }],
      users: [
        ['admin@zaanstad.test', 'admin', 'GM0479'],
        ['tweede@zaanstad.test', 'admin', 'GM0479'],
        ['team@zaanstad.test', 'team', 'GM0479'],
        ['rol@zaanstad.test', 'team', 'GM0479'],
        ['weg@zaanstad.test', 'council', 'GM0479'],
        ['vergeten@zaanstad.test', 'team', 'GM0479'],
        ['admin@velsen.test', 'admin', 'GM0453'],
        ['team@wormerland.test', 'team', 'GM0880'],
      ],
    });
  });

  afterAll(() => shared.close());

  it('lists e-mail, role, status and last login of its own users, with an action form per user', async () => {
    await shared.loggedIn('team@zaanstad.test');
    const page = await (await shared.get('/dashboard/beheer', await shared.loggedIn('admin@zaanstad.test'))).text();
    const row = /<tr class="utrecht-table__row">\s*<td[^>]*>team@zaanstad\.test<\/td>[\s\S]*?<\/tr>/.exec(page)?.[0] ?? '';
    expect(row).toContain('wijkteam');
    expect(row).toContain('actief');
    expect(row).not.toContain('nooit'); // logged in above
    expect(row).toContain(`action="/dashboard/beheer/gebruikers/${idOf('team@zaanstad.test')}/rol"`);
    expect(row).toContain(`action="/dashboard/beheer/gebruikers/${idOf('team@zaanstad.test')}/wachtwoord"`);
    expect(page).not.toContain('wormerland.test');
    expect(page).not.toContain('scrypt$');
  });

  it('changes a role; audited with the old and new role; a role not on the list is refused', async () => {
    const response = await act('rol@zaanstad.test', 'rol', { role: 'council' });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('rol@zaanstad.test heeft nu de rol raad.');
    expect((await userRow('rol@zaanstad.test')).role).toBe('council');
    expect((await audits('user.role')).at(-1)).toMatchObject({ actor_id: idOf('admin@zaanstad.test'), subject_id: idOf('rol@zaanstad.test'), details: { from: 'team', to: 'council' } });
    for (const role of ['superuser', 'Admin', '']) {
      const bad = await act('rol@zaanstad.test', 'rol', { role });
      expect(bad.status, role).toBe(400);
      expect(await bad.text()).toContain('Kies een rol uit de lijst.');
    }
    expect((await userRow('rol@zaanstad.test')).role).toBe('council');
  });

  it('makes region users only for its own region: in its own municipality, and not when that has no region', async () => {
    const { cookie, csrf } = await admin();
    const made = await shared.post('/dashboard/beheer/gebruikers', new URLSearchParams({ csrf, email: 'regio@zaanstad.test', role: 'region', password: '' }), cookie);
    expect(made.status).toBe(200);
    expect(await userRow('regio@zaanstad.test')).toMatchObject({ role: 'region', municipality_code: 'GM0479' });
    // Velsen belongs to no region: the role is not offered and not accepted.
    const velsen = await shared.session('admin@velsen.test', '/dashboard/beheer');
    expect(await (await shared.get('/dashboard/beheer', velsen.cookie)).text()).not.toContain('<option value="region"');
    const refused = await shared.post('/dashboard/beheer/gebruikers', new URLSearchParams({ csrf: velsen.csrf, email: 'regio@velsen.test', role: 'region', password: '' }), velsen.cookie);
    expect(refused.status).toBe(400);
    expect(await db().selectFrom('users').select('id').where('email', '=', 'regio@velsen.test').executeTakeFirst()).toBeUndefined();
  });

  it('never leaves a municipality without an active administrator; another administrator may step down', async () => {
    const velsen = shared.session('admin@velsen.test', '/dashboard/beheer');
    const { cookie, csrf } = await velsen;
    const alone = await shared.post(`/dashboard/beheer/gebruikers/${idOf('admin@velsen.test')}/rol`, new URLSearchParams({ csrf, role: 'team' }), cookie);
    expect(alone.status).toBe(409);
    expect(await alone.text()).toContain('geen actieve beheerder meer');
    expect((await userRow('admin@velsen.test')).role).toBe('admin');
    expect((await audits('user.role')).some((a) => a.subject_id === idOf('admin@velsen.test'))).toBe(false);
    // Zaanstad has two: the second steps down, and the page is no longer theirs at the next request.
    const second = shared.session('tweede@zaanstad.test', '/dashboard/beheer');
    const down = await act('tweede@zaanstad.test', 'rol', { role: 'council' }, second);
    expect(down.status).toBe(303);
    expect(down.headers.get('location')).toBe('/dashboard');
    expect((await shared.get('/dashboard/beheer', (await second).cookie)).status).toBe(403);
    // Now the first is the last: stepping down is refused, disabling yourself too.
    expect((await act('admin@zaanstad.test', 'rol', { role: 'team' })).status).toBe(409);
    expect((await act('admin@zaanstad.test', 'uitschakelen')).status).toBe(400);
    expect(await userRow('admin@zaanstad.test')).toMatchObject({ role: 'admin', disabled_at: null });
  });

  it("disables a user: their session is refused at the next request and login fails; enabling restores the old password", async () => {
    const victim = await shared.login('weg@zaanstad.test');
    expect((await shared.get('/dashboard', victim)).status).toBe(200);
    const response = await act('weg@zaanstad.test', 'uitschakelen');
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/weg@zaanstad\.test<\/td>[\s\S]*?uitgeschakeld[\s\S]*?\/inschakelen"/);
    const next = await shared.get('/dashboard', victim);
    expect(next.status).toBe(303);
    expect(next.headers.get('location')).toBe('/dashboard/login');
    expect((await shared.post('/dashboard/login', new URLSearchParams({ email: 'weg@zaanstad.test', password }))).status).toBe(401);
    expect(await db().selectFrom('sessions').select('token_hash').where('user_id', '=', idOf('weg@zaanstad.test')).execute()).toEqual([]);

    const enabled = await act('weg@zaanstad.test', 'inschakelen');
    expect(enabled.status).toBe(200);
    expect(await enabled.text()).toContain('weg@zaanstad.test is weer ingeschakeld');
    expect((await userRow('weg@zaanstad.test')).disabled_at).toBeNull();
    expect((await shared.get('/dashboard', await shared.login('weg@zaanstad.test'))).status).toBe(200);
    expect((await audits('user.disable')).at(-1)?.subject_id).toBe(idOf('weg@zaanstad.test'));
    expect((await audits('user.enable')).at(-1)).toMatchObject({ actor_id: idOf('admin@zaanstad.test'), subject_id: idOf('weg@zaanstad.test') });
  });

  it('resets a password: shown once, the old one and the old session stop working, the new one works; audited', async () => {
    const before = await shared.login('vergeten@zaanstad.test');
    const response = await act('vergeten@zaanstad.test', 'wachtwoord');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const page = await response.text();
    const fresh = /class="temporary-password">([^<]+)</.exec(page)?.[1] ?? '';
    expect(fresh).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect((await userRow('vergeten@zaanstad.test')).password_hash).not.toContain(fresh);
    expect((await shared.get('/dashboard', before)).status).toBe(303);
    expect((await shared.post('/dashboard/login', new URLSearchParams({ email: 'vergeten@zaanstad.test', password }))).status).toBe(401);
    expect((await shared.get('/dashboard', await shared.login('vergeten@zaanstad.test', fresh))).status).toBe(200);
    expect(await (await shared.get('/dashboard/beheer', (await admin()).cookie)).text()).not.toContain(fresh);
    const audit = (await audits('user.password_reset')).at(-1);
    expect(audit).toMatchObject({ actor_id: idOf('admin@zaanstad.test'), subject_id: idOf('vergeten@zaanstad.test') });
    expect(JSON.stringify(audit)).not.toContain(fresh);
    // Your own: refused (it would end this session); nothing changed.
    const hash = (await userRow('admin@zaanstad.test')).password_hash;
    expect((await act('admin@zaanstad.test', 'wachtwoord')).status).toBe(400);
    expect((await userRow('admin@zaanstad.test')).password_hash).toBe(hash);
  });

  it("refuses another municipality's user, a non-administrator and a missing CSRF token on every new action; logged, unchanged", async () => {
    const foreign = await userRow('team@wormerland.test');
    const team = shared.session('team@zaanstad.test');
    for (const [action, fields] of [['rol', { role: 'admin' }], ['uitschakelen', {}], ['inschakelen', {}], ['wachtwoord', {}]] as const) {
      const logged = await refusals();
      expect((await act('team@wormerland.test', action, fields)).status, action).toBe(404);
      expect(await refusals()).toBe(logged + 1);
      expect((await act('rol@zaanstad.test', action, fields, team)).status, `team ${action}`).toBe(403);
      const { cookie } = await admin();
      expect((await shared.post(`/dashboard/beheer/gebruikers/${idOf('rol@zaanstad.test')}/${action}`, new URLSearchParams(fields), cookie)).status, `csrf ${action}`).toBe(403);
    }
    expect(await userRow('team@wormerland.test')).toEqual(foreign);
    expect(await userRow('rol@zaanstad.test')).toMatchObject({ role: 'council', disabled_at: null });
  });
});
