/**
 * Language of a signal: Dutch and English told apart by their function words and letter patterns, a handful of
 * other languages residents write recognised as such, and 'und' when there is too little to go on. A short message
 * falls back on the conversation's language (the hint). Function words win over letter statistics because a few of
 * them decide even a five-word WhatsApp message, where n-gram profiles are noise.
 */

const profiles: Record<string, readonly string[]> = {
  nl: (
    'de het een en is ik je jij niet van dat die op te in voor met zijn er maar om ook als dan wat heb heeft hebben ' +
    'wij we ze zij hij mijn mij me onze ons geen nog al wel naar bij uit kan moet wil worden wordt werd was waren ' +
    'dit deze hier daar nu echt heel erg gewoon even toch want omdat graag hoe waar wanneer waarom wie welke ' +
    'zo veel meer niks niets iets iemand niemand jullie u uw hun haar hem kunnen zou zal gaat ga doen doet krijg ' +
    'krijgen weet weten zien komen komt al ben bent gaan mag mogen sinds door over tegen zonder wel tot na hoor ' +
    'buurt wijk gemeente straat huis hulp kinderen of waarvan waarin ligt gisteren vandaag morgen werd deze tussen ' +
    'tijdens onder boven na andere nieuwe jaar twee drie wordt zich hebben zoals volgens bij toen nadat eerste'
  ).split(' '),
  en: (
    'the a an and is are was were be been i you he she it we they my your his her our their not of that this to in ' +
    'for with on at but or so if as do does did have has had can could will would should there here what when where ' +
    'why how who which all no yes me him them us from by about just very really get got need want help people ' +
    'neighbourhood neighborhood street council house children please thank thanks'
  ).split(' '),
  de: 'der die das und ist ich nicht ein eine mit auf für den dem des sich auch es wir sie kann haben wird sind noch nur wie'.split(' '),
  fr: 'le la les et est je ne pas un une des du avec pour sur dans que qui nous vous il elle ce mais très'.split(' '),
  es: 'el la los las y es yo no un una con por para que de del en pero muy esta tengo'.split(' '),
  tr: 'bir ve bu da de ben sen o biz ne var yok çok için ile ama gibi daha mi mı değil evet hayır'.split(' '),
  pl: 'i w nie na się jest to że z do jak ale co mam jestem tak po dla'.split(' '),
  pt: 'o a os as e é eu não um uma com para que de do da em mas muito'.split(' '),
};

// Words shared by several languages say nothing on their own.
const shared = new Set(['de', 'a', 'in', 'is', 'en', 'i', 'o', 'e', 'la', 'le', 'me', 'we', 'al', 'do', 'so', 'no', 'on', 'as', 'of']);

const lexicon = new Map<string, string[]>();
for (const [lang, list] of Object.entries(profiles)) {
  for (const w of list) lexicon.set(w, [...(lexicon.get(w) ?? []), lang]);
}

/** Letter patterns typical of Dutch (ij, oe, sch, aa) and English (th, wh, -ing). */
function letterScores(text: string): { nl: number; en: number } {
  const count = (re: RegExp) => (text.match(re) ?? []).length;
  return {
    nl: count(/ij/g) + count(/oe/g) + count(/sch/g) + count(/aa|ee|uu/g) + count(/\b\w+tje\b/g),
    en: count(/th/g) + count(/\bwh/g) + count(/ing\b/g) + count(/[wy]\b/g) * 0.5,
  };
}

export type LanguageCode = string;

/**
 * ISO 639-1 code of the text, or 'und'. `hint` is the conversation's language, used when the text itself is too
 * short or too mixed to decide.
 */
export function detectLanguage(text: string, hint?: string | null): LanguageCode {
  const fallback = hint && /^[a-z]{2}$/.test(hint) ? hint : 'und';
  if (/[\u0600-\u06ff]/.test(text)) return 'ar';
  if (/[\u0400-\u04ff]/.test(text)) return /[іїєґ]/i.test(text) ? 'uk' : 'ru';
  const tokens = text
    .toLowerCase()
    .replace(/\[[a-z-]+\]/g, ' ')
    .split(/[^\p{L}']+/u)
    .filter((w) => w !== '');
  if (tokens.length === 0) return fallback;
  const scores: Record<string, number> = {};
  let evidence = 0;
  for (const token of tokens) {
    const langs = lexicon.get(token);
    if (!langs) continue;
    const weight = (shared.has(token) ? 0.3 : 1) / langs.length;
    for (const lang of langs) scores[lang] = (scores[lang] ?? 0) + weight;
    evidence += weight;
  }
  const joined = tokens.join(' ');
  const letters = letterScores(joined);
  scores.nl = (scores.nl ?? 0) + letters.nl * 0.15;
  scores.en = (scores.en ?? 0) + letters.en * 0.15;
  const ranked = Object.entries(scores).sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked;
  if (!best || best[1] === 0) return tokens.length >= 4 ? 'und' : fallback;
  // Too little to go on, or a near tie: the conversation's language decides if known.
  if (evidence < 1.5 && tokens.length < 4) return fallback !== 'und' ? fallback : best[1] >= 1 ? best[0] : 'und';
  if (second && best[1] - second[1] < 0.5 && fallback !== 'und' && (fallback === best[0] || fallback === second[0])) return fallback;
  return best[0];
}
