/**
 * Residents for load, soak and fault runs: signed WhatsApp deliveries and web chat posts, each retried the way its
 * sender retries (Meta redelivers what did not get a 200; the chat script resends with the same message id), and the
 * processes they talk to (ROLE=web and ROLE=worker apart, on PostgreSQL and Redis). Loopback only: every URL is
 * checked, so a run can never be pointed at a real server or Meta.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { signBody } from '../../bot/channels/whatsapp/signature.ts';
import { postChat } from '../support/chat-post.ts';
import { messageDelivery, type InboundContent } from '../support/whatsapp-delivery.ts';

export const appSecret = 'load-app-secret';
export const phoneNumberId = '1122334455668';
export const verifyToken = 'load-verify';

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Throws unless the URL points at this machine (127.0.0.0/8, localhost, ::1). */
export function assertLoopback(url: string, what = 'URL'): URL {
  const parsed = new URL(url);
  if (!loopbackHosts.has(parsed.hostname) && !/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(parsed.hostname)) {
    throw new Error(`${what} must be on loopback (127.0.0.1, localhost, ::1), not ${parsed.hostname}: load runs never leave this machine`);
  }
  return parsed;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
export const r1 = (x: number): number => Math.round(x * 10) / 10;
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One WhatsApp message as Meta delivers it: a text or a tap on a reply button. */
export function delivery(phone: string, wamid: string, content: InboundContent): string {
  return messageDelivery(phoneNumberId, phone, content, wamid);
}

export const newWamid = (): string => `wamid.${randomBytes(12).toString('hex')}`;

export interface Ack {
  /** The status that ended the attempts: 200, or the last failure (a status or an error message). */
  outcome: string;
  /** Request sent → answer received, of the attempt that got the 200. */
  ms: number | undefined;
  attempts: number;
}

export interface RetryPolicy {
  /** Attempts in all (1: no retry). */
  attempts: number;
  /** Wait between attempts. */
  delayMs: number;
}

const describeError = (error: unknown): string =>
  error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message).slice(0, 60) : 'error';

/**
 * POSTs a signed delivery to the webhook, retrying what did not get a 200 (Meta redelivers for days; we do it
 * quickly). `base` is read before every attempt, so a restarted web process on another port is found.
 */
export async function deliver(base: () => string, raw: string, retry: RetryPolicy): Promise<Ack> {
  const signature = signBody(appSecret, raw);
  let outcome = 'not sent';
  for (let attempt = 1; attempt <= retry.attempts; attempt++) {
    const url = `${assertLoopback(base(), 'webhook URL').origin}/webhooks/whatsapp`;
    const t0 = performance.now();
    try {
      const response = await fetch(url, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, signal: AbortSignal.timeout(10_000) });
      await response.arrayBuffer();
      if (response.status === 200) return { outcome: '200', ms: performance.now() - t0, attempts: attempt };
      outcome = String(response.status);
    } catch (error) {
      outcome = describeError(error);
    }
    if (attempt < retry.attempts) await sleep(retry.delayMs);
  }
  return { outcome, ms: undefined, attempts: retry.attempts };
}

/** A web chat session: its own keep-alive connection from its own loopback address (the chat limits posts per address). */
export class ChatSession {
  cookie: string | undefined;
  private agent = new Agent({ keepAlive: true, maxSockets: 1 });
  constructor(
    private readonly base: () => string,
    private readonly localAddress: string,
  ) {}

  /** Posts one message (text or choice) with the chat script's message id, resending it with that id until a 200. */
  async post(fields: { text: string } | { choice: string }, mid: string, retry: RetryPolicy): Promise<Ack> {
    let outcome = 'not sent';
    for (let attempt = 1; attempt <= retry.attempts; attempt++) {
      const t0 = performance.now();
      try {
        const res = await this.once({ ...fields, mid });
        if (res.status === 200) {
          this.cookie ??= res.cookie;
          return { outcome: '200', ms: performance.now() - t0, attempts: attempt };
        }
        outcome = String(res.status);
      } catch (error) {
        outcome = describeError(error);
        // A dead process leaves a dead socket in the pool.
        this.agent.destroy();
        this.agent = new Agent({ keepAlive: true, maxSockets: 1 });
      }
      if (attempt < retry.attempts) await sleep(retry.delayMs);
    }
    return { outcome, ms: undefined, attempts: retry.attempts };
  }

  close(): void {
    this.agent.destroy();
  }

  private once(fields: Record<string, string>): Promise<{ status: number; cookie: string | undefined }> {
    const base = assertLoopback(this.base(), 'chat URL');
    return postChat(base, this.agent, this.localAddress, fields, this.cookie, 10_000);
  }
}

/** The session's token from its cookie (the chat keys message ids with it). */
export function sessionToken(cookie: string | undefined): string | undefined {
  return cookie?.split('; ').map((c) => c.split('=')).find(([, v]) => v !== undefined && /^[A-Za-z0-9_-]{43}$/.test(v))?.[1];
}

/** Loopback address for the i-th chat session: ten sessions per address, as the chat allows 30 posts a minute each. */
export const chatAddress = (i: number): string => `127.0.${2 + Math.floor(i / 2500)}.${1 + (Math.floor(i / 10) % 250)}`;

/** Resident set size of a process in MB (Linux /proc), undefined when gone. */
export function rssMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

/** BullMQ job counts of the pipeline queue and the send lane under a prefix (app's WIJKSTEM_QUEUE_PREFIX). */
export function queueDepth(redisUrl: string, prefix: string): { read: () => Promise<Record<string, number>>; close: () => Promise<void> } {
  assertLoopback(redisUrl, 'REDIS_URL');
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queues = ['pipeline', 'pipeline-send'].map((name) => new Queue(name, { prefix, connection }));
  return {
    read: async () => {
      const total: Record<string, number> = {};
      for (const q of queues) {
        const counts = await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
        for (const [k, v] of Object.entries(counts)) total[k] = (total[k] ?? 0) + v;
      }
      return total;
    },
    close: async () => {
      await Promise.all(queues.map((q) => q.close()));
      await connection.quit();
    },
  };
}
