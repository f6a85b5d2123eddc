/**
 * The job queue on BullMQ and Redis: jobs survive restarts and several processes can work one queue.
 *
 * Start-up: call health() before enqueueing. Until Redis has answered once, BullMQ waits for it without limit (the
 * right thing for a Redis that is still booting, but it would hang an enqueue); health() is bounded by a timeout and
 * says why, and startWorkers() runs it itself. After the first connection, commands fail after ioredis's retries.
 */
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { jobId, sendLaneJobs, type JobName, type JobPayloads } from '../jobs.ts';
import {
  asError,
  assertConcurrency,
  assertRateLimit,
  defaultSendRate,
  assertHandlers,
  assertRetryPolicy,
  defaultCloseTimeoutMs,
  defaultOnError,
  isJobName,
  PermanentJobError,
  QueueError,
  runHandler,
  toFailedJob,
  within,
  type FailedJob,
  type JobHandlers,
  type JobQueue,
  type QueueBaseOptions,
  type QueueHealth,
  type StartWorkersOptions,
} from './queue.ts';

export interface BullMqQueueOptions extends QueueBaseOptions {
  /** redis://[user:password@]host:port[/db]; credentials never appear in errors or health reasons. */
  redisUrl: string;
  /** Namespace of every Redis key. Default 'wijkstem'. */
  prefix?: string;
  /** Default 'pipeline'. */
  queueName?: string;
  /**
   * How long completed jobs are kept, so that enqueueing the same work again is still recognised as a duplicate.
   * Default: the last 10,000, at most 7 days old.
   */
  keepCompleted?: { count: number; ageSeconds: number };
  /** How long health() waits for Redis to answer PING. Default 2 s. */
  healthTimeoutMs?: number;
  /** How long enqueue() waits for Redis before it rejects with QueueError 'unavailable'. Default 5 s. */
  enqueueTimeoutMs?: number;
}

type PipelineJob = Job<unknown, void>;

export function createBullMqQueue(options: BullMqQueueOptions): JobQueue {
  assertRetryPolicy(options.retry);
  const prefix = options.prefix ?? 'wijkstem';
  const queueName = options.queueName ?? 'pipeline';
  const keepCompleted = options.keepCompleted ?? { count: 10_000, ageSeconds: 7 * 24 * 3600 };
  const closeTimeoutMs = options.closeTimeoutMs ?? defaultCloseTimeoutMs;
  const healthTimeoutMs = options.healthTimeoutMs ?? 2_000;
  const enqueueTimeoutMs = options.enqueueTimeoutMs ?? 5_000;
  const onError = options.onError ?? defaultOnError;
  const target = describeRedisUrl(options.redisUrl);
  const sendRate = options.sendRate ?? defaultSendRate;
  assertRateLimit(sendRate);

  // ioredis defaults on purpose: reconnect forever, fail a command after 20 retries, so producers do not hang.
  const connection = new Redis(options.redisUrl, { connectionName: `${prefix}:${queueName}:queue` });
  let lastConnectionError: Error | undefined;
  connection.on('error', (error: Error) => {
    lastConnectionError = error;
  });
  connection.on('ready', () => {
    lastConnectionError = undefined;
  });

  const openQueue = (name: string) => {
    const opened = new Queue<unknown, void>(name, {
      connection,
      prefix,
      defaultJobOptions: {
        attempts: options.retry.attempts,
        backoff: { type: 'exponential', delay: options.retry.backoffMs },
        removeOnComplete: { count: keepCompleted.count, age: keepCompleted.ageSeconds },
        // Failed jobs stay until retried or cleaned by an operator: they are the visible failures.
        removeOnFail: false,
      },
    });
    // Without a listener an 'error' event would crash the process.
    opened.on('error', (error) => {
      onError(new QueueError('backend', `BullMQ queue on ${target}: ${error.message}`, { cause: error }));
    });
    return opened;
  };
  const queue = openQueue(queueName);
  // The send lane (jobs.ts sendLaneJobs) is a queue of its own: BullMQ's limiter holds a whole queue, and a feedback
  // batch waiting for its turn must not hold up the analysis of signals.
  const sendQueueName = `${queueName}-send`;
  const sendQueue = openQueue(sendQueueName);
  const queueOf = (name: string) => ((sendLaneJobs as readonly string[]).includes(name) ? sendQueue : queue);
  /** A job id starts with its job name (jobs.ts jobId). */
  const queueOfId = (id: string) => queueOf(id.split('__')[0] ?? '');

  let worker: Worker<unknown, void> | undefined;
  let sendWorker: Worker<unknown, void> | undefined;
  /** The options BullMQ copies for the worker's own connections; it never connects itself. */
  let workerConnection: Redis | undefined;
  let started = false;
  let closing = false;
  let closed: Promise<void> | undefined;
  const pendingCallbacks = new Set<Promise<void>>();

  function assertOpen(): void {
    if (closing) throw new QueueError('closed', `the BullMQ queue '${queueName}' is closed`);
  }

  function assertConnected(): void {
    if (connection.status === 'reconnecting' || connection.status === 'close' || connection.status === 'end') {
      const last = lastConnectionError === undefined ? '' : ` (last error: ${lastConnectionError.message})`;
      throw new QueueError('unavailable', `Redis at ${target} is not connected${last}`);
    }
  }

  async function health(): Promise<QueueHealth> {
    if (closing) return { ok: false, reason: `the BullMQ queue '${queueName}' is closed` };
    try {
      const answer = await within(connection.ping(), healthTimeoutMs);
      if (answer.done) return { ok: true };
      const last = lastConnectionError === undefined ? '' : ` (last error: ${lastConnectionError.message})`;
      return { ok: false, reason: `Redis at ${target} did not answer PING within ${healthTimeoutMs} ms${last}` };
    } catch (thrown) {
      return { ok: false, reason: `Redis at ${target} failed PING: ${asError(thrown).message}` };
    }
  }

  async function processJob(handlers: JobHandlers, job: PipelineJob): Promise<void> {
    if (!isJobName(job.name)) throw new UnrecoverableError(`no job '${job.name}' in this version's catalogue`);
    try {
      await runHandler(handlers, job.name, job.data, {
        id: job.id ?? '',
        attempt: job.attemptsMade + 1,
      });
    } catch (thrown) {
      const error = asError(thrown);
      if (!(error instanceof PermanentJobError)) throw error;
      // BullMQ stops retrying on this error class (matched by name), whatever attempts remain.
      const unrecoverable = new UnrecoverableError(error.message);
      unrecoverable.cause = error;
      throw unrecoverable;
    }
  }

  /** Worker 'failed' fires on every failed attempt; only the last one is a failure of the job. */
  function isFinalFailure(job: PipelineJob, error: Error): boolean {
    return error.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
  }

  function notifyFailed(onFailed: NonNullable<StartWorkersOptions['onFailed']>, job: PipelineJob): void {
    if (!isJobName(job.name)) return;
    const failed = toFailedJobFrom(job, job.name);
    const call = (async () => {
      try {
        await onFailed(failed);
      } catch (thrown) {
        onError(new QueueError('callback', `onFailed threw for job ${failed.id}`, { cause: thrown }));
      }
    })();
    pendingCallbacks.add(call);
    void call.finally(() => pendingCallbacks.delete(call));
  }

  return {
    kind: 'bullmq',

    async enqueue<N extends JobName>(name: N, payload: JobPayloads[N]) {
      assertOpen();
      const id = jobId(name, payload);
      // A producer must never wait on a lost Redis: ioredis would hold the command until it reconnects or gives up
      // (over a minute). Callers keep their data safe elsewhere and retry, so fail fast on a lost connection, and
      // within enqueueTimeoutMs on one that is still connecting or does not answer.
      assertConnected();
      const added = await within(
        (async () => {
          // BullMQ's add is idempotent on jobId but does not report whether it added; this look-up does. Two
          // processes racing on one id may both see added: true, yet the job is stored and run once.
          if ((await queueOf(name).getJob(id)) !== undefined) return false;
          await queueOf(name).add(name, payload, { jobId: id });
          return true;
        })(),
        enqueueTimeoutMs,
      );
      if (!added.done) throw new QueueError('unavailable', `Redis at ${target} did not take job ${id} within ${enqueueTimeoutMs} ms`);
      return { id, added: added.value };
    },

    async enqueueMany(requests) {
      assertOpen();
      if (requests.length === 0) return [];
      assertConnected();
      const jobs = requests.map((r) => ({ name: r.name, data: r.payload, opts: { jobId: jobId(r.name, r.payload) } }));
      // One MULTI for all of them: BullMQ's add keeps a job whose id exists as it is, so duplicates stay single.
      const bulk = Promise.all([queue, sendQueue].map((q) => q.addBulk(jobs.filter((j) => queueOf(j.name) === q))));
      const added = await within(bulk, enqueueTimeoutMs);
      if (!added.done) throw new QueueError('unavailable', `Redis at ${target} did not take ${jobs.length} jobs within ${enqueueTimeoutMs} ms`);
      return jobs.map((j) => j.opts.jobId);
    },

    async startWorkers(handlers, workerOptions = {}) {
      assertOpen();
      assertHandlers(handlers);
      if (started) throw new QueueError('already-started', 'workers were already started');
      const concurrency = workerOptions.concurrency ?? 1;
      assertConcurrency(concurrency);
      started = true;

      const reachable = await health();
      if (!reachable.ok) throw new QueueError('unavailable', `cannot start workers: ${reachable.reason}`);
      assertOpen();

      // Workers block on Redis: BullMQ requires maxRetriesPerRequest null. lazyConnect: BullMQ duplicates it.
      workerConnection = new Redis(options.redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
      const running = new Worker<unknown, void>(queueName, (job) => processJob(handlers, job), {
        connection: workerConnection,
        prefix,
        concurrency,
      });
      worker = running;
      // BullMQ's limiter counts in Redis, so the rate holds across every worker process of this queue.
      const sending = new Worker<unknown, void>(sendQueueName, (job) => processJob(handlers, job), {
        connection: workerConnection,
        prefix,
        concurrency,
        limiter: { max: sendRate.max, duration: sendRate.durationMs },
      });
      sendWorker = sending;
      const { onFailed } = workerOptions;
      for (const w of [running, sending]) {
        w.on('error', (error) => {
          onError(new QueueError('backend', `BullMQ worker on ${target}: ${error.message}`, { cause: error }));
        });
        if (onFailed !== undefined) {
          w.on('failed', (job, error) => {
            if (job !== undefined && isFinalFailure(job, error)) notifyFailed(onFailed, job);
          });
        }
      }
      await Promise.all([running.waitUntilReady(), sending.waitUntilReady()]);
    },

    async failed() {
      assertOpen();
      const jobs = (await Promise.all([queue.getFailed(0, -1), sendQueue.getFailed(0, -1)])).flat();
      jobs.sort((a, b) => (b.finishedOn ?? 0) - (a.finishedOn ?? 0));
      // A job name unknown to this version cannot be typed; it still shows in counts().failed.
      return jobs.flatMap((job) => (isJobName(job.name) ? [toFailedJobFrom(job, job.name)] : []));
    },

    async retryFailed(id) {
      assertOpen();
      const job = await queueOfId(id).getJob(id);
      if (job === undefined || !(await job.isFailed())) return false;
      try {
        await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      } catch (thrown) {
        // Another caller retried it first.
        if (!(await job.isFailed())) return false;
        throw thrown;
      }
      return true;
    },

    async counts() {
      assertOpen();
      const lanes = await Promise.all([queue, sendQueue].map((q) => q.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed', 'completed')));
      const count = (type: string) => lanes.reduce((sum, counts) => sum + (counts[type] ?? 0), 0);
      return {
        waiting: count('waiting') + count('prioritized'),
        active: count('active'),
        delayed: count('delayed'),
        failed: count('failed'),
        completed: count('completed'),
      };
    },

    health,

    close() {
      closed ??= (async () => {
        closing = true;
        const workers = [worker, sendWorker].filter((w) => w !== undefined);
        if (workers.length > 0) {
          // pause() stops fetching and waits for active jobs; close(true) then drops what is still running, which
          // BullMQ hands to another worker as a stalled job.
          const drained = await within(Promise.all(workers.map((w) => w.pause())), closeTimeoutMs).catch(() => ({ done: false as const }));
          if (!drained.done) {
            const message = `close gave up waiting for active jobs after ${closeTimeoutMs} ms`;
            onError(new QueueError('close-timeout', message));
          }
          await Promise.all(workers.map((w) => w.close(!drained.done)));
        }
        await Promise.all(pendingCallbacks);
        await Promise.all([queue.close(), sendQueue.close()]);
        await disconnect(connection);
        workerConnection?.disconnect();
      })();
      return closed;
    },
  };
}

function toFailedJobFrom(job: PipelineJob, name: JobName): FailedJob {
  return toFailedJob({
    id: job.id ?? '',
    name,
    payload: job.data,
    error: job.failedReason,
    attempts: job.attemptsMade,
    failedAt: new Date(job.finishedOn ?? Date.now()),
  });
}

/** Quits politely when connected; otherwise drops the connection instead of waiting for one. */
async function disconnect(redis: Redis): Promise<void> {
  if (redis.status === 'ready') {
    await redis.quit().catch(() => {
      redis.disconnect();
    });
  } else {
    redis.disconnect();
  }
}

/** scheme://host:port/db, without credentials. */
function describeRedisUrl(redisUrl: string): string {
  try {
    const url = new URL(redisUrl);
    return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  } catch {
    return '(an invalid Redis URL)';
  }
}
