import type { ColumnType, Generated } from 'kysely';

/** A timestamptz column: read as Date, written as Date or ISO string, defaulted by the database. */
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
export type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** jsonb: read as parsed JSON, written as a JSON string (pg would turn a JS array into a PostgreSQL array). */
export type Json<T> = ColumnType<T, string, string>;
/** jsonb with a database default: optional on insert. */
export type JsonWithDefault<T> = ColumnType<T, string | undefined, string>;
export type { Generated };

/** Where a signal came from (CONTRACTS.md section 4). */
export type SignalSource = 'whatsapp' | 'web' | 'street' | 'import';
export const signalSources = ['whatsapp', 'web', 'street', 'import'] as const satisfies readonly SignalSource[];
/** The channels residents talk through. */
export type Channel = 'whatsapp' | 'web';
