/**
 * Configuration, read once from the environment and validated: a bad value stops the process with a message that
 * names the variable and says what is expected. Secrets come only from the environment (or, for the embedded demo,
 * a key file made on first start in DATA_DIR).
 */
import { z } from 'zod';

const url = (protocols: string[], example: string) =>
  z
    .string()
    .refine((v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    }, `expected a URL like ${example}`);

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const envSchema = z.object({
  PORT: optional(z.coerce.number().int().min(0).max(65535)).default(3000),
  HOST: optional(z.string()).default('0.0.0.0'),
  DATA_DIR: optional(z.string()).default('./data'),
  DATABASE_URL: optional(url(['postgres:', 'postgresql:'], 'postgres://user:password@host:5432/wijkstem')),
  REDIS_URL: optional(url(['redis:', 'rediss:'], 'redis://host:6379')),
  ROLE: optional(z.enum(['all', 'web', 'worker'])).default('all'),
  LOG_LEVEL: optional(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])).default('info'),
  /** Key for the keyed hash that pseudonymises channel ids; at least 32 characters. */
  WIJKSTEM_PSEUDONYM_KEY: optional(z.string().min(32, 'expected at least 32 characters')),
  /** The municipality the web chat serves when the URL names none. */
  WIJKSTEM_MUNICIPALITY: optional(z.string().regex(/^GM\d{4}$/, 'expected a CBS code like GM0479')),
  /** Load the demo municipality on a first start with an empty database (default true). */
  WIJKSTEM_DEMO: optional(z.enum(['true', 'false'])),
  /** Set when the site is served over TLS: secure cookies and HSTS. */
  PUBLIC_URL: optional(url(['http:', 'https:'], 'https://wijkstem.example.nl')),
  /** Key prefix in Redis, so several installations (or test runs) can share one Redis. */
  WIJKSTEM_QUEUE_PREFIX: optional(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected letters, digits, _ or -')).default('wijkstem'),
  /** How often workers queue stored signals that never reached the queue. */
  WIJKSTEM_SWEEP_SECONDS: optional(z.coerce.number().min(0.1).max(3600)).default(30),
  WORKER_CONCURRENCY: optional(z.coerce.number().int().min(1).max(64)).default(4),
  /** Days raw message text is kept (default 30); a municipality may set its own (settings.retention). */
  WIJKSTEM_RETENTION_MESSAGES_DAYS: optional(z.coerce.number().int().min(1).max(3650)).default(30),
  /** Days without activity after which contact data is anonymised (default 365). */
  WIJKSTEM_RETENTION_CONTACT_DAYS: optional(z.coerce.number().int().min(1).max(3650)).default(365),
  WHATSAPP_VERIFY_TOKEN: optional(z.string()),
  WHATSAPP_APP_SECRET: optional(z.string()),
  WHATSAPP_ACCESS_TOKEN: optional(z.string()),
  WHATSAPP_PHONE_NUMBER_ID: optional(z.string()),
  WHATSAPP_GRAPH_URL: optional(url(['http:', 'https:'], 'https://graph.facebook.com/v23.0')),
  /** WhatsApp messages a second sent from our number, across all workers (default 80, the Cloud API's limit). */
  WHATSAPP_SEND_RATE: optional(z.coerce.number().int().min(11).max(1000)).default(80),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  role: 'all' | 'web' | 'worker';
  logLevel: Env['LOG_LEVEL'];
  pseudonymKey: string | undefined;
  defaultMunicipality: string | undefined;
  loadDemo: boolean;
  publicUrl: string | undefined;
  workerConcurrency: number;
  /** WhatsApp sends a second (WHATSAPP_SEND_RATE): the queue's send-lane limit. */
  sendRatePerSecond: number;
  queuePrefix: string;
  sweepIntervalMs: number;
  /** Default retention periods (pipeline/privacy/retention.ts). */
  retention: { messagesDays: number; contactDays: number };
  whatsapp: {
    verifyToken: string | undefined;
    appSecret: string | undefined;
    accessToken: string | undefined;
    phoneNumberId: string | undefined;
    graphUrl: string;
  };
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv | Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.ROLE !== 'all' && (!e.DATABASE_URL || !e.REDIS_URL)) {
    problems.push(`ROLE=${e.ROLE}: separate web and worker processes need DATABASE_URL and REDIS_URL (the embedded database and queue live in one process)`);
  }
  if (e.DATABASE_URL && !e.WIJKSTEM_PSEUDONYM_KEY) {
    problems.push('WIJKSTEM_PSEUDONYM_KEY: required with DATABASE_URL (a random secret of at least 32 characters; keep it, residents are recognised by it)');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    role: e.ROLE,
    logLevel: e.LOG_LEVEL,
    pseudonymKey: e.WIJKSTEM_PSEUDONYM_KEY,
    defaultMunicipality: e.WIJKSTEM_MUNICIPALITY,
    loadDemo: e.WIJKSTEM_DEMO !== 'false',
    publicUrl: e.PUBLIC_URL,
    workerConcurrency: e.WORKER_CONCURRENCY,
    sendRatePerSecond: e.WHATSAPP_SEND_RATE,
    queuePrefix: e.WIJKSTEM_QUEUE_PREFIX,
    sweepIntervalMs: e.WIJKSTEM_SWEEP_SECONDS * 1000,
    retention: { messagesDays: e.WIJKSTEM_RETENTION_MESSAGES_DAYS, contactDays: e.WIJKSTEM_RETENTION_CONTACT_DAYS },
    whatsapp: {
      verifyToken: e.WHATSAPP_VERIFY_TOKEN,
      appSecret: e.WHATSAPP_APP_SECRET,
      accessToken: e.WHATSAPP_ACCESS_TOKEN,
      phoneNumberId: e.WHATSAPP_PHONE_NUMBER_ID,
      graphUrl: e.WHATSAPP_GRAPH_URL ?? 'https://graph.facebook.com/v23.0',
    },
  };
}
