import { sql, type Kysely } from 'kysely';

/**
 * The first schema: gazetteer, residents and their conversations, messages, signals, users, sessions, audit log.
 * Plain PostgreSQL that PGlite runs as well. Ids are uuids made by the application (so a job can be queued with the
 * id before anything else happens); timestamps are timestamptz.
 */
const statements = [
  sql`create table municipalities (
    code text primary key check (code ~ '^GM[0-9]{4}$'),
    name text not null,
    region text,
    is_demo boolean not null default false,
    settings jsonb not null default '{}',
    created_at timestamptz not null default now()
  )`,
  sql`create table wijken (
    code text primary key check (code ~ '^WK[0-9]{6}$'),
    municipality_code text not null references municipalities (code),
    name text not null
  )`,
  sql`create index wijken_municipality on wijken (municipality_code)`,
  sql`create table buurten (
    code text primary key check (code ~ '^BU[0-9]{8}$'),
    wijk_code text not null references wijken (code),
    municipality_code text not null references municipalities (code),
    name text not null,
    postcodes jsonb not null default '[]',
    aliases jsonb not null default '[]',
    inwoners integer check (inwoners >= 0),
    inwoners_0_15 integer check (inwoners_0_15 >= 0),
    inwoners_15_25 integer check (inwoners_15_25 >= 0),
    inwoners_25_45 integer check (inwoners_25_45 >= 0),
    inwoners_45_65 integer check (inwoners_45_65 >= 0),
    inwoners_65_plus integer check (inwoners_65_plus >= 0)
  )`,
  sql`create index buurten_municipality on buurten (municipality_code)`,
  sql`create table residents (
    id uuid primary key,
    municipality_code text not null references municipalities (code),
    channel text not null check (channel in ('whatsapp', 'web')),
    channel_key_hash text not null,
    language text,
    age_band text check (age_band in ('0_15', '15_25', '25_45', '45_65', '65_plus')),
    role text check (role in ('client', 'carer', 'resident')),
    wijk_code text references wijken (code),
    buurt_code text references buurten (code),
    wants_feedback boolean not null default false,
    may_invite boolean not null default false,
    consent_at timestamptz,
    contact text,
    created_at timestamptz not null default now(),
    last_seen_at timestamptz not null default now(),
    unique (municipality_code, channel, channel_key_hash)
  )`,
  sql`create table conversations (
    id uuid primary key,
    resident_id uuid not null references residents (id) on delete cascade,
    municipality_code text not null references municipalities (code),
    channel text not null check (channel in ('whatsapp', 'web')),
    state text not null,
    context jsonb not null default '{}',
    language text,
    started_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    closed_at timestamptz
  )`,
  sql`create index conversations_resident on conversations (resident_id, updated_at desc)`,
  // At most one open conversation per resident, so concurrent first messages cannot start two state machines.
  sql`create unique index conversations_one_open on conversations (resident_id) where closed_at is null`,
  sql`create table messages (
    id uuid primary key,
    conversation_id uuid references conversations (id) on delete cascade,
    resident_id uuid references residents (id) on delete cascade,
    municipality_code text not null references municipalities (code),
    channel text not null check (channel in ('whatsapp', 'web')),
    direction text not null check (direction in ('in', 'out')),
    external_id text,
    kind text not null default 'text',
    text text,
    status text not null check (status in ('received', 'queued', 'sent', 'delivered', 'read', 'failed')),
    error text,
    created_at timestamptz not null default now(),
    text_deleted_at timestamptz,
    unique (channel, external_id)
  )`,
  sql`create index messages_conversation on messages (conversation_id, created_at)`,
  sql`create table signals (
    id uuid primary key,
    municipality_code text not null references municipalities (code),
    external_id text,
    reference text not null unique,
    source text not null check (source in ('whatsapp', 'web', 'street', 'import')),
    resident_id uuid references residents (id) on delete cascade,
    conversation_id uuid references conversations (id) on delete cascade,
    message_id uuid references messages (id) on delete set null,
    text_raw text,
    text_redacted text,
    place_answer text,
    postcode_answer text,
    language_hint text,
    language text,
    domains jsonb not null default '[]',
    review boolean not null default false,
    wijk_code text references wijken (code),
    buurt_code text references buurten (code),
    sentiment real check (sentiment between -1 and 1),
    urgent boolean not null default false,
    cluster_id text,
    status text not null default 'new' check (status in ('new', 'received', 'analysed', 'failed')),
    error text,
    received_at timestamptz not null default now(),
    processed_at timestamptz,
    text_deleted_at timestamptz,
    unique (municipality_code, external_id)
  )`,
  sql`create index signals_municipality_received on signals (municipality_code, received_at desc)`,
  sql`create index signals_status on signals (status) where status in ('new', 'failed')`,
  sql`create table users (
    id uuid primary key,
    email text not null unique check (email = lower(email)),
    password_hash text not null,
    role text not null check (role in ('admin', 'council', 'team', 'region')),
    municipality_code text not null references municipalities (code),
    created_at timestamptz not null default now(),
    disabled_at timestamptz,
    last_login_at timestamptz
  )`,
  sql`create table sessions (
    token_hash text primary key,
    user_id uuid not null references users (id) on delete cascade,
    csrf_token text not null,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null
  )`,
  sql`create index sessions_user on sessions (user_id)`,
  sql`create table audit_log (
    id integer generated always as identity primary key,
    at timestamptz not null default now(),
    actor_kind text not null check (actor_kind in ('user', 'system', 'resident')),
    actor_id text,
    action text not null,
    municipality_code text,
    subject_type text,
    subject_id text,
    details jsonb not null default '{}'
  )`,
  sql`create index audit_log_municipality_at on audit_log (municipality_code, at desc)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['audit_log', 'sessions', 'users', 'signals', 'messages', 'conversations', 'residents', 'buurten', 'wijken', 'municipalities']) {
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
  }
}
