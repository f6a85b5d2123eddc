/**
 * Property-based tests (fast-check) of every way bad input comes in: the WhatsApp webhook parser and the signed
 * webhook route (arbitrary JSON and bytes), the gazetteer CSV parser, the signal import parser, the redaction step
 * and the whole analysis of a signal, and every dashboard and chat route with random form fields and query strings. Seeds are fixed and runs bounded so
 * the suite is repeatable and quick; a failure prints fast-check's seed and path to replay it. The number of cases
 * run is printed at the end (the README's "fuzz cases run with 0 crashes").
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'kysely';
import type { Hono } from 'hono';
import { createHttpApp } from '../app/http/app.ts';
import { parseDelivery } from '../bot/channels/whatsapp/parse.ts';
import { signBody } from '../bot/channels/whatsapp/signature.ts';
import { parseGazetteer, GAZETTEER_COLUMNS } from '../db/gazetteer/parse.ts';
import { detectFormat, parseSignalImport, MAX_IMPORT_ROWS, MAX_TEXT_LENGTH, CSV_COLUMNS } from '../pipeline/intake/signal-import.ts';
import { elevenTest, redactPersonalData, validIban } from '../pipeline/steps/redact.ts';
import { analyseSignal, createAnalyser, SignalInputError } from '../pipeline/analysis/analyse.ts';
import { defaultDomainClassifier } from '../pipeline/analysis/context.ts';
import { gazetteerDataFromCsv } from '../pipeline/evaluation/evaluate.ts';
import { demoGazetteerPath } from '../db/demo/index.ts';
import { databaseKinds } from './support/databases.ts';
import { base, logger, startDashboardApp, type DashboardApp } from './support/dashboard-app.ts';
import { textDelivery } from './support/whatsapp-delivery.ts';

const SEED = 20261123;
const cases = new Map<string, number>();
let failedProperties = 0;
/** fc.assert with the fixed seed, counting the cases that ran. */
async function check<T>(name: string, arbitrary: fc.Arbitrary<T>, predicate: (value: T) => Promise<void> | void, numRuns: number): Promise<void> {
  const property = fc.asyncProperty(arbitrary, async (value) => {
    cases.set(name, (cases.get(name) ?? 0) + 1);
    await predicate(value);
  });
  try {
    await fc.assert(property, { seed: SEED, numRuns });
  } catch (error) {
    failedProperties++;
    throw error;
  }
}

afterAll(() => {
  const total = [...cases.values()].reduce((a, b) => a + b, 0);
  const lines = [...cases].map(([name, n]) => `  ${name}: ${n}`);
  // Printed for the README; a failed property fails its test as well.
  console.log(`fuzz: ${total} cases run, ${failedProperties === 0 ? '0 crashes' : `${failedProperties} properties FAILED`}\n${lines.join('\n')}`);
});

/** What no response may show: a stack, a file of ours, a driver's or SQL's words. */
const INTERNALS = /node_modules|\.ts:\d+|\bat [\w.<>]+ \(|syntax error|violates [\w ]*constraint|invalid (?:input|byte) sequence|duplicate key value|from "\w+"|Error: /;

// ---- generators ------------------------------------------------------------------------------------------------

const anyText = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.constantFrom('', '\u0000', '\uFEFF', '\uD800', '"', "'", '\r\n', '<script>', '💥'.repeat(50)));
const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));

/** A message in the shapes Meta sends, with every field sometimes missing, of the wrong type, or odd. */
const messageArb = fc.record(
  {
    id: fc.oneof(fc.constant('wamid.').chain((p) => fc.string({ minLength: 1 }).map((s) => p + s)), anyText, fc.integer()),
    from: fc.oneof(digits(11), anyText, fc.constant(null)),
    from_user_id: fc.oneof(fc.constant('NL.abc123'), anyText),
    type: fc.oneof(fc.constantFrom('text', 'interactive', 'button', 'audio', 'reaction', 'image', 'system', 'revoke', 'unknown', 'location'), anyText),
    text: fc.oneof(fc.record({ body: anyText }), fc.record({ body: fc.integer() }), fc.jsonValue()),
    interactive: fc.oneof(
      fc.record({ type: fc.constant('button_reply'), button_reply: fc.record({ id: anyText, title: anyText }) }),
      fc.record({ type: fc.constant('list_reply'), list_reply: fc.record({ id: anyText, title: anyText }) }),
      fc.jsonValue(),
    ),
    button: fc.record({ payload: anyText, text: anyText }, { requiredKeys: [] }),
    audio: fc.record({ voice: fc.oneof(fc.boolean(), fc.jsonValue()) }, { requiredKeys: [] }),
    reaction: fc.record({ emoji: fc.oneof(anyText, fc.jsonValue()) }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);

const deliveryArb = fc.record(
  {
    object: fc.oneof(fc.constant('whatsapp_business_account'), anyText),
    entry: fc.array(
      fc.oneof(
        fc.record(
          {
            id: anyText,
            changes: fc.array(
              fc.oneof(
                fc.record(
                  {
                    field: fc.oneof(fc.constant('messages'), anyText),
                    value: fc.record(
                      {
                        messaging_product: fc.constant('whatsapp'),
                        metadata: fc.record({ phone_number_id: fc.oneof(fc.constant('pn-fuzz'), anyText) }, { requiredKeys: [] }),
                        contacts: fc.array(fc.oneof(fc.record({ wa_id: digits(11), user_id: anyText }, { requiredKeys: [] }), fc.jsonValue()), { maxLength: 3 }),
                        messages: fc.array(fc.oneof(messageArb, fc.jsonValue()), { maxLength: 3 }),
                        statuses: fc.array(fc.oneof(fc.record({ id: anyText, status: fc.oneof(fc.constantFrom('sent', 'delivered', 'read', 'failed', 'played'), anyText), errors: fc.array(fc.record({ code: fc.integer(), title: anyText }, { requiredKeys: [] })) }, { requiredKeys: [] }), fc.jsonValue()), { maxLength: 3 }),
                      },
                      { requiredKeys: [] },
                    ),
                  },
                  { requiredKeys: [] },
                ),
                fc.jsonValue(),
              ),
              { maxLength: 3 },
            ),
          },
          { requiredKeys: [] },
        ),
        fc.jsonValue(),
      ),
      { maxLength: 3 },
    ),
  },
  { requiredKeys: ['entry'] },
);

// ---- pure parsers ------------------------------------------------------------------------------------------------

describe('fuzz: pure parsers', () => {
  it('the WhatsApp delivery parser never throws, and what it returns has the promised shape', async () => {
    const predicate = (body: unknown) => {
      const parsed = parseDelivery(body);
      if (parsed === undefined) return;
      for (const m of parsed.messages) {
        expect(typeof m.id).toBe('string');
        expect(m.id.length).toBeGreaterThan(0);
        expect(m.userKey).toMatch(/^(?:bsuid|phone):/);
        expect(['text', 'choice', 'unsupported']).toContain(m.content.kind);
        if (m.content.kind === 'unsupported') expect(m.content.channelKind.length).toBeLessThanOrEqual(40);
      }
      for (const s of parsed.statuses) expect(['sent', 'delivered', 'read', 'failed']).toContain(s.status);
    };
    await check('whatsapp parser, any JSON', fc.jsonValue(), predicate, 1000);
    await check('whatsapp parser, delivery-shaped', deliveryArb, predicate, 1000);
  });

  it('the gazetteer CSV parser never throws, names a line for every error, and accepts only valid codes', async () => {
    const cell = fc.oneof(anyText, fc.constantFrom('GM0479', 'WK047901', 'BU04790101', '1503', '1503AB', 'a;b', '12', '-1', '99999999999', '"', '""', 'x,y', 'x\ny'));
    const quote = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    const csv = fc
      .tuple(
        fc.constantFrom(GAZETTEER_COLUMNS.join(','), GAZETTEER_COLUMNS.slice(1).join(','), '# demo\n' + GAZETTEER_COLUMNS.join(','), ''),
        fc.array(fc.array(cell, { minLength: 12, maxLength: 15 }), { maxLength: 6 }),
        fc.constantFrom('\n', '\r\n'),
      )
      .map(([header, rows, eol]) => [header, ...rows.map((r) => r.map(quote).join(','))].join(eol));
    const predicate = (input: string) => {
      const result = parseGazetteer(input);
      if (!result.ok) {
        expect(result.errors.length).toBeGreaterThan(0);
        for (const e of result.errors) {
          expect(Number.isInteger(e.line) && e.line >= 1).toBe(true);
          expect(e.message.length).toBeGreaterThan(0);
        }
        return;
      }
      for (const b of result.buurten) {
        expect(b.code).toMatch(/^BU\d{8}$/);
        expect(b.wijkCode).toMatch(/^WK\d{6}$/);
        expect(result.wijken.some((w) => w.code === b.wijkCode)).toBe(true);
      }
      for (const m of result.municipalities) expect(m.code).toMatch(/^GM\d{4}$/);
    };
    await check('gazetteer parser, any text', anyText, predicate, 1000);
    await check('gazetteer parser, CSV-shaped', csv, predicate, 1000);
  });

  it('the signal import parser never throws; rows it accepts are within bounds and errors name a line', async () => {
    const field = fc.oneof(anyText, fc.constantFrom('whatsapp', 'web', 'street', 'import', 'GM0479', 'GM12', 'nl', 'en-GB', '1503 AB'), fc.integer(), fc.constant(null), fc.jsonValue());
    const jsonlLine = fc.oneof(
      fc.record({ id: field, text: field, source: field, municipality: field, postcode: field, place: field, language: field }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
      anyText,
      fc.jsonValue().map((v) => JSON.stringify(v)),
    );
    const jsonl = fc.array(jsonlLine, { maxLength: 8 }).map((lines) => lines.join('\n'));
    const csvCell = fc.oneof(anyText, fc.constantFrom('a-1', 'street', 'GM0479', '"quoted, with comma"', '"unterminated'));
    const csv = fc
      .tuple(fc.shuffledSubarray([...CSV_COLUMNS, 'municipality', 'extra'], { minLength: 1 }), fc.array(fc.array(csvCell, { maxLength: 8 }), { maxLength: 6 }))
      .map(([header, rows]) => [header.join(','), ...rows.map((r) => r.join(','))].join('\n'));
    const predicate = ([input, format]: [string, 'jsonl' | 'csv']) => {
      detectFormat(input.slice(0, 20), input);
      const result = parseSignalImport(input, format);
      expect(result.rows.length).toBeLessThanOrEqual(MAX_IMPORT_ROWS);
      if (result.rows.length === 0) expect(result.errors.length).toBeGreaterThan(0);
      for (const row of result.rows) {
        expect(row.text.trim()).not.toBe('');
        expect(Array.from(row.text).length).toBeLessThanOrEqual(MAX_TEXT_LENGTH);
        expect(row.id.trim()).not.toBe('');
        expect(['whatsapp', 'web', 'street', 'import']).toContain(row.source);
        if (row.municipality !== null) expect(row.municipality).toMatch(/^GM\d{4}$/);
      }
      for (const e of result.errors) expect(e.line).toBeGreaterThanOrEqual(1);
    };
    await check('signal import parser, any text', fc.tuple(anyText, fc.constantFrom('jsonl' as const, 'csv' as const)), predicate, 1000);
    await check('signal import parser, JSONL-shaped', fc.tuple(jsonl, fc.constant('jsonl' as const)), predicate, 1000);
    await check('signal import parser, CSV-shaped', fc.tuple(csv, fc.constant('csv' as const)), predicate, 1000);
  });
});

// ---- redaction ---------------------------------------------------------------------------------------------------

/** Valid personal data in the ways residents write it. */
const phoneArb = fc.oneof(
  digits(8).map((d) => `06${d}`),
  digits(8).map((d) => `06-${d}`),
  digits(8).map((d) => `+31 6 ${d.slice(0, 4)} ${d.slice(4)}`),
  digits(8).map((d) => `00316${d}`),
  fc.tuple(fc.integer({ min: 1, max: 9 }), digits(8)).map(([a, d]) => `0${a}${d.slice(0, 1)} - ${d.slice(1, 4)} ${d.slice(4, 6)} ${d.slice(6)}`),
);
const emailArb = fc
  .tuple(fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,15}$/), fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,12}$/), fc.constantFrom('nl', 'com', 'org', 'amsterdam', 'eu'))
  .map(([local, domain, tld]) => `${local}@${domain}.${tld}`);
const bsnArb = digits(8)
  .map((d) => {
    const sum = d.split('').reduce((acc, ch, i) => acc + Number(ch) * (9 - i), 0);
    return `${d}${sum % 11}`;
  })
  .filter((b) => b.length === 9 && elevenTest(b));
const ibanArb = fc
  .tuple(fc.stringMatching(/^[A-Z]{4}$/), digits(10), fc.boolean())
  .map(([bank, account, spaced]) => {
    const body = `${bank}${account}`;
    const numeric = `${body}NL00`.split('').map((ch) => (/\d/.test(ch) ? ch : String(ch.charCodeAt(0) - 55))).join('');
    let remainder = 0;
    for (const digit of numeric) remainder = (remainder * 10 + Number(digit)) % 97;
    const iban = `NL${String(98 - remainder).padStart(2, '0')}${body}`;
    return spaced ? iban.replace(/(.{4})(?=.)/g, '$1 ') : iban;
  })
  .filter((iban) => validIban(iban));

describe('fuzz: redaction', () => {
  it('never throws and is idempotent on its own output', async () => {
    const mixed = fc.array(fc.oneof(anyText, phoneArb, emailArb, bsnArb, ibanArb, fc.constantFrom('ik ben', 'mijn naam is', 'Groetjes,', 'geboren op 3-4-1950', 'Dorpsstraat 12', '1503AB', 'XX-99-XX', '[naam]', '[telefoon]')), { maxLength: 8 }).map((parts) => parts.join(' '));
    await check('redaction idempotent', fc.oneof(anyText, mixed), (text) => {
      const once = redactPersonalData(text);
      expect(redactPersonalData(once)).toBe(once);
    }, 2000);
  });

  it('never leaves a valid phone number, e-mail address, IBAN or BSN in the output when embedded in random text', async () => {
    const surrounding = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 40 }), fc.lorem({ maxCount: 8 }));
    const kinds = fc.oneof(phoneArb.map((v) => ['phone', v] as const), emailArb.map((v) => ['e-mail', v] as const), bsnArb.map((v) => ['bsn', v] as const), ibanArb.map((v) => ['iban', v] as const));
    await check('redaction removes personal data', fc.tuple(surrounding, kinds, surrounding, fc.constantFrom(' ', '\n', ': ', ' (')), ([before, [, value], after, gap]) => {
      const out = redactPersonalData(`${before}${gap}${value} ${after}`);
      expect(out).not.toContain(value);
      // Nor the digits of it, written without spaces.
      const bare = value.replace(/[\s.-]/g, '');
      if (/\d{8,}/.test(bare)) expect(out.replace(/[\s.-]/g, '')).not.toContain(bare.replace(/^\+/, ''));
    }, 2000);
  });
});

describe('fuzz: the whole analysis of one signal', () => {
  it('never throws but a clear SignalInputError; results have the contract shape and no personal data left', async () => {
    // The analysis redacts with the gazetteer's place and street names, which the redaction property above does not.
    const analyser = createAnalyser({ examples: [], classifier: defaultDomainClassifier(), gazetteer: gazetteerDataFromCsv(readFileSync(demoGazetteerPath, 'utf8')) });
    const pii = fc.oneof(phoneArb, emailArb, bsnArb, ibanArb);
    const text = fc.tuple(fc.oneof(anyText, fc.lorem({ maxCount: 12 }), fc.constantFrom('ik woon in Poelenburg', 'Peperstraat 12', 'ik wil niet meer leven', 'de bus in Krommenie')), pii, fc.oneof(anyText, fc.lorem({ maxCount: 6 })));
    const optional = fc.option(fc.oneof(anyText, fc.constantFrom('GM0479', 'GM0453', '1507 EA', 'poelenburg', 'nl', 'en')), { nil: null });
    await check('analysis of one signal', fc.tuple(text, optional, optional, optional, optional), ([[before, value, after], municipality, postcode, place, language]) => {
      let result;
      try {
        result = analyseSignal(analyser, { id: 'f', text: `${before} ${value} ${after}`, municipality, postcode, place, language });
      } catch (error) {
        expect(error).toBeInstanceOf(SignalInputError);
        return;
      }
      expect(result.language).toMatch(/^(?:[a-z]{2}|und)$/);
      expect(result.sentiment).toBeGreaterThanOrEqual(-1);
      expect(result.sentiment).toBeLessThanOrEqual(1);
      const confidences = result.domains.map((d) => d.confidence);
      expect(confidences).toEqual([...confidences].sort((a, b) => b - a));
      for (const c of confidences) expect(c >= 0 && c <= 1).toBe(true);
      expect(result.text_redacted).not.toContain(value);
    }, 1000);
  });
});

// ---- HTTP: webhook, dashboard, chat --------------------------------------------------------------------------------

const appSecret = 'fuzz-app-secret';
/** Bounded in cases, not in time: room for a loaded 2-core machine. */
const slow = 180_000;

describe.each(databaseKinds)('fuzz: HTTP on %s', (kind) => {
  let shared: DashboardApp;
  const inbound = async () => Number((await sql<{ n: string | number }>`select count(*) as n from messages where direction = 'in'`.execute(shared.database.db)).rows[0]?.n);

  beforeAll(async () => {
    shared = await startDashboardApp(kind, {
      users: [
        ['admin@zaanstad.test', 'admin', 'GM0479'],
        ['team@zaanstad.test', 'team', 'GM0479'],
        ['regio@wormerland.test', 'region', 'GM0880'],
      ],
      http: { whatsapp: { verifyToken: 'verify', appSecret } },
    });
  });

  afterAll(() => shared.close());

  const webhook = (body: Uint8Array | string, signature: string | undefined) =>
    shared.request('/webhooks/whatsapp', { method: 'POST', body, headers: { 'content-type': 'application/json', ...(signature === undefined ? {} : { 'x-hub-signature-256': signature }) } });

  it('never accepts an unsigned or wrongly signed delivery, and stores nothing from it', async () => {
    const before = await inbound();
    const body = fc.oneof(fc.uint8Array({ maxLength: 2000 }), fc.jsonValue().map((v) => JSON.stringify(v)), deliveryArb.map((v) => JSON.stringify(v)));
    // A header value is bytes (Latin-1): fetch refuses anything else before it is sent.
    const signature = fc.oneof(fc.constant(undefined), fc.string(), fc.string().map((x) => `sha256=${x}`), fc.constant('sha256='), fc.stringMatching(/^sha256=[0-9a-f]{64}$/), fc.constant('wrong-secret'));
    await check(`webhook unsigned (${kind})`, fc.tuple(body, signature), async ([b, s]) => {
      const sig = s === 'wrong-secret' ? signBody('not-the-app-secret', b) : s;
      const response = await webhook(b, sig);
      expect(response.status).toBe(401);
      expect(await response.text()).not.toMatch(INTERNALS);
    }, 150);
    expect(await inbound()).toBe(before);
    // The verification handshake: only subscribe with the exact token echoes the challenge.
    await check(`webhook handshake (${kind})`, fc.tuple(fc.oneof(fc.constant('subscribe'), anyText), fc.oneof(fc.constant('verify'), fc.constant('verify '), fc.constant('VERIFY'), anyText), anyText), async ([mode, token, challenge]) => {
      const response = await shared.request(`/webhooks/whatsapp?${new URLSearchParams({ 'hub.mode': mode, 'hub.verify_token': token, 'hub.challenge': challenge }).toString()}`);
      const accepted = mode === 'subscribe' && token === 'verify';
      expect(response.status).toBe(accepted ? 200 : 403);
      if (!accepted) expect(await response.text()).not.toContain(challenge.length > 3 ? challenge : '\u0000never');
    }, 150);
  }, slow);

  it('answers any signed delivery, bytes or JSON, without a 500 or internals; a replay stores nothing new', async () => {
    const body = fc.oneof(fc.uint8Array({ maxLength: 2000 }), fc.jsonValue().map((v) => JSON.stringify(v)), deliveryArb.map((v) => JSON.stringify(v)));
    await check(`webhook signed (${kind})`, body, async (b) => {
      const response = await webhook(b, signBody(appSecret, b));
      expect([200, 400]).toContain(response.status);
      expect(await response.text()).not.toMatch(INTERNALS);
      const stored = await inbound();
      const replay = await webhook(b, signBody(appSecret, b));
      expect(replay.status).toBe(response.status);
      expect(await inbound()).toBe(stored);
    }, 200);
  }, slow);

  it('regressions found by fuzzing: NUL and lone surrogates are stored as U+FFFD, never a 500', async () => {
    // Was a 500: PostgreSQL refuses U+0000 in text ("invalid byte sequence").
    expect((await shared.post('/dashboard/login', new URLSearchParams({ email: 'a\u0000@b.nl', password: 'x' }))).status).toBe(401);
    // Was a 500 on the second import: the id was stored with U+FFFD, compared as NUL, and inserted twice.
    const team = await shared.session('team@zaanstad.test', '/dashboard/importeren');
    const content = [JSON.stringify({ id: 'nul\u0000id', text: 'tekst met \u0000 erin' }), JSON.stringify({ id: 'half\ud800', text: 'half \udc00 teken' })].join('\n');
    for (let i = 0; i < 2; i++) expect((await shared.post('/dashboard/importeren', new URLSearchParams({ csrf: team.csrf, content, format: 'jsonl' }), team.cookie)).status).toBe(200);
    const stored = await shared.database.db.selectFrom('signals').select(['external_id', 'text_raw']).where('external_id', 'in', ['nul\uFFFDid', 'half\uFFFD']).orderBy('external_id').execute();
    expect(stored).toEqual([
      { external_id: 'half\uFFFD', text_raw: 'half \uFFFD teken' },
      { external_id: 'nul\uFFFDid', text_raw: 'tekst met \uFFFD erin' },
    ]);
    // Was a 500: a lone surrogate in a WhatsApp reply, escaped in JSON, refused by jsonb.
    const body = textDelivery('pn-fuzz', '31600000001', 'kapot \ud800 en \u0000').replace('"type":"text"', '"type":"interactive","interactive":{"type":"button_reply","button_reply":{"id":"x\\ud800","title":"y\\u0000"}}');
    expect((await webhook(body, signBody(appSecret, body))).status).toBe(200);
  }, slow);

  /** Text no form validates away: NUL, lone surrogates, byte order marks, very long and mixed scripts. */
  const nasty = fc.oneof(anyText, fc.tuple(fc.string({ minLength: 1 }), fc.constantFrom('\u0000', '\uD800', '\uFEFF', '\u202E', '\r', '\u0085')).map(([a, b]) => `${a}${b}${a}`));

  it('stores or refuses well-formed input carrying hostile text: never a 500 (notes, import, chat, webhook)', async () => {
    const team = await shared.session('team@zaanstad.test', '/dashboard/notities');
    const today = new Date().toISOString().slice(0, 10);
    await check(`street note with hostile text (${kind})`, fc.tuple(nasty, nasty), async ([text, place]) => {
      const response = await shared.post('/dashboard/notities', new URLSearchParams({ csrf: team.csrf, wijk: 'WK047901', place, date: today, signal: text }), team.cookie);
      expect([303, 400]).toContain(response.status);
      expect(await response.text()).not.toMatch(INTERNALS);
    }, 60);
    await check(`import with hostile text (${kind})`, fc.tuple(nasty, nasty, fc.constantFrom('jsonl' as const, 'csv' as const)), async ([id, text, format]) => {
      const content = format === 'jsonl' ? JSON.stringify({ id, text, place: text }) : `id,text\n"${id.replace(/"/g, '""')}","${text.replace(/"/g, '""')}"`;
      for (const path of ['/dashboard/importeren/voorbeeld', '/dashboard/importeren']) {
        const response = await shared.post(path, new URLSearchParams({ csrf: team.csrf, text: content, content, format }), team.cookie);
        expect([200, 400], path).toContain(response.status);
        expect(await response.text()).not.toMatch(INTERNALS);
      }
    }, 60);
    let app: Hono | undefined;
    let used = 0;
    await check(`chat with hostile text (${kind})`, nasty, async (text) => {
      if (!app || used++ % 12 === 0) app = createHttpApp({ db: shared.database.db, queue: shared.queue, logger, pseudonymKey: 'k'.repeat(32), defaultMunicipality: 'GM0479', secure: false, serveApp: true, health: () => shared.queue.health() });
      const first = await app.request(`${base}/chat`, { method: 'POST', body: new URLSearchParams({ text }), headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded' } });
      expect(first.status).toBeLessThan(500);
      const cookie = first.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
      const consent = await app.request(`${base}/chat`, { method: 'POST', body: new URLSearchParams({ choice: 'yes' }), headers: { origin: base, cookie, 'content-type': 'application/x-www-form-urlencoded' } });
      expect(consent.status).toBeLessThan(500);
      expect(await consent.text()).not.toMatch(INTERNALS);
    }, 60);
    await check(`webhook with hostile text (${kind})`, fc.tuple(nasty, fc.constantFrom('text', 'interactive', 'button')), async ([text, type]) => {
      const message = { from: '31612345678', id: `wamid.fuzz-${text}`, timestamp: '1', type, text: { body: text }, interactive: { type: 'button_reply', button_reply: { id: text, title: text } }, button: { payload: text, text } };
      const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value: { metadata: { phone_number_id: text }, contacts: [{ wa_id: '31612345678', profile: { name: text } }], messages: [message] } }] }] });
      const response = await webhook(body, signBody(appSecret, body));
      expect(response.status).toBe(200);
    }, 60);
  }, slow);

  /** Every route with random fields: status < 500 and no internals in the body. */
  it('answers random form fields and query strings on every dashboard route with less than 500 and no internals', async () => {
    const { cookie, csrf } = await shared.session('admin@zaanstad.test');
    const routes = shared.app.routes.filter((r) => r.method !== 'ALL' && !r.path.includes('*') && r.path.startsWith('/dashboard') && !r.path.endsWith('/logout'));
    const names = ['email', 'password', 'wijk', 'place', 'date', 'ageBand', 'role', 'signal', 'action', 'domain', 'text', 'content', 'format', 'fileName', 'van', 'tot', 'domein', 'bron', 'rol', 'leeftijd', 'taal', 'status', 'opgeslagen', 'lang'];
    const key = fc.oneof(fc.constantFrom(...names), anyText);
    const value = fc.oneof(anyText, fc.constantFrom('WK047901', 'geld', 'team', 'admin', '2026-01-01', '15_25', 'client', 'add', 'jsonl', '{"id":"f","text":"x"}', 'x'.repeat(5000)));
    const fields = fc.array(fc.tuple(key, value), { maxLength: 8 });
    const seen = new Set<string>();
    for (const route of [...new Map(routes.map((r) => [`${r.method} ${r.path}`, r])).values()]) {
      await check(`dashboard ${route.method} ${route.path.replace(/:\w+/g, ':x')} (${kind})`, fc.tuple(fields, fc.oneof(anyText, fc.uuid())), async ([pairs, param]) => {
        const path = route.path.replace(/:(\w+)(\{[^}]*\})?/g, () => encodeURIComponent(param));
        const form = new URLSearchParams(pairs);
        let response: Response;
        if (route.method === 'GET') {
          response = await shared.get(`${path}?${form.toString()}`, cookie);
        } else {
          form.set('csrf', csrf);
          response = await shared.request(path, { method: route.method, body: form, headers: { origin: base, cookie, 'content-type': 'application/x-www-form-urlencoded' } });
        }
        const body = await response.text();
        expect(response.status, `${route.method} ${path} ${form.toString().slice(0, 300)}`).toBeLessThan(500);
        expect(body).not.toMatch(INTERNALS);
        seen.add(`${route.method} ${route.path}`);
      }, 40);
    }
    expect(seen.size).toBe(new Set(routes.map((r) => `${r.method} ${r.path}`)).size);
    // Still logged in: no random input ended the session.
    expect((await shared.get('/dashboard', cookie)).status).toBe(200);
  }, slow);

  it('answers random multipart uploads to the import with less than 500', async () => {
    const { cookie, csrf } = await shared.session('team@zaanstad.test', '/dashboard/importeren');
    await check(`dashboard import upload (${kind})`, fc.tuple(fc.oneof(fc.uint8Array({ maxLength: 3000 }), anyText), anyText, anyText), async ([content, name, text]) => {
      const upload = new FormData();
      upload.set('csrf', csrf);
      upload.set('text', text);
      upload.set('file', new File([content], name));
      const response = await shared.post('/dashboard/importeren/voorbeeld', upload, cookie);
      expect(response.status).toBeLessThan(500);
      expect(await response.text()).not.toMatch(INTERNALS);
    }, 100);
  }, slow);

  it('answers random chat posts and login attempts with less than 500 and no internals', async () => {
    // The chat allows 30 posts a minute per address, and every request here has the same: a fresh app every 25.
    let app: Hono | undefined;
    let used = 0;
    const chatApp = () => {
      if (!app || used++ % 25 === 0) app = createHttpApp({ db: shared.database.db, queue: shared.queue, logger, pseudonymKey: 'k'.repeat(32), defaultMunicipality: 'GM0479', secure: false, serveApp: true, health: () => shared.queue.health() });
      return app;
    };
    const fields = fc.array(fc.tuple(fc.oneof(fc.constantFrom('text', 'choice', 'mid', 'gemeente', 'lang'), anyText), fc.oneof(anyText, fc.constantFrom('yes', 'no', 'english', 'verwijder mijn gegevens', 'x'.repeat(4001)))), { maxLength: 5 });
    // Both the page's form post and the chat script's (answered with JSON).
    await check(`chat post (${kind})`, fc.tuple(fields, fc.oneof(fc.constant(''), anyText), fc.boolean()), async ([pairs, query, json]) => {
      const response = await chatApp().request(`${base}/chat?${new URLSearchParams({ gemeente: query }).toString()}`, { method: 'POST', body: new URLSearchParams(pairs), headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded', ...(json ? { accept: 'application/json' } : {}) } });
      expect(response.status).toBeLessThan(500);
      expect(await response.text()).not.toMatch(INTERNALS);
    }, 150);
    await check(`login post (${kind})`, fc.array(fc.tuple(fc.oneof(fc.constantFrom('email', 'password'), anyText), anyText), { maxLength: 4 }), async (pairs) => {
      const response = await shared.post('/dashboard/login', new URLSearchParams(pairs));
      expect([400, 401, 429]).toContain(response.status);
      expect(await response.text()).not.toMatch(INTERNALS);
    }, 100);
  }, slow);
});
