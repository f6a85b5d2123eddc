/** db/: the schema, migrations, connection and repositories (plain functions taking `db` or a transaction first). */
export * from './connect.ts';
export type * from './database.ts';
export { migrateToLatest, migrationNames, MigrationError } from './migrations/index.ts';
export * from './repositories/audit.ts';
export * from './repositories/messages.ts';
export * from './repositories/municipalities.ts';
export * from './repositories/residents.ts';
export * from './repositories/signals.ts';
export * from './repositories/users.ts';
