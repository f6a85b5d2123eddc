import type { ColumnType, Insertable, Selectable, Updateable } from 'kysely';
import type { JsonWithDefault, Timestamp } from './common.ts';

export type ClusterTrend = 'new' | 'growing' | 'stable' | 'fading';

/** A stored centroid (jsonb): the heaviest stemmed terms with their summed weights, and the word each stands for. */
export interface ClusterCentroid {
  terms: Record<string, number>;
  words: Record<string, string>;
}

/**
 * A live cluster: the signals of one municipality and primary domain about the same concrete issue. Counts, label,
 * key terms and trend are kept up to date by the worker in the transaction that assigns a signal.
 */
export interface ClusterTable {
  /** 'c-' and ten random characters; stable for the life of the cluster. */
  id: string;
  municipality_code: string;
  domain_key: string;
  /** Readable, from the key terms ("wachtlijst huishoudelijke hulp"). */
  label: string;
  key_terms: JsonWithDefault<string[]>;
  centroid: JsonWithDefault<ClusterCentroid>;
  signal_count: ColumnType<number, number | undefined, number>;
  /** Distinct residents; a signal without a resident (street note, import) counts as one. */
  resident_count: ColumnType<number, number | undefined, number>;
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
  trend: ColumnType<ClusterTrend, ClusterTrend | undefined, ClusterTrend>;
  alert: ColumnType<boolean, boolean | undefined, boolean>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}
export type Cluster = Selectable<ClusterTable>;
export type NewCluster = Insertable<ClusterTable>;
export type ClusterUpdate = Updateable<ClusterTable>;
