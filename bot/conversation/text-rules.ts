/**
 * What a municipality's own bot text must respect (no I/O): the placeholders of the default stay (a reply without
 * its `{reference}` would lose the code), no new ones (they would be shown as typed), and WhatsApp's limits: a quick
 * reply is a reply button (title at most 20 characters; the same titles also appear as list rows, at most 24) and any
 * other text may be joined into the body of a message with buttons (at most 1,024 characters; 4,096 applies only to
 * plain texts, and which texts travel with buttons depends on the conversation, so 1,024 is the safe limit).
 */
import { defaultTexts, languages, type Language, type TextKey } from './texts.ts';

/** Texts shown as the title of a reply button or list row. */
export const buttonTitleKeys: readonly TextKey[] = [
  'consentYes',
  'consentNo',
  'done',
  'skip',
  'yes',
  'no',
  'eraseYes',
  'eraseNo',
  'age_0_15',
  'age_15_25',
  'age_25_45',
  'age_45_65',
  'age_65_plus',
  'role_client',
  'role_carer',
  'role_resident',
];
/** The button that opens a list. */
export const listButtonKeys: readonly TextKey[] = ['choose'];

export const whatsappLimits = { buttonTitle: 20, listRowTitle: 24, listButton: 20, interactiveBody: 1024, textBody: 4096 } as const;

export type TextKind = 'button' | 'list-button' | 'body';

export function kindOf(key: TextKey): TextKind {
  if (buttonTitleKeys.includes(key)) return 'button';
  if (listButtonKeys.includes(key)) return 'list-button';
  return 'body';
}

export function maxLength(key: TextKey): number {
  const kind = kindOf(key);
  return kind === 'button' ? whatsappLimits.buttonTitle : kind === 'list-button' ? whatsappLimits.listButton : whatsappLimits.interactiveBody;
}

export const textKeys = Object.keys(defaultTexts.nl) as TextKey[];

export function isTextKey(key: string): key is TextKey {
  return Object.hasOwn(defaultTexts.nl, key);
}

export function placeholdersOf(text: string): string[] {
  return [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? ''))];
}

export type TextProblem =
  | { code: 'too-long'; max: number; length: number }
  | { code: 'placeholder-missing'; placeholders: string[] }
  | { code: 'placeholder-unknown'; placeholders: string[] };

/** Characters as a resident sees them (an emoji is one), which is how WhatsApp counts. */
export function lengthOf(text: string): number {
  return Array.from(text).length;
}

/** Problems of an override for one key and language; empty when it may be used. An empty override means "default". */
export function checkOverride(key: TextKey, language: Language, value: string): TextProblem[] {
  if (value.trim() === '') return [];
  const problems: TextProblem[] = [];
  const max = maxLength(key);
  if (lengthOf(value) > max) problems.push({ code: 'too-long', max, length: lengthOf(value) });
  const expected = placeholdersOf(defaultTexts[language][key]);
  const given = placeholdersOf(value);
  const missing = expected.filter((p) => !given.includes(p));
  const unknown = given.filter((p) => !expected.includes(p));
  if (missing.length > 0) problems.push({ code: 'placeholder-missing', placeholders: missing });
  if (unknown.length > 0) problems.push({ code: 'placeholder-unknown', placeholders: unknown });
  return problems;
}

/** Example values for the preview, so an administrator sees a reply as a resident would. */
export function previewOf(text: string, municipalityName: string, language: Language): string {
  const examples: Record<string, string> = {
    municipality: municipalityName,
    privacyUrl: 'https://wijkstem.example/privacy',
    reference: 'WS-7K3P9Q',
    value: language === 'nl' ? 'Poelenburg' : 'Poelenburg',
    what: defaultTexts[language].what_voice,
    lines: language === 'nl' ? '- je verhaal\n- wijk: Poelenburg' : '- your story\n- neighbourhood: Poelenburg',
  };
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => examples[name] ?? whole);
}

/** The overrides stored for a municipality (settings.botTexts), only known keys with text. */
export function overridesOf(settings: Record<string, unknown>): Record<Language, Partial<Record<TextKey, string>>> {
  const result: Record<Language, Partial<Record<TextKey, string>>> = { nl: {}, en: {} };
  const stored = settings.botTexts;
  if (typeof stored !== 'object' || stored === null) return result;
  for (const language of languages) {
    const given = (stored as Record<string, unknown>)[language];
    if (typeof given !== 'object' || given === null) continue;
    for (const [key, value] of Object.entries(given as Record<string, unknown>)) {
      if (isTextKey(key) && typeof value === 'string' && value.trim() !== '') result[language][key] = value;
    }
  }
  return result;
}

/** A WhatsApp template registered for a purpose (settings.whatsappTemplates). */
export interface TemplateEntry {
  purpose: string;
  /** The template's name as approved in Meta's WhatsApp Manager. */
  name: string;
  /** The approved translations, e.g. ["nl", "en"]. */
  languages: string[];
  /** Whether Meta approved it; an entry without the field counts as approved (as before this field existed). */
  approved: boolean;
  /** Names of the body parameters ({{1}}, {{2}}, …), in order, for the people who fill them. */
  parameters: string[];
}

export const templateNamePattern = /^[a-z0-9_]{1,512}$/;
export const purposePattern = /^[a-z0-9_-]{1,40}$/;

export function templatesOf(settings: Record<string, unknown>): TemplateEntry[] {
  const registry = settings.whatsappTemplates;
  if (typeof registry !== 'object' || registry === null) return [];
  return Object.entries(registry as Record<string, unknown>).flatMap(([purpose, entry]) => {
    if (typeof entry !== 'object' || entry === null) return [];
    const e = entry as { name?: unknown; languages?: unknown; approved?: unknown; parameters?: unknown };
    if (typeof e.name !== 'string') return [];
    const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
    return [{ purpose, name: e.name, languages: strings(e.languages), approved: e.approved !== false, parameters: strings(e.parameters) }];
  });
}
