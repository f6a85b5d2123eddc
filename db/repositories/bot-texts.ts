/**
 * A municipality's own bot texts and WhatsApp template registry, kept in municipalities.settings (botTexts,
 * whatsappTemplates) so the bot reads them with the municipality row it loads anyway. Each change locks the row,
 * so two administrators saving at once do not undo each other's other keys.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../database.ts';

type Db = Kysely<Database> | Transaction<Database>;

async function updateSettings(db: Db, municipalityCode: string, change: (settings: Record<string, unknown>) => Record<string, unknown>): Promise<boolean> {
  const run = async (trx: Transaction<Database>) => {
    const row = await trx.selectFrom('municipalities').select('settings').where('code', '=', municipalityCode).forUpdate().executeTakeFirst();
    if (!row) return false;
    await trx.updateTable('municipalities').set({ settings: JSON.stringify(change({ ...row.settings })) }).where('code', '=', municipalityCode).execute();
    return true;
  };
  return db.isTransaction ? run(db as Transaction<Database>) : db.transaction().execute(run);
}

function without(record: Record<string, unknown>, key: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => k !== key));
}

/** Sets (or, with null, removes) the override of one text in one language. */
export async function setBotText(db: Db, municipalityCode: string, language: string, key: string, text: string | null): Promise<boolean> {
  return updateSettings(db, municipalityCode, (settings) => {
    const all = typeof settings.botTexts === 'object' && settings.botTexts !== null ? { ...(settings.botTexts as Record<string, unknown>) } : {};
    const own = typeof all[language] === 'object' && all[language] !== null ? { ...(all[language] as Record<string, unknown>) } : {};
    all[language] = text === null ? without(own, key) : { ...own, [key]: text };
    return { ...settings, botTexts: all };
  });
}

export interface StoredTemplate {
  name: string;
  languages: string[];
  approved: boolean;
  parameters: string[];
}

/** Registers (or, with null, removes) the template for a purpose. */
export async function setWhatsAppTemplate(db: Db, municipalityCode: string, purpose: string, template: StoredTemplate | null): Promise<boolean> {
  return updateSettings(db, municipalityCode, (settings) => {
    const registry = typeof settings.whatsappTemplates === 'object' && settings.whatsappTemplates !== null ? { ...(settings.whatsappTemplates as Record<string, unknown>) } : {};
    return { ...settings, whatsappTemplates: template === null ? without(registry, purpose) : { ...registry, [purpose]: template } };
  });
}
