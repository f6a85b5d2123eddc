/**
 * Tone of a signal from −1 (very negative) to 1 (very positive), for Dutch and English: a word list with weights,
 * negation ("niet goed", "not bad") flipping the next words, intensifiers ("heel", "very") strengthening them, and
 * the sum squashed like VADER's compound score. A lexicon is enough here: tone is shown as a trend over many signals,
 * never used to decide about one.
 */
import { normalise } from './text.ts';

const weights = new Map<string, number>();
function add(list: string, weight: number): void {
  for (const w of list.split(' ')) if (w !== '') weights.set(w, weight);
}

// Dutch
add('goed fijn blij tevreden mooi prima leuk gezellig top super geweldig heerlijk prettig netjes snel vriendelijk behulpzaam dankbaar bedankt dank fantastisch perfect opgelost veilig schoon beter verbeterd waardering trots', 2);
add('geweldig fantastisch uitstekend', 3);
add('slecht kapot vies boos bang verdrietig somber moe zwaar moeilijk probleem problemen overlast gevaarlijk onveilig eng lastig zorgen zorg teleurgesteld frustrerend gefrustreerd jammer lang traag niks niemand nooit alleen eenzaam stress klacht klachten ziek pijn duur schimmel lekkage stuk defect vuil smerig', -1.5);
add('verschrikkelijk vreselijk afschuwelijk belachelijk schandalig ramp waardeloos wanhopig kapotgemaakt hopeloos doodmoe woedend', -2.8);
// English
add('good great nice happy glad pleased helpful friendly thanks thank fine fixed safe clean better wonderful excellent lovely', 2);
add('bad broken dirty angry afraid scared sad tired hard difficult problem problems nuisance dangerous unsafe worried frustrated disappointed slow nobody never lonely alone sick pain expensive mould leak', -1.5);
add('terrible horrible awful ridiculous disgraceful disaster useless desperate hopeless furious', -2.8);

const negations = new Set(['niet', 'geen', 'nooit', 'nie', 'not', 'no', 'never', 'without', 'zonder']);
const intensifiers = new Map([
  ['heel', 1.4],
  ['erg', 1.4],
  ['zo', 1.2],
  ['echt', 1.3],
  ['super', 1.5],
  ['enorm', 1.5],
  ['very', 1.4],
  ['really', 1.3],
  ['so', 1.2],
  ['extremely', 1.6],
]);

const emoji: [RegExp, number][] = [
  [/[😀😃😄😁😊🙂😍🥰👍🙏❤💚✅]/gu, 2],
  [/[😞😢😭😡😠🤬😩😫👎💔😤😟😔]/gu, -2],
];

export function sentiment(text: string): number {
  let sum = 0;
  for (const [re, w] of emoji) sum += (text.match(re) ?? []).length * w;
  const tokens = normalise(text).split(' ');
  let negateFor = 0;
  let boost = 1;
  for (const token of tokens) {
    if (negations.has(token)) {
      negateFor = 3;
      continue;
    }
    const intensity = intensifiers.get(token);
    if (intensity !== undefined) {
      boost = intensity;
      continue;
    }
    const w = weights.get(token);
    if (w !== undefined) {
      // "niet goed" is bad, "niet slecht" only mildly good.
      const signed = negateFor > 0 ? (w > 0 ? -w * 0.8 : -w * 0.4) : w;
      sum += signed * boost;
      boost = 1;
    }
    if (negateFor > 0) negateFor--;
  }
  if (/!{2,}/.test(text)) sum *= 1.15;
  const score = sum / Math.sqrt(sum * sum + 15);
  return Math.round(score * 100) / 100;
}
