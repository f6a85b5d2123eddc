/**
 * A keyword rule for crisis messages, until the analysis issue's urgency detection (pipeline/steps/urgency.ts) exists.
 * Same signature, so swapping it is one import in bot/conversation/core.ts's callers. It errs on the side of showing
 * help numbers: a false alarm costs a resident one extra sentence, a missed crisis costs far more.
 */
export type CrisisKind = 'suicide' | 'violence' | 'danger';

export interface CrisisResult {
  urgent: boolean;
  kind: CrisisKind | null;
}

export type DetectCrisis = (text: string) => CrisisResult;

// Checked in this order: a message about suicide gets 113 first, even when it also mentions danger.
const rules: readonly (readonly [CrisisKind, RegExp])[] = [
  [
    'suicide',
    new RegExp(
      [
        'zelfmoord',
        'su[iï]cid',
        'niet meer (willen )?leven',
        'wil(?: ik)? niet meer leven',
        'wil (?:ik )?dood',
        'dood (?:willen|wil) ',
        'een (?:eind|einde) aan (?:mijn|m\'n) leven',
        'mezelf (?:van kant|iets aan|ophangen|doden)',
        'uit het leven stappen',
        'kill myself',
        'end (?:my|it all)',
        'want to die',
        'take my (?:own )?life',
        'no reason to live',
      ].join('|'),
      'iu',
    ),
  ],
  [
    'violence',
    new RegExp(
      [
        '(?:slaat|sloeg|schopt|schopte|wurgt|wurgde|mishandelt|bedreigt) (?:me|mij|mijn|ons|de kinderen)',
        'word (?:ik )?(?:geslagen|mishandeld|bedreigd)',
        'huiselijk geweld',
        'mishandeling',
        'misbruikt',
        'met een mes',
        '(?:hits|hit|beats|beat|kicks|chokes|threatens) (?:me|my|us)',
        'domestic (?:violence|abuse)',
        'being (?:abused|beaten)',
      ].join('|'),
      'iu',
    ),
  ],
  [
    'danger',
    new RegExp(
      [
        'acuut gevaar',
        'levensgevaar',
        '(?:ben|zijn|is) (?:nu )?in gevaar',
        'niet (?:meer )?veilig',
        'help(?:t)? (?:me )?nu',
        'noodgeval',
        'in danger',
        'not safe',
        'emergency',
      ].join('|'),
      'iu',
    ),
  ],
];

export function detectCrisis(text: string): CrisisResult {
  const normalised = text.replace(/\s+/g, ' ');
  for (const [kind, pattern] of rules) {
    if (pattern.test(normalised)) return { urgent: true, kind };
  }
  return { urgent: false, kind: null };
}
