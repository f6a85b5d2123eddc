/**
 * The personal data that only its context gives away: a name after "ik heet", a relation ("mijn buurvrouw") or a
 * title ("mevrouw"), or as a signature; a street with a house number; a date near "geboren". Shapes alone would
 * over-match here (every capitalised word, every number), so each rule needs its cue.
 */

const MONTHS =
  'jan(?:uari)?|feb(?:ruari)?|maart|mrt|apr(?:il)?|mei|jun[ie]?|jul[iy]?|aug(?:ustus)?|sep(?:t(?:ember)?)?|o[ck]t(?:ober)?|nov(?:ember)?|dec(?:ember)?|january|february|march|may|june|july|august|october';
const DATE = `(?:\\d{1,2}[-/.]\\d{1,2}[-/.](?:19|20)?\\d{2}|\\d{1,2}(?:e|st|nd|rd|th)?\\s+(?:${MONTHS})\\.?,?\\s+(?:19|20)\\d{2}|(?:${MONTHS})\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+(?:19|20)\\d{2}|(?:19|20)\\d{2}-\\d{2}-\\d{2})`;
const birthDate = new RegExp(
  `((?:\\b(?:geboren|geboortedatum|geboortedag|born|date of birth|birth date|dob)\\b|\\bgeb\\.)[^\\d\\n]{0,25}?)${DATE}(?!\\d)`,
  'giu',
);

export function redactBirthDates(text: string): string {
  return text.replace(birthDate, (_m, cue: string) => `${cue}[geboortedatum]`);
}

const STREET_SUFFIX =
  'straat|straatweg|laan|weg|plein|gracht|kade|dijk|singel|pad|hof|dreef|steeg|markt|plantsoen|erf|ring|wal|baan|park|burgwal|haven|oever|zijde|veld|weide|hout|akker|horst|hoek|werf|boulevard|allee|vaart|sloot|kwartier|pleintje|straatje|laantje';
/** A number that counts something is not a house number. */
const NOT_HOUSE_NUMBER =
  '(?!\\d)(?![.,]\\d)(?!\\s*(?:jaar|jaren|maand|maanden|week|weken|dag|dagen|uur|uren|minuten|min|keer|x|euro|eur|procent|%|mensen|personen|kinderen|huizen|woningen|flats|bomen|lantaarnpalen|auto|autos|years|months|weeks|days|hours|times|people)\\b)';
const HOUSE_NUMBER = `\\d{1,4}${NOT_HOUSE_NUMBER}(?:\\s?-\\s?\\d{1,3}(?!\\d)|\\s?[a-zA-Z](?!\\p{L})|\\s?(?:hs|bis|zw|huis|boven)\\b)?`;
/** Capitalised words before the street word ("Vincent van Goghweg"), but not a sentence's first function word. */
const LEADING_WORDS = `(?:(?!(?:Ik|Wij|We|Bij|In|Op|Aan|Naar|Van|De|Het|Een|Mijn|Onze|Om|Voor|Achter|Langs|Via|Hoek|Tegenover|Naast|The|At|On|I|Wonend|Woon|Adres)\\s)\\p{Lu}[\\p{L}.'-]*\\s+(?:(?:van|de|der|den|het|'t|ter|ten|la|le|in)\\s+)*)*`;
const streetAddress = new RegExp(`(?<!\\p{L})${LEADING_WORDS}\\p{L}[\\p{L}'-]*?(?:${STREET_SUFFIX})\\s+${HOUSE_NUMBER}`, 'gu');

const regexCache = new WeakMap<ReadonlySet<string>, RegExp | null>();

function knownStreetPattern(streets: ReadonlySet<string>): RegExp | null {
  const cached = regexCache.get(streets);
  if (cached !== undefined) return cached;
  const names = [...streets].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  const escaped = names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+'));
  const pattern = escaped.length === 0 ? null : new RegExp(`(?<!\\p{L})(?:${escaped.join('|')})\\s+${HOUSE_NUMBER}`, 'giu');
  regexCache.set(streets, pattern);
  return pattern;
}

export function redactAddresses(text: string, streets?: ReadonlySet<string>): string {
  let result = text.replace(streetAddress, '[adres]');
  const known = streets ? knownStreetPattern(streets) : null;
  if (known) result = result.replace(known, '[adres]');
  return result;
}

// ---- names ----

const NAME_WORD = "\\p{Lu}[\\p{Ll}'’-]+";
const PARTICLE = "(?:van|de|der|den|ten|ter|te|el|al|op|in|'t|d'|Van|De|Der|Den|El|Al|Ten|Ter)";
/** A capitalised first name, optionally followed by particles and a capitalised surname. */
const FULL_NAME = `(?:(?:\\p{Lu}\\.\\s?)+(?:${PARTICLE}\\s+)*${NAME_WORD}|${NAME_WORD}(?:\\s+(?:${PARTICLE}\\s+)*${NAME_WORD})?)`;
/** A surname after a title: particles may come first ("mevrouw van der Berg"). */
const SURNAME = `(?:${PARTICLE}\\s+)*${NAME_WORD}(?:-${NAME_WORD})?`;
const LOWER_WORD = "\\p{Ll}[\\p{Ll}'-]+";
/** A name typed in lower case: a word, and a surname only after a particle ("anna de vries", not "anna en"). */
const LOWER_NAME = `${LOWER_WORD}(?:(?:\\s+(?:van|de|der|den|ten|ter|el|al|'t))+\\s+${LOWER_WORD})?`;

const relations =
  'buurvrouw|buurman|buurmeisje|buurjongen|moeder|vader|zoon|dochter|zus|zusje|broer|broertje|man|vrouw|vriend|vriendin|oma|opa|tante|oom|neef|nicht|kleinzoon|kleindochter|schoonmoeder|schoonvader|partner|collega|begeleider|begeleidster|consulent|casemanager|contactpersoon|juf|meester|mentor|ex|schoonzus|zwager|stiefvader|stiefmoeder|kind|baas|neighbour|neighbor|mother|mom|mum|father|dad|son|daughter|sister|brother|husband|wife|friend|grandma|grandpa|grandmother|grandfather|aunt|uncle|carer|caregiver|boss|teacher';

interface NameRule {
  pattern: RegExp;
  /** Group 1 is the cue that stays; group 2 the name. In lower case: any word, only a known first name, or never. */
  lower: 'any' | 'known' | 'no';
}

const nameRules: NameRule[] = [
  // "ik heet anna", "mijn naam is Anna de Vries": after these cues, a name even in lower case.
  { pattern: new RegExp(`(\\b(?:ik heet|mijn naam is|m'n naam is|my name is|naam is|naam:|name:|ik ben genaamd|they call me|noem me)\\s+)(${FULL_NAME}|${LOWER_NAME})`, 'gu'), lower: 'any' },
  // "ik ben Anna", "this is Mark": capitalised only ("ik ben moe" is no name).
  { pattern: new RegExp(`(\\b(?:[Ii]k ben|[Dd]it is|[Hh]ier is|I am|I'm|[Tt]his is)\\s+)(${FULL_NAME})`, 'gu'), lower: 'no' },
  // Titles: "meneer De Vries", "mevrouw van der Berg", "dhr. Jansen".
  { pattern: new RegExp(`(\\b(?:[Mm]eneer|[Mm]evrouw|[Mm]evr\\.?|[Mm]w\\.|[Dd]hr\\.?|[Hh]eer|Mr\\.?|Mrs\\.?|Ms\\.?|[Jj]uffrouw|[Dd]okter|[Dd]r\\.)\\s+)(${SURNAME})`, 'gu'), lower: 'no' },
  // Relations: "mijn buurvrouw Fatima", "onze begeleider Mark".
  { pattern: new RegExp(`(\\b(?:[Mm]ijn|[Mm]'n|[Oo]nze|[Oo]ns|[Mm]y|[Oo]ur|[Hh]aar|[Zz]ijn|[Hh]un|[Dd]e)\\s+(?:${relations})\\s+)(${FULL_NAME}|${LOWER_WORD})`, 'gu'), lower: 'known' },
];

/** A signature: a greeting, then one or two name words at the end of a line or of the message. */
const signature = new RegExp(
  `((?:^|[\\s,.!])(?:[Gg]roet(?:en|jes)?|[Gg]r\\.?|[Mm]vg|[Mm]\\.v\\.g\\.?|[Ll]iefs|[Dd]oei|[Gg]room|[Rr]egards|[Cc]heers|[Bb]est|[Tt]hanks|[Bb]edankt)[,!.]?\\s+)(${FULL_NAME}|${LOWER_NAME})(?=\\s*[.!]?\\s*(?:$|\\n))`,
  'gu',
);

/** Capitalised words that follow these cues without being a person's name. */
const notNames = new Set(
  (
    'gemeente zaanstad nederland nederlander nederlands marokkaans marokkaan turks turk surinaams pools syrisch eritrees ' +
    'somalisch afghaans oekraiens oekraiense engels dutch english muslim moslim christen voedselbank wijkteam jeugdzorg ' +
    'albert heijn jumbo lidl aldi action kruidvat ymere parteon rochdale eigen haard uwv svb cak ggd ggz veilig thuis ' +
    'whatsapp facebook google instagram tiktok wmo pgb regiotaxi connexxion ns sociaal loket huisarts dokter politie ' +
    'team leger des heils humanitas vluchtelingenwerk stichting zaans medisch centrum zmc vrijwilliger mantelzorger ' +
    'moeder vader oma opa alleenstaand werkloos ziek blij boos bang moe trots het de een die deze dit dat niet wel ' +
    'maandag dinsdag woensdag donderdag vrijdag zaterdag zondag januari februari maart april mei juni juli augustus ' +
    'september oktober november december ook al nog echt heel erg zo bij in op van voor met thuis hier daar nu'
  ).split(' '),
);

const particles = new Set(['van', 'de', 'der', 'den', 'ten', 'ter', 'te', 'el', 'al', 'op', 'in', "'t", "d'"]);

function isNotName(candidate: string, keep: ReadonlySet<string> | undefined): boolean {
  const lower = candidate
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => !particles.has(w))
    .join(' ');
  if (keep?.has(lower)) return true;
  const first = lower.split(/\s+/)[0] ?? lower;
  return notNames.has(first) || notNames.has(lower) || (keep?.has(first) ?? false);
}

export function redactNames(text: string, keep?: ReadonlySet<string>): string {
  let result = text;
  for (const rule of nameRules) {
    result = result.replace(rule.pattern, (match, cue: string, name: string) => {
      const last = name.split(/\s+/).pop() ?? name;
      if (!/^\p{Lu}/u.test(last) && (rule.lower === 'no' || (rule.lower === 'known' && !firstNames.has(name.split(' ')[0] ?? '')))) return match;
      return isNotName(name, keep) ? match : `${cue}[naam]`;
    });
  }
  result = result.replace(signature, (match, cue: string, name: string) => {
    if (!/^\p{Lu}/u.test(name) && !firstNames.has(name.split(' ')[0] ?? '')) return match;
    return isNotName(name, keep) ? match : `${cue}[naam]`;
  });
  // A common first name written with a capital is a name wherever it stands ("Fatima helpt me altijd").
  return result.replace(standaloneName, (match: string) => (isNotName(match, keep) ? match : '[naam]'));
}

/** Common first names in the Netherlands (Dutch, Moroccan, Turkish, Surinamese, Polish, English), lower case. Names
 * that are also ordinary words or months (roos, mei, may, will, mark) are left out: they need a cue. */
const firstNames: ReadonlySet<string> = new Set(
  (
    'anna emma sophie julia sara sarah lisa eva noa lotte fleur sanne anouk linda monique petra ingrid marja annemiek ' +
    'els ria joke truus annie mieke karin sandra esther marieke willemijn femke naomi fatima fatma aisha aicha khadija ' +
    'samira nadia yasmina yasmine salma hafsa meryem ayse elif zeynep emine hatice merve esra kubra priya shanti ' +
    'agnieszka katarzyna olga natalia maria mohammed mohamed mohammad ahmed ahmet mustafa youssef yusuf ibrahim omar ' +
    'hassan hamza ali mehmet murat emre kemal hakan bilal rachid karim driss said anil rajesh ' +
    'jan piet kees henk gerrit klaas johan willem wim cor bert hans peter pieter joost thijs daan sem lucas levi finn ' +
    'milan bram luuk jesse tim tom ruud erik frank marco martin michel dennis sander stefan jeroen bas rik ' +
    'david daniel thomas kevin ricardo tomasz piotr krzysztof marek john james michael robert richard joseph ' +
    'mary jennifer patricia elizabeth susan jessica karen nancy emily olivia'
  ).split(' '),
);

const ambiguousCapitalised = new Set(['jan', 'bas', 'tim', 'tom', 'said', 'will', 'bert', 'cor', 'ali', 'ria', 'els']);

const standaloneName = new RegExp(
  `(?<![\\p{L}\\[])(?:${[...firstNames]
    .filter((n) => !ambiguousCapitalised.has(n))
    .map((n) => n.charAt(0).toUpperCase() + n.slice(1))
    .join('|')})(?:\\s+(?:${PARTICLE}\\s+)*${NAME_WORD})?(?!\\p{L})`,
  'gu',
);
