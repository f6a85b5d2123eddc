/**
 * Recognising what a resident typed: commands, yes/no/skip in both languages, greetings and emoji that carry no
 * story, typed ages and roles. Pure functions, used by the conversation core.
 */
import type { AgeBand, ResidentRole } from '../../db/database.ts';
import type { ConversationInput } from './core.ts';

export function normalise(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKC')
    .replace(/[\s\u00a0]+/g, ' ')
    .replace(/^[\s.!?,'"]+|[\s.!?,'"]+$/g, '');
}

export type Command = 'help' | 'stop' | 'restart' | 'english' | 'dutch' | 'erase';

/** A Map, not an object: typing "constructor" must not find Object.prototype. */
export const commands = new Map<string, Command>([
  ['help', 'help'],
  ['hulp', 'help'],
  ['menu', 'help'],
  ['stop', 'stop'],
  ['stoppen', 'stop'],
  ['opnieuw', 'restart'],
  ['begin opnieuw', 'restart'],
  ['restart', 'restart'],
  ['start over', 'restart'],
  ['english', 'english'],
  ['engels', 'english'],
  ['in english', 'english'],
  ['nederlands', 'dutch'],
  ['dutch', 'dutch'],
  ['in het nederlands', 'dutch'],
  ['verwijder mijn gegevens', 'erase'],
  ['verwijder gegevens', 'erase'],
  ['wis mijn gegevens', 'erase'],
  ['delete my data', 'erase'],
  ['erase my data', 'erase'],
]);

const yesWords = new Set(['ja', 'j', 'yes', 'y', 'ok', 'oké', 'oke', 'goed', 'prima', 'graag', 'ja graag', 'yes please', 'sure', 'akkoord']);
const noWords = new Set(['nee', 'n', 'no', 'nope', 'liever niet', 'nee dank je', 'no thanks', 'niet']);
const skipWords = new Set(['overslaan', 'sla over', 'skip', 'weet ik niet', "don't know", 'dont know', '-', 'geen antwoord']);
export const doneWords = new Set(['klaar', 'done', 'dat was het', "that's all", 'thats all', 'verder', 'nee', 'no']);
const greetings = new Set(['hallo', 'hoi', 'hi', 'hey', 'hello', 'dag', 'goedemorgen', 'goedemiddag', 'goedenavond', 'good morning', 'hai', 'hoi hoi']);

/** A greeting or only emoji and punctuation: nothing to store as a story. */
export function isContentless(text: string): boolean {
  const n = normalise(text);
  return n === '' || greetings.has(n) || !/[\p{L}\p{N}]/u.test(n);
}

/** Very short: fewer than three words and under twenty characters ("lift kapot"). */
export function isVeryShort(text: string): boolean {
  const n = normalise(text);
  return n.split(' ').length < 3 && n.length < 20;
}

export type Answer = { kind: 'yes' } | { kind: 'no' } | { kind: 'skip' } | { kind: 'id'; id: string } | { kind: 'text'; text: string };

export function answerOf(input: ConversationInput): Answer | undefined {
  if (input.kind === 'unsupported') return undefined;
  if (input.kind === 'choice') {
    if (input.id === 'yes') return { kind: 'yes' };
    if (input.id === 'no') return { kind: 'no' };
    if (input.id === 'skip') return { kind: 'skip' };
    return { kind: 'id', id: input.id };
  }
  const n = normalise(input.text);
  if (yesWords.has(n)) return { kind: 'yes' };
  if (noWords.has(n)) return { kind: 'no' };
  if (skipWords.has(n)) return { kind: 'skip' };
  return { kind: 'text', text: input.text };
}

export function wordCount(text: string): number {
  return normalise(text).split(' ').filter((w) => w !== '').length;
}

/** Typed words for the three roles; carer first, as "ik zorg voor mijn moeder" also mentions care. */
export function roleFromText(text: string): ResidentRole | undefined {
  const n = normalise(text);
  if (/mantelzorg|zorg voor|care for|carer/.test(n)) return 'carer';
  if (/geen van|neither|bewoner|none/.test(n)) return 'resident';
  if (/cli[eë]nt|krijg|zorg|hulp|support|care/.test(n)) return 'client';
  return undefined;
}

/** "34", "ik ben 34", "34 jaar": the band of a typed age. */
export function ageFromText(text: string): AgeBand | undefined {
  const match = /\b(\d{1,3})\b/.exec(text);
  if (!match?.[1]) return undefined;
  const age = Number(match[1]);
  if (age > 120) return undefined;
  if (age < 15) return '0_15';
  if (age < 25) return '15_25';
  if (age < 45) return '25_45';
  if (age < 65) return '45_65';
  return '65_plus';
}
