/**
 * Retention rules (DESIGN.md, privacy), pure: how long raw text and contact data are kept for a municipality, and
 * the moments before which they go. The periods come from the configuration (WIJKSTEM_RETENTION_*) and may be
 * overridden per municipality in `settings.retention`; the database work is db/repositories/retention.ts.
 */

export interface RetentionPolicy {
  /** Days raw message text (messages, the signal's text as told and place answers) is kept. */
  messagesDays: number;
  /** Days without activity after which contact data and the channel pseudonym of a resident are removed. */
  contactDays: number;
}

export const defaultRetention: RetentionPolicy = { messagesDays: 30, contactDays: 365 };

/** Bounds an administrator may choose: at least a day (the pipeline needs the text until it ran), at most ten years. */
export const retentionBounds = { min: 1, max: 3650 } as const;

/** After an erasure on request, the pseudonymous row with its confirmation is kept this long, then removed. */
export const erasedResidentGraceDays = 1;

const day = 24 * 60 * 60 * 1000;

function validDays(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= retentionBounds.min && value <= retentionBounds.max ? value : undefined;
}

/** The municipality's policy: its own settings where valid, the configured defaults otherwise. */
export function retentionFor(settings: Record<string, unknown>, defaults: RetentionPolicy = defaultRetention): RetentionPolicy {
  const own = settings.retention;
  const o = typeof own === 'object' && own !== null ? (own as Record<string, unknown>) : {};
  return { messagesDays: validDays(o.messagesDays) ?? defaults.messagesDays, contactDays: validDays(o.contactDays) ?? defaults.contactDays };
}

export interface RetentionCutoffs {
  /** Raw text received before this goes (once the pipeline is done with it). */
  textBefore: Date;
  /** Residents last seen before this are anonymised. */
  contactBefore: Date;
  /** Residents erased on request before this (and not back since) are removed entirely. */
  erasedBefore: Date;
}

export function retentionCutoffs(policy: RetentionPolicy, now: Date): RetentionCutoffs {
  return {
    textBefore: new Date(now.getTime() - policy.messagesDays * day),
    contactBefore: new Date(now.getTime() - policy.contactDays * day),
    erasedBefore: new Date(now.getTime() - erasedResidentGraceDays * day),
  };
}

/** An administrator's form input, as typed: whole days within the bounds, or a reason per field. */
export function parseRetentionInput(input: { messagesDays: string; contactDays: string }): { policy: RetentionPolicy } | { errors: Partial<Record<keyof RetentionPolicy, 'days'>> } {
  const parse = (v: string) => (/^\d{1,4}$/.test(v.trim()) ? validDays(Number(v.trim())) : undefined);
  const messagesDays = parse(input.messagesDays);
  const contactDays = parse(input.contactDays);
  if (messagesDays === undefined || contactDays === undefined) {
    return { errors: { ...(messagesDays === undefined ? { messagesDays: 'days' as const } : {}), ...(contactDays === undefined ? { contactDays: 'days' as const } : {}) } };
  }
  return { policy: { messagesDays, contactDays } };
}
