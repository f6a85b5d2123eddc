/**
 * /dashboard/beheer/bot, administrators only, their own municipality only: the bot's texts (nl, en) and the WhatsApp
 * template registry, stored in municipalities.settings. Every change is checked (placeholders, WhatsApp's lengths),
 * audited, and used by the bot from its next reply: the conversation turn reads the municipality row fresh.
 */
import { Hono } from 'hono';
import type { Municipality } from '../../db/database.ts';
import { appendAudit } from '../../db/repositories/audit.ts';
import { setBotText, setWhatsAppTemplate } from '../../db/repositories/bot-texts.ts';
import { getMunicipality } from '../../db/repositories/municipalities.ts';
import { invalidateBotCaches } from '../../bot/gazetteer-cache.ts';
import {
  checkOverride,
  isTextKey,
  overridesOf,
  purposePattern,
  templateNamePattern,
  templatesOf,
  textKeys,
  type TextProblem,
} from '../../bot/conversation/text-rules.ts';
import { languages, type Language } from '../../bot/conversation/texts.ts';
import { botTextsPage, botTextWords, type BotTextsView } from '../views/bot-texts.ts';
import type { FieldErrors } from '../views/form.ts';
import type { ViewContext } from '../views/shell.ts';
import { requireRole, stringField, viewContext, type DashboardEnv, type PageDeps } from './context.ts';

/** Longest override accepted at all (the rules then apply the per-key limit). */
const maxPosted = 5_000;

export function botTextRoutes(deps: PageDeps): Hono<DashboardEnv> {
  const { db } = deps;
  const app = new Hono<DashboardEnv>();
  app.use('*', requireRole(db, ['admin']));

  const render = async (ctx: ViewContext, extra: Partial<BotTextsView> = {}) => {
    const municipality = (await getMunicipality(db, ctx.user.municipality_code)) as Municipality;
    return botTextsPage(ctx, {
      municipalityName: municipality.name,
      keys: textKeys,
      overrides: overridesOf(municipality.settings),
      templates: templatesOf(municipality.settings),
      ...extra,
    });
  };

  app.get('/', async (c) => c.html(await render(await viewContext(c, db))));

  app.post('/tekst', async (c) => {
    const ctx = await viewContext(c, db);
    const admin = c.get('user');
    const body = await c.req.parseBody();
    const key = stringField(body, 'key');
    if (!isTextKey(key)) return c.html(await render(ctx), 400);
    const values = { nl: stringField(body, 'nl').slice(0, maxPosted), en: stringField(body, 'en').slice(0, maxPosted) } satisfies Record<Language, string>;
    const problems = { nl: checkOverride(key, 'nl', values.nl), en: checkOverride(key, 'en', values.en) } satisfies Record<Language, TextProblem[]>;
    if (problems.nl.length > 0 || problems.en.length > 0) return c.html(await render(ctx, { failed: { key, values, problems } }), 400);

    const before = overridesOf(((await getMunicipality(db, admin.municipality_code)) as Municipality).settings);
    const changed: Language[] = [];
    await db.transaction().execute(async (trx) => {
      for (const lang of languages) {
        // Windows line ends from a textarea become plain ones; an empty field means the default again.
        const text = values[lang].replace(/\r\n/g, '\n');
        const next = text.trim() === '' ? null : text;
        if ((before[lang][key] ?? null) === next) continue;
        await setBotText(trx, admin.municipality_code, lang, key, next);
        changed.push(lang);
      }
      if (changed.length > 0) {
        await appendAudit(trx, {
          actor_kind: 'user',
          actor_id: admin.id,
          action: 'bot.text.update',
          municipality_code: admin.municipality_code,
          subject_type: 'bot_text',
          subject_id: key,
          details: { key, languages: changed },
        });
      }
    });
    invalidateBotCaches();
    return c.html(await render(ctx, { saved: key }));
  });

  app.post('/sjabloon', async (c) => {
    const ctx = await viewContext(c, db);
    const admin = c.get('user');
    const body = await c.req.parseBody();
    const values = {
      purpose: stringField(body, 'purpose').trim().toLowerCase().slice(0, 100),
      name: stringField(body, 'name').trim().slice(0, 600),
      languages: stringField(body, 'languages').trim().slice(0, 200),
      approved: stringField(body, 'approved') === 'yes',
      parameters: stringField(body, 'parameters').trim().slice(0, 1000),
    };
    const languageCodes = [...new Set(values.languages.split(/[\s,]+/).filter((l) => /^[a-z]{2}(_[A-Z]{2})?$/.test(l)))];
    const parameters = values.parameters
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== '')
      .slice(0, 20);
    const errors: FieldErrors = new Map();
    const t = botTextWords[ctx.lang].templateErrors;
    if (!purposePattern.test(values.purpose)) errors.set('purpose', t.purpose);
    if (!templateNamePattern.test(values.name)) errors.set('name', t.name);
    if (languageCodes.length === 0) errors.set('languages', t.languages);
    if (errors.size > 0) return c.html(await render(ctx, { template: { values, errors } }), 400);

    const template = { name: values.name, languages: languageCodes, approved: values.approved, parameters };
    await db.transaction().execute(async (trx) => {
      await setWhatsAppTemplate(trx, admin.municipality_code, values.purpose, template);
      await appendAudit(trx, {
        actor_kind: 'user',
        actor_id: admin.id,
        action: 'bot.template.update',
        municipality_code: admin.municipality_code,
        subject_type: 'whatsapp_template',
        subject_id: values.purpose,
        details: { purpose: values.purpose, ...template },
      });
    });
    invalidateBotCaches();
    return c.html(await render(ctx, { template: { values: { purpose: '', name: '', languages: 'nl en', approved: true, parameters: '' }, errors: new Map(), saved: values.purpose } }));
  });

  return app;
}
