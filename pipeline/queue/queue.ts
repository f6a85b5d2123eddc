/**
 * The job queue port: what the pipeline needs from a queue, whichever backend runs it.
 *
 * Two implementations pass the same contract suite (test/queue-contract.test.ts): the embedded in-process queue (the
 * default, no Redis needed) and BullMQ on Redis. Delivery is at least once, so handlers must be idempotent; job ids are
 * deterministic (jobs.ts), so enqueueing the same work twice does not run it twice.
 */
import { jobNames, type JobName, type JobPayloads } from '../jobs.ts';

/** One job to add: its name and payload, correlated by name. */
export type JobRequest = { [N in JobName]: { name: N; payload: JobPayloads[N] } }[JobName];

/** What a handler learns about the job it runs, besides its payload. */
export interface JobInfo {
  id: string;
  /** 1 on the first run, 2 on the first retry, and so on. */
  attempt: number;
}

export type JobHandler<N extends JobName> = (payload: JobPayloads[N], job: JobInfo) => Promise<void>;

/** One handler per job in the catalogue; startWorkers checks again at run time, for handlers built dynamically. */
export type JobHandlers = { [N in JobName]: JobHandler<N> };

interface FailedJobOf<N extends JobName> {
  id: string;
  name: N;
  payload: JobPayloads[N];
  /** The message of the error that failed the last attempt. */
  error: string;
  /** Attempts made, the failing one included. */
  attempts: number;
  failedAt: Date;
}

/** A job that failed for good: attempts exhausted or a PermanentJobError. Discriminated by name. */
export type FailedJob = { [N in JobName]: FailedJobOf<N> }[JobName];

export interface QueueCounts {
  waiting: number;
  active: number;
  /** Waiting for a retry after a failed attempt. */
  delayed: number;
  failed: number;
  /** Completed jobs still remembered for deduplication. */
  completed: number;
}

/** Exponential backoff: attempt n failed, so the next one starts backoffMs * 2^(n-1) later. */
export interface RetryPolicy {
  /** Total runs of a job, the first included; 1 means no retries. */
  attempts: number;
  backoffMs: number;
}

export interface StartWorkersOptions {
  /** Jobs run at the same time by this process. Default 1. */
  concurrency?: number;
  /**
   * Called once each time a job fails for good, so the app can mark its signal failed. Awaited before close()
   * resolves; an error it throws goes to the queue's onError.
   */
  onFailed?: (job: FailedJob) => void | Promise<void>;
}

export type QueueHealth = { ok: true } | { ok: false; reason: string };

export interface JobQueue {
  readonly kind: 'in-process' | 'bullmq';
  /**
   * Adds a job under its deterministic id. A job whose id is already known (waiting, delayed, active, failed, or
   * completed and still remembered) is not added again: added is false. Rejects with QueueError 'closed' after close().
   */
  enqueue<N extends JobName>(name: N, payload: JobPayloads[N]): Promise<{ id: string; added: boolean }>;
  /**
   * Adds several jobs at once (BullMQ: one Redis round trip), each under its deterministic id; a job whose id is
   * already known is left as it is. Resolves with the ids; does not report which were new. Rejects like enqueue.
   */
  enqueueMany(jobs: readonly JobRequest[]): Promise<string[]>;
  /**
   * Starts processing. Rejects with MissingJobHandlerError if a job in the catalogue has no handler, and with
   * QueueError 'unavailable' if the backend cannot be reached, so a misconfigured process fails at start-up.
   */
  startWorkers(handlers: JobHandlers, options?: StartWorkersOptions): Promise<void>;
  /** Jobs that failed for good, newest first. */
  failed(): Promise<FailedJob[]>;
  /** Runs a failed job again with a fresh set of attempts. False if no failed job has this id. */
  retryFailed(id: string): Promise<boolean>;
  counts(): Promise<QueueCounts>;
  /** Whether the backend answers; never hangs (bounded by a timeout). Call it at start-up before enqueueing. */
  health(): Promise<QueueHealth>;
  /**
   * Graceful stop: no job starts after close begins, active jobs are awaited (up to closeTimeoutMs), then
   * connections close. Idempotent.
   */
  close(): Promise<void>;
}

/** Options both implementations take. */
export interface QueueBaseOptions {
  retry: RetryPolicy;
  /** How long close() waits for active jobs before giving up on them. Default 30 s. */
  closeTimeoutMs?: number;
  /**
   * Errors no caller can receive: a failing onFailed, a lost Redis connection. Default: console.error, because
   * dropping them would hide a broken pipeline.
   */
  onError?: (error: QueueError) => void;
  /**
   * At most this many jobs of the send lane (jobs.ts sendLaneJobs: WhatsApp sends) start per window, across every
   * worker of the queue. Default defaultSendRate: WhatsApp's 80 messages a second per number.
   */
  sendRate?: RateLimit;
}

/** A start rate: at most `max` jobs per `durationMs`. */
export interface RateLimit {
  max: number;
  durationMs: number;
}

/**
 * A limit of `perSecond` (at least 11) that holds in every one-second span, not just on average: windows of 100 ms
 * of floor(perSecond / 11) starts each. A second touches at most 11 of BullMQ's fixed windows, so even across window
 * edges no second holds more than perSecond; at 80 that is 7 per 100 ms, 70 a second sustained and never a burst.
 */
export function pacedRate(perSecond: number): RateLimit {
  return { max: Math.max(1, Math.floor(perSecond / 11)), durationMs: 100 };
}

/** WhatsApp Cloud API: 80 messages a second per business phone number. */
export const defaultSendRate: RateLimit = pacedRate(80);

export function assertRateLimit(rate: RateLimit): void {
  if (!Number.isInteger(rate.max) || rate.max < 1) throw new RangeError(`sendRate.max must be an integer >= 1, got ${rate.max}`);
  if (!Number.isInteger(rate.durationMs) || rate.durationMs < 1) throw new RangeError(`sendRate.durationMs must be an integer >= 1, got ${rate.durationMs}`);
}

/**
 * Thrown by a handler for a failure retrying cannot fix (the signal is gone, the input is invalid): the job fails at
 * once, without further attempts.
 */
export class PermanentJobError extends Error {
  override readonly name: string = 'PermanentJobError';
}

export type QueueErrorCode =
  | 'closed'
  | 'close-timeout'
  | 'unavailable'
  | 'missing-handler'
  | 'already-started'
  | 'callback'
  | 'backend';

/** Base class for the queue subsystem's own errors. */
export class QueueError extends Error {
  override readonly name: string = 'QueueError';
  readonly code: QueueErrorCode;

  constructor(code: QueueErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export class MissingJobHandlerError extends QueueError {
  override readonly name: string = 'MissingJobHandlerError';
  readonly jobName: string;

  constructor(jobName: string) {
    super('missing-handler', `no handler for job '${jobName}': every job in the catalogue needs one`);
    this.jobName = jobName;
  }
}

// ---- Helpers shared by the implementations (not re-exported by index.ts) ----

export const defaultCloseTimeoutMs = 30_000;

export function isJobName(name: string): name is JobName {
  return (jobNames as readonly string[]).includes(name);
}

/** The start-up check: every job in the catalogue has a handler. */
export function assertHandlers(handlers: JobHandlers): void {
  const given = handlers as Partial<Record<string, unknown>>;
  for (const name of jobNames) {
    if (typeof given[name] !== 'function') throw new MissingJobHandlerError(name);
  }
}

export function assertRetryPolicy(retry: RetryPolicy): void {
  if (!Number.isInteger(retry.attempts) || retry.attempts < 1) {
    throw new RangeError(`retry.attempts must be an integer >= 1, got ${retry.attempts}`);
  }
  if (!Number.isFinite(retry.backoffMs) || retry.backoffMs < 0) {
    throw new RangeError(`retry.backoffMs must be a number >= 0, got ${retry.backoffMs}`);
  }
}

/** Runs the handler for a job whose name was checked but whose payload comes from storage. */
export function runHandler(handlers: JobHandlers, name: JobName, payload: unknown, job: JobInfo): Promise<void> {
  // TypeScript cannot correlate name and payload across the union of handlers, so the payload is passed unchecked:
  // it was written by enqueue for this very name.
  const handler: (payload: never, job: JobInfo) => Promise<void> = handlers[name];
  return handler(payload as never, job);
}

export function toFailedJob(fields: Omit<FailedJobOf<JobName>, 'payload'> & { payload: unknown }): FailedJob {
  return fields as FailedJob;
}

/** An Error for anything a handler may throw, so failure reasons are always strings. */
export function asError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(String(thrown));
}

export function defaultOnError(error: QueueError): void {
  console.error(error);
}

export function assertConcurrency(concurrency: number): void {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be an integer >= 1, got ${concurrency}`);
  }
}

/** Waits for a promise at most ms; the timer never keeps the process alive. */
export async function within<T>(promise: Promise<T>, ms: number): Promise<{ done: true; value: T } | { done: false }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ done: false }>((resolve) => {
    timer = setTimeout(() => {
      resolve({ done: false });
    }, ms).unref();
  });
  try {
    return await Promise.race([promise.then((value) => ({ done: true as const, value })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
