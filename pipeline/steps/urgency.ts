/**
 * Crisis detection (DESIGN.md, safety): suicidal thoughts said plainly or indirectly, violence happening now, a
 * person in acute danger. The chatbot calls detectCrisis on every message to answer at once with help numbers, the
 * pipeline stores it as `urgent`. Recall comes first, so the patterns are broad; precision comes from what they
 * leave out: figures of speech ("ik ga dood van het lachen", "ik word gek van die wachtlijst"), negations ("geen
 * zelfmoordgedachten") and events told as past ("vorig jaar werd ik bedreigd").
 */

export type CrisisKind = 'suicide' | 'violence' | 'danger';

export interface Crisis {
  urgent: boolean;
  kind: CrisisKind | null;
}

/** The detector's shape, so the conversation core can take it as a dependency and stay free of imports. */
export type DetectCrisis = (text: string) => Crisis;

const suicide: RegExp[] = [
  /\b(zelfmoord|suicide|suicidaal|suicidal|zelfdoding)\w*/,
  /\b(ik )?(wil|wou|zou willen) (niet meer|nie meer) (leven|verder|bestaan|wakker worden)/,
  /\b(wil|wou) (dood|sterven|er niet meer zijn|er nie meer zijn|verdwijnen van de aarde)\b/,
  /\b(wil|wou) ik (soms |echt |gewoon )?(dood|sterven|niet meer leven|er niet meer zijn)\b/,
  /\b(een )?eind(e)? (aan|maken aan) (mijn|m'n|me|mn) leven/,
  /\beinde? aan alles maken|er een eind aan maken|er een einde aan maken|er een punt achter zetten/,
  /\bmezelf (iets aan ?doen|van kant maken|ophangen|doodmaken|wat aandoen)/,
  /\b(van|voor) (de|het) (trein|flat|brug|dak) (springen|te springen|gaan staan)/,
  /\b(pillen|medicijnen) (gespaard|verzameld|sparen|opgespaard)/,
  /\b(het|t) hoeft (voor mij )?(allemaal )?niet meer\b/,
  /\b(iedereen|ze|mijn kinderen) (is|zijn|zou|zouden) beter af zonder mij/,
  /\bik zie (het|t) (echt |allemaal )?(niet|nie) meer zitten\b/,
  /\b(geen|zie geen) (zin|reden) (meer )?(om|in) (te )?(leven|verder te gaan)/,
  /\bafscheidsbrie(f|ven)/,
  /\buit het leven (te )?(willen |wil )?stappen\b|\btake my (own )?life\b/,
  /\b(kill|hurt) myself\b|\bend (my|it all)\b|\bwant to die\b|\bdon'?t want to (live|be here)|\bbetter off without me\b|\bno reason to live\b/,
];

const violence: RegExp[] = [
  /\b(hij|zij|ze|mijn (man|vrouw|vriend|vader|ex|partner|zoon|buurman)) (slaat|schopt|wurgt|stompt|mishandelt|bedreigt) (me|mij|ons|mijn|de kinderen|haar|hem)\b/,
  /\b(word|worden|wordt)( ik| ze| hij| we| mijn \w+)? (nu |net |weer |steeds |elke dag )?(geslagen|mishandeld|bedreigd|aangevallen|gestoken|gewurgd)\b/,
  /\b(staat|stond|staan) (nu )?(hier )?(voor|aan) (de|mijn|onze) deur met (een )?(mes|wapen|pistool|bijl)/,
  /\b(met|heeft) een (mes|pistool|wapen|vuurwapen)\b.*\b(dreigt|bedreigt|zwaait|loopt|staat)\b/,
  /\b(dreigt|gedreigd) (me|mij|ons|haar|hem)? ?(dood te maken|te vermoorden|te doden|iets aan te doen)/,
  /\b(bang dat hij|bang dat ze) (me|mij|ons|de kinderen) (vermoordt|doodmaakt|iets aandoet)/,
  /\b(vechtpartij|steekpartij|schietpartij|ze vechten|er wordt gevochten|er wordt geschoten)\b.*\b(nu|op dit moment|hier|buiten)\b/,
  /\b(nu|op dit moment|hier buiten)\b.*\b(vechtpartij|steekpartij|schietpartij|wordt gevochten|wordt geschoten)\b/,
  /\b(he|she|my (husband|wife|partner|boyfriend|father|ex)) (is )?(hitting|beating|hits|beats|threatening|attacking) (me|us|my|the kids)\b/,
  /\b(threatening|threatened) to kill\b/,
  /\b(word|wordt|worden) (ik |ze |hij )?(nu |steeds |weer )?misbruikt\b|\bbeing (abused|beaten)\b/,
  // Told as happening ("er is huiselijk geweld bij de buren"), not as a topic ("aandacht voor huiselijk geweld").
  /\b(er is|is er|hoor ik|zie ik) (nu |weer )?huiselijk geweld\b|\bhuiselijk geweld (bij|in) (ons|mijn|de buren|het huis|huis)\b/,
];

const danger: RegExp[] = [
  /\b(ligt|lag|is) (bewusteloos|buiten bewustzijn)|\bbewusteloos\b/,
  /\breageert (niet|nie) meer\b|\bademt (niet|nie) meer\b|\bademt niet\b/,
  /\b(het brandt|staat in brand|in de fik|er is brand|brand in (de|het|mijn|ons))\b/,
  /\b(ik )?ruik gas\b|\bgaslek\b|\bgaslucht\b/,
  /\b(kind|kinderen|baby|peuter)( van \w+)? (is|zijn|zit|zitten) (al )?(\w+ )?(uur|uren|dagen|de hele dag|alleen)? ?alleen thuis\b/,
  /\b(al|sinds) (\w+ )?dagen (niet|nie) (gezien|buiten geweest|opengedaan)\b/,
  /\b(is|zijn) (gevallen|gevallen en) (en )?(kan|kunnen) (niet|nie) (meer )?(op|opstaan|overeind)/,
  /\bligt (op de grond|op straat) en (reageert|beweegt) (niet|nie)/,
  /\b(ben|zijn|voel me|voelen ons) (thuis|hier) (niet|nie) (meer )?veilig\b|\b(ben|zijn|voel me|voelen ons) (niet|nie) (meer )?veilig (thuis|hier|in (mijn|ons) (eigen )?huis)\b|\b(i am|i'm|we are|we're) not safe (at home|here)\b/,
  /\bhelp (me |ons )?nu\b|\bhelp me,? (alsjeblieft|snel)\b/,
  /\b(acuut gevaar|levensgevaar|noodgeval)\b|\b(ben|zijn|is) (nu |hier )?in (acuut )?gevaar\b|\b(i am|we are|is) in danger\b/,
  /\b(drowning|unconscious|not breathing|can'?t breathe|smell gas|house is on fire|on fire)\b/,
];

/** Figures of speech that contain crisis words. */
const figures: RegExp[] = [
  /\bdood van (het lachen|de honger|de dorst|verveling|de kou|schaamte|de stress)\b/,
  /\bik (word|wordt|werd) (gek|knettergek|helemaal gek)\b/,
  /\b(dood ?moe|doodziek van|doodnormaal|doodsbang voor spinnen)\b/,
  /\b(killing me|dying to|kill for a)\b/,
];

const pastMarkers =
  /\b(vroeger|vorig(e)? (jaar|week|maand)|jaren geleden|maanden geleden|weken geleden|in het verleden|toen ik|destijds|ooit|heeft .{0,30}gepleegd|had ik|was ik|werd ik|sloeg hij|sloeg ze|last year|years ago|used to|back then|in the past)\b/;
const presentMarkers = /\b(nu|weer|nog steeds|opnieuw|vandaag|vannacht|op dit moment|right now|now|again|still|today|tonight)\b/;
const negated =
  /\b(geen|niet aan|nooit aan|no|not|never)\s+(\w+\s+){0,2}(zelfmoord|suicid|dood|die|sterven)|\b(zelfmoordpreventie|suicide prevention|voorlichting over zelfmoord)\b/;

function sentences(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’`]/g, "'")
    .split(/(?<=[.!?\n])\s+/);
}

export function detectCrisis(text: string): Crisis {
  for (const sentence of sentences(text)) {
    if (figures.some((re) => re.test(sentence)) && !/zelfmoord|suicid|niet meer leven|dood wil|wil dood/.test(sentence)) continue;
    const past = pastMarkers.test(sentence) && !presentMarkers.test(sentence);
    for (const [kind, patterns] of [
      ['suicide', suicide],
      ['violence', violence],
      ['danger', danger],
    ] as const) {
      if (!patterns.some((re) => re.test(sentence))) continue;
      if (past) continue;
      if (kind === 'suicide' && negated.test(sentence)) continue;
      return { urgent: true, kind };
    }
  }
  return { urgent: false, kind: null };
}
