import type { Insertable, Selectable } from 'kysely';
import type { CreatedAt, Json } from './common.ts';

/** A person's confirmation or correction of a signal's analysis (the review queue): labelled examples for retraining. */
export interface SignalReviewTable {
  id: string;
  signal_id: string;
  municipality_code: string;
  reviewer_user_id: string | null;
  reviewed_at: CreatedAt;
  /** Domain keys as the analysis had them, highest confidence first. */
  old_domains: Json<string[]>;
  /** Domain keys as the person left them. */
  new_domains: Json<string[]>;
  old_wijk_code: string | null;
  new_wijk_code: string | null;
  /** Whether the person changed anything (false: confirmed). */
  changed: boolean;
}
export type SignalReview = Selectable<SignalReviewTable>;
export type NewSignalReview = Insertable<SignalReviewTable>;
