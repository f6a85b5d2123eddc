/**
 * Shared text handling for the analysis steps: how residents really write (no capitals, no accents, WhatsApp
 * abbreviations, stretched letters) is folded into one normal form before anything counts words.
 */

/** WhatsApp and street-note shorthand, to the word it stands for. */
const abbreviations: Record<string, string> = {
  ff: 'even',
  efkes: 'even',
  idd: 'inderdaad',
  gwn: 'gewoon',
  gwoon: 'gewoon',
  nie: 'niet',
  nt: 'niet',
  ni: 'niet',
  mss: 'misschien',
  wrm: 'waarom',
  wrs: 'waarschijnlijk',
  ng: 'nog',
  zn: 'zijn',
  mn: 'mijn',
  mijne: 'mijn',
  vd: 'van de',
  gem: 'gemeente',
  gmt: 'gemeente',
  gemeentes: 'gemeente',
  bijv: 'bijvoorbeeld',
  bv: 'bijvoorbeeld',
  ivm: 'in verband met',
  kvn: 'kan je',
  kzn: 'ik zie',
  ok: 'oke',
  tog: 'toch',
  egt: 'echt',
  wnr: 'wanneer',
  ipv: 'in plaats van',
  evt: 'eventueel',
  aub: 'alstublieft',
  ajb: 'alsjeblieft',
  pls: 'alsjeblieft',
  plz: 'alsjeblieft',
  tnx: 'bedankt',
  thx: 'bedankt',
  dnk: 'dank',
  kk: 'heel',
  kinders: 'kinderen',
  kids: 'kinderen',
  dr: 'dokter',
  ur: 'your',
  pple: 'people',
  ppl: 'people',
  govt: 'government',
  bc: 'because',
  cuz: 'because',
  coz: 'because',
  dont: 'do not',
  cant: 'can not',
  wont: 'will not',
};

/** Lower case, accents off, stretched letters (heeeel) shortened, punctuation to spaces. */
export function normalise(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/(\p{L})\1{2,}/gu, '$1$1')
    .replace(/['’`]/g, '')
    .replace(/[^\p{L}\p{N}[\]-]+/gu, ' ')
    .replace(/(?<!\p{L})-|-(?!\p{L})/gu, ' ')
    .trim();
}

/** Words of the normal form, with shorthand expanded. */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const raw of normalise(text).split(' ')) {
    if (raw === '') continue;
    const expanded = abbreviations[raw];
    if (expanded === undefined) {
      out.push(raw);
    } else {
      for (const w of expanded.split(' ')) out.push(w);
    }
  }
  return out;
}

/** Function words of Dutch and English, left out of features that should say what a text is about. */
export const stopWords: ReadonlySet<string> = new Set(
  (
    'de het een en of maar dat die dit deze is zijn was waren ben bent wordt worden werd ik je jij u we wij ze zij hij ' +
    'mij me mijn jouw uw ons onze hun hem haar er hier daar in op aan van voor met naar bij uit over om tot als dan ' +
    'nog al ook wel niet geen te zo heel erg echt gewoon even toch nu dus want omdat wat wie waar hoe wanneer waarom ' +
    'kan kunnen kon moet moeten mag heb hebt heeft hebben had gaat gaan ga komt komen doe doet doen zou zal wil willen ' +
    'jullie men iets niets alles veel meer weer steeds eens inderdaad misschien oke hoor hallo hoi hey goedemorgen ' +
    'the a an and or but that this these those is are was were be been am i you he she it we they me my your our their ' +
    'him her them in on at of for with to from by about as than then not no so very just now also there here what who ' +
    'where how when why can could must should would will do does did have has had get got'
  ).split(' '),
);

/** Words worth counting: no function words, no placeholders, no numbers. */
export function contentWords(text: string): string[] {
  return words(text).filter((w) => w.length > 1 && !stopWords.has(w) && !/^\d+$/.test(w) && !w.startsWith('['));
}

/** Damerau-Levenshtein distance capped at 2 (enough to ask "is it a typo of"). */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    // One substitution, or one transposition of neighbours.
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}
