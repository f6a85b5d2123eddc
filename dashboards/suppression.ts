/**
 * Small-group suppression (DESIGN.md, privacy): outside the review queue no count, bar or row is shown for a group
 * of 1 to 4 distinct residents; "< 5" is shown instead. A street or import signal without a resident counts as one
 * resident of its own. A group of nobody (0) is shown as 0: it identifies no one, and "nobody heard here" matters.
 * Every dashboard view goes through these functions.
 */
export const MIN_RESIDENTS = 5;

export type Shown = { suppressed: false; value: number } | { suppressed: true };

/** A figure about a group of `residents` distinct residents: the value, or suppressed. */
export function shown(value: number, residents: number): Shown {
  return residents > 0 && residents < MIN_RESIDENTS ? { suppressed: true } : { suppressed: false, value };
}

export function isSuppressed(residents: number): boolean {
  return residents > 0 && residents < MIN_RESIDENTS;
}

/** The figure as text: the number in the locale, or "< 5". */
export function countText(figure: Shown, locale: string): string {
  return figure.suppressed ? `< ${MIN_RESIDENTS}` : new Intl.NumberFormat(locale).format(figure.value);
}

export interface PopulationGroup {
  residents: number;
  population: number | null;
}

/** Residents heard per 1,000 inhabitants; undefined without a population. */
export function ratePerThousand(group: PopulationGroup): number | undefined {
  return group.population !== null && group.population > 0 ? (group.residents / group.population) * 1000 : undefined;
}

export type RepresentationScore =
  | { kind: 'value'; value: number }
  /** The lowest group is suppressed: the score is below this bound, and no closer figure is given. */
  | { kind: 'below'; bound: number }
  /** Fewer than two groups with a population, or no group with five or more residents. */
  | { kind: 'none' };

/**
 * Lowest group rate divided by the highest, over the groups with a population (1: every group equally heard, 0: a
 * group not heard at all). When a group has 1–4 residents only an upper bound is given, computed from populations
 * and the visible groups alone, so the score cannot be turned back into the small count.
 */
export function representationScore(groups: readonly PopulationGroup[]): RepresentationScore {
  const withPopulation = groups.filter((g) => g.population !== null && g.population > 0);
  if (withPopulation.length < 2) return { kind: 'none' };
  const visible = withPopulation.filter((g) => !isSuppressed(g.residents));
  const rates = visible.map((g) => ratePerThousand(g) ?? 0);
  const max = Math.max(...rates);
  if (visible.length === 0 || max <= 0) return { kind: 'none' };
  const minVisible = Math.min(...rates);
  if (minVisible === 0) return { kind: 'value', value: 0 };
  const bounds = withPopulation.filter((g) => isSuppressed(g.residents)).map((g) => ratePerThousand({ residents: MIN_RESIDENTS, population: g.population }) ?? 0);
  // A suppressed group's rate lies below its bound, and the true highest rate is at least the visible one.
  if (bounds.length > 0) return { kind: 'below', bound: Math.min(minVisible, ...bounds) / max };
  return { kind: 'value', value: minVisible / max };
}
