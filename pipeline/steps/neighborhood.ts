/**
 * Places a signal in a wijk or buurt (CONTRACTS.md section 5 `neighborhood`) from the resident's answers (place,
 * postcode) and from the text: wijk and buurt names, aliases (streets, landmarks), PC6 and PC4. Case-insensitive,
 * tolerant of one typo in names of six letters or more, and `null` rather than a guess: evidence that points at
 * buurten in different wijken places nothing; evidence within one wijk places the wijk only.
 */
import { withinOneEdit } from './text.ts';

export interface GazetteerData {
  municipalities: readonly { code: string; name: string }[];
  wijken: readonly { code: string; municipality_code: string; name: string }[];
  buurten: readonly { code: string; wijk_code: string; municipality_code: string; name: string; postcodes: readonly string[]; aliases: readonly string[] }[];
}

export interface Neighborhood {
  gemeente_code: string;
  wijk_code: string;
  buurt_code: string | null;
  name: string;
}

interface BuurtRef {
  code: string;
  wijk: string;
  municipality: string;
  name: string;
}

/** What one name or postcode points at: a set of buurten (a wijk name points at all of its buurten). */
interface Target {
  buurten: readonly BuurtRef[];
  /** A wijk name: even one buurt does not make it a buurt answer, unless the wijk has just that one. */
  wijkOnly: boolean;
}

export interface GazetteerIndex {
  readonly municipalities: ReadonlySet<string>;
  /** Names and aliases (lower case) never to be taken for a person's name. */
  readonly placeNames: ReadonlySet<string>;
  /** Aliases that look like streets, for address redaction. */
  readonly streets: ReadonlySet<string>;
  names: Map<string, Target[]>;
  /** Names of six letters or more by first letter and length, for the typo search. */
  fuzzy: Map<string, string[]>;
  pc6: Map<string, BuurtRef[]>;
  pc4: Map<string, BuurtRef[]>;
  wijkNames: Map<string, string>;
  maxWords: number;
  /** First words of names of two words or more: a phrase is only looked up when it starts with one. */
  firstWords: Set<string>;
}

/** Aliases that are ordinary Dutch words too: they count only when written with a capital. */
const commonWords = new Set(['krimp', 'kalf', 'de molens', 'koog', 'kerkbuurt', 'rosarium', 'zuideinde', 'aurum']);

export function normaliseName(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’`]/g, "'")
    .replace(/[^\p{L}\p{N}']+/gu, ' ')
    .trim();
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function buildGazetteerIndex(data: GazetteerData): GazetteerIndex {
  const index: GazetteerIndex = {
    municipalities: new Set(data.municipalities.map((m) => m.code)),
    placeNames: new Set(),
    streets: new Set(),
    names: new Map(),
    fuzzy: new Map(),
    pc6: new Map(),
    pc4: new Map(),
    wijkNames: new Map(data.wijken.map((w) => [w.code, w.name])),
    maxWords: 1,
    firstWords: new Set(),
  };
  const placeNames = index.placeNames as Set<string>;
  const streets = index.streets as Set<string>;
  const byWijk = new Map<string, BuurtRef[]>();
  const refs = data.buurten.map((b) => {
    const ref: BuurtRef = { code: b.code, wijk: b.wijk_code, municipality: b.municipality_code, name: b.name };
    push(byWijk, b.wijk_code, ref);
    return ref;
  });
  const addName = (raw: string, target: Target) => {
    const name = normaliseName(raw);
    if (name.length < 3) return;
    push(index.names, name, target);
    placeNames.add(name);
    for (const part of name.split(' ')) if (part.length >= 4) placeNames.add(part);
    const parts = name.split(' ');
    index.maxWords = Math.max(index.maxWords, parts.length);
    if (parts.length > 1) index.firstWords.add(parts[0] ?? '');
    if (name.replace(/ /g, '').length >= 6) push(index.fuzzy, `${name[0] ?? ''}${name.length}`, name);
  };
  for (const w of data.wijken) addName(w.name, { buurten: byWijk.get(w.code) ?? [], wijkOnly: true });
  data.buurten.forEach((b, i) => {
    const ref = refs[i];
    if (!ref) return;
    addName(b.name, { buurten: [ref], wijkOnly: false });
    for (const alias of b.aliases) {
      addName(alias, { buurten: [ref], wijkOnly: false });
      if (/(straat|laan|weg|plein|gracht|kade|dijk|singel|pad|hof|einde|markt)$/i.test(alias.trim())) streets.add(alias.toLowerCase());
    }
    for (const pc of b.postcodes) {
      if (pc.length === 6) {
        push(index.pc6, pc, ref);
        push(index.pc4, pc.slice(0, 4), ref);
      } else push(index.pc4, pc, ref);
    }
  });
  for (const m of data.municipalities) placeNames.add(normaliseName(m.name));
  return index;
}

/** Buurt candidates for one piece of evidence; wijkOnly when it named a wijk. */
interface Evidence {
  buurten: BuurtRef[];
  wijkOnly: boolean;
}

function unique(refs: readonly BuurtRef[]): BuurtRef[] {
  const seen = new Map<string, BuurtRef>();
  for (const r of refs) seen.set(r.code, r);
  return [...seen.values()];
}

function fromTargets(targets: readonly Target[]): Evidence {
  return { buurten: unique(targets.flatMap((t) => t.buurten)), wijkOnly: targets.every((t) => t.wijkOnly) };
}

function lookupName(index: GazetteerIndex, name: string): Target[] | undefined {
  const exact = index.names.get(name);
  if (exact) return exact;
  const compact = name.replace(/ /g, '');
  if (compact.length < 6) return undefined;
  // One typo: compare with names of the same first letter and a length within one.
  const found: Target[] = [];
  for (let len = name.length - 1; len <= name.length + 1; len++) {
    for (const candidate of index.fuzzy.get(`${name[0] ?? ''}${len}`) ?? []) {
      if (withinOneEdit(candidate, name)) found.push(...(index.names.get(candidate) ?? []));
    }
  }
  return found.length > 0 ? found : undefined;
}

/** Names in free text: the longest run of words that is a known name, left to right. */
function namesInText(index: GazetteerIndex, text: string): Evidence[] {
  const raw = text.split(/[^\p{L}\p{N}'’-]+/u).filter((w) => w !== '');
  const tokens = raw.map((w) => normaliseName(w)).filter((w) => w !== '');
  const out: Evidence[] = [];
  for (let i = 0; i < tokens.length; ) {
    let matched = 0;
    const multi = index.firstWords.has(tokens[i] ?? '');
    for (let n = multi ? Math.min(index.maxWords, tokens.length - i) : 1; n >= 1; n--) {
      const phrase = tokens.slice(i, i + n).join(' ');
      if (phrase.length < 4) continue;
      const targets = lookupName(index, phrase);
      if (!targets) continue;
      if (commonWords.has(phrase) && !/^\p{Lu}/u.test(raw[i] ?? '')) continue;
      out.push(fromTargets(targets));
      matched = n;
      break;
    }
    i += matched || 1;
  }
  return out;
}

const PC6 = /\b([1-9]\d{3})\s?([a-z]{2})\b/gi;
const PC4 = /(?<![\d-])([1-9]\d{3})(?![\d-])/g;

function postcodes(index: GazetteerIndex, text: string, bare4: boolean): Evidence[] {
  const out: Evidence[] = [];
  for (const m of text.matchAll(PC6)) {
    const pc6 = `${m[1] ?? ''}${(m[2] ?? '').toUpperCase()}`;
    const refs = index.pc6.get(pc6) ?? index.pc4.get(m[1] ?? '');
    if (refs) out.push({ buurten: unique(refs), wijkOnly: false });
  }
  if (out.length === 0 && bare4) {
    for (const m of text.matchAll(PC4)) {
      const refs = index.pc4.get(m[1] ?? '');
      if (refs) out.push({ buurten: unique(refs), wijkOnly: false });
    }
  }
  return out;
}

export interface PlaceInput {
  text: string;
  place?: string | null;
  postcode?: string | null;
  /** Restricts the search to one municipality; ambiguity across municipalities is then impossible. */
  municipality?: string | null;
}

export function placeSignal(index: GazetteerIndex, input: PlaceInput): Neighborhood | null {
  const inMunicipality = (e: Evidence): Evidence => ({
    ...e,
    buurten: input.municipality ? e.buurten.filter((b) => b.municipality === input.municipality) : e.buurten,
  });
  // The resident's answers first, then what the text says; each later piece only narrows what is already known.
  const evidence: Evidence[] = [];
  if (input.place) {
    const place = normaliseName(input.place);
    const whole = lookupName(index, place);
    evidence.push(...(whole ? [fromTargets(whole)] : namesInText(index, input.place)));
    evidence.push(...postcodes(index, input.place, true));
  }
  if (input.postcode) evidence.push(...postcodes(index, input.postcode, true));
  evidence.push(...namesInText(index, input.text));
  // A bare four-digit number in free text is as often a count or a year as a postcode; only PC6 counts there.
  evidence.push(...postcodes(index, input.text, /\bpostcode\b/i.test(input.text)));

  let current: Evidence | null = null;
  for (const e of evidence.map(inMunicipality)) {
    if (e.buurten.length === 0) continue;
    if (!current) {
      current = e;
      continue;
    }
    const codes = new Set(e.buurten.map((b) => b.code));
    const narrowed: BuurtRef[] = current.buurten.filter((b) => codes.has(b.code));
    if (narrowed.length > 0) current = { buurten: narrowed, wijkOnly: current.wijkOnly && e.wijkOnly };
  }
  if (!current) return null;
  const wijken = new Set(current.buurten.map((b) => b.wijk));
  const first = current.buurten[0];
  if (!first || wijken.size !== 1) return null;
  if (current.buurten.length === 1 && !current.wijkOnly) {
    return { gemeente_code: first.municipality, wijk_code: first.wijk, buurt_code: first.code, name: first.name };
  }
  return { gemeente_code: first.municipality, wijk_code: first.wijk, buurt_code: null, name: index.wijkNames.get(first.wijk) ?? first.wijk };
}
