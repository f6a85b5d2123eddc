/**
 * The embedded queue: jobs live in this process's memory. The default when no Redis is configured.
 *
 * Jobs not finished when the process stops are lost; the app's start-up sweep re-enqueues unfinished signals, and
 * deterministic ids make that safe. Completed ids are remembered (bounded) so duplicates stay deduplicated.
 */
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
  PermanentJobError,
  QueueError,
  runHandler,
  toFailedJob,
  within,
  type FailedJob,
  type JobHandlers,
  type JobQueue,
  type QueueBaseOptions,
  type QueueCounts,
  type RateLimit,
  type StartWorkersOptions,
} from './queue.ts';

export interface InProcessQueueOptions extends QueueBaseOptions {
  /** How many completed job ids to remember for deduplication. Default 10,000. */
  keepCompleted?: number;
}

interface Failure {
  error: string;
  at: Date;
  /** Orders failures that share a millisecond. */
  seq: number;
}

interface StoredJob {
  id: string;
  name: JobName;
  payload: unknown;
  state: 'waiting' | 'delayed' | 'active' | 'failed';
  /** Failed attempts so far. */
  attemptsMade: number;
  retryTimer?: NodeJS.Timeout;
  /** Set exactly while the job is failed. */
  failure?: Failure;
}

interface Workers {
  handlers: JobHandlers;
  concurrency: number;
  onFailed: StartWorkersOptions['onFailed'];
}

export function createInProcessQueue(options: InProcessQueueOptions): JobQueue {
  assertRetryPolicy(options.retry);
  const { retry } = options;
  const keepCompleted = options.keepCompleted ?? 10_000;
  const closeTimeoutMs = options.closeTimeoutMs ?? defaultCloseTimeoutMs;
  const onError = options.onError ?? defaultOnError;
  const sendRate = options.sendRate ?? defaultSendRate;
  assertRateLimit(sendRate);

  /** Every job not completed: waiting, delayed, active and failed. */
  const jobs = new Map<string, StoredJob>();
  const waiting = waitingLanes(sendRate, () => {
    pump();
  });
  /** Completed ids, oldest first (a Set keeps insertion order). */
  const completed = new Set<string>();
  const running = new Set<Promise<void>>();
  let workers: Workers | undefined;
  let closing = false;
  let closed: Promise<void> | undefined;
  let failureSeq = 0;

  function rememberCompleted(id: string): void {
    completed.add(id);
    for (const oldest of completed) {
      if (completed.size <= keepCompleted) break;
      completed.delete(oldest);
    }
  }

  function pump(): void {
    const w = workers;
    if (w === undefined || closing) return;
    while (running.size < w.concurrency) {
      const job = waiting.shift();
      if (job === undefined) return;
      const run = execute(job, w).finally(() => {
        running.delete(run);
        pump();
      });
      running.add(run);
    }
  }

  /** Runs one attempt. Never rejects: every outcome is recorded on the job. */
  async function execute(job: StoredJob, w: Workers): Promise<void> {
    job.state = 'active';
    const attempt = job.attemptsMade + 1;
    try {
      await runHandler(w.handlers, job.name, job.payload, { id: job.id, attempt });
      jobs.delete(job.id);
      rememberCompleted(job.id);
      return;
    } catch (thrown) {
      const error = asError(thrown);
      job.attemptsMade = attempt;
      if (!(error instanceof PermanentJobError) && attempt < retry.attempts) {
        scheduleRetry(job, retry.backoffMs * 2 ** (attempt - 1));
        return;
      }
      job.state = 'failed';
      job.failure = { error: error.message, at: new Date(), seq: ++failureSeq };
    }
    if (w.onFailed === undefined) return;
    try {
      await w.onFailed(failedJob(job, job.failure));
    } catch (thrown) {
      onError(new QueueError('callback', `onFailed threw for job ${job.id}`, { cause: thrown }));
    }
  }

  function scheduleRetry(job: StoredJob, delayMs: number): void {
    job.state = 'delayed';
    // After close begins nothing starts again; the job stays delayed until the process ends.
    if (closing) return;
    job.retryTimer = setTimeout(() => {
      job.retryTimer = undefined;
      job.state = 'waiting';
      waiting.push(job);
      pump();
    }, delayMs).unref();
  }

  function failedJob(job: StoredJob, failure: Failure): FailedJob {
    return toFailedJob({
      id: job.id,
      name: job.name,
      payload: structuredClone(job.payload),
      error: failure.error,
      attempts: job.attemptsMade,
      failedAt: failure.at,
    });
  }

  function assertOpen(): void {
    if (closing) throw new QueueError('closed', 'the in-process queue is closed');
  }

  return {
    kind: 'in-process',

    enqueue: <N extends JobName>(name: N, payload: JobPayloads[N]) =>
      settle(() => {
        assertOpen();
        const id = jobId(name, payload);
        if (jobs.has(id) || completed.has(id)) return { id, added: false };
        // A copy, as a Redis-backed queue would store: later changes by the caller must not reach the handler.
        const job: StoredJob = { id, name, payload: structuredClone(payload), state: 'waiting', attemptsMade: 0 };
        jobs.set(id, job);
        waiting.push(job);
        pump();
        return { id, added: true };
      }),

    enqueueMany: (requests) =>
      settle(() => {
        assertOpen();
        const ids = requests.map((r) => {
          const id = jobId(r.name, r.payload);
          if (jobs.has(id) || completed.has(id)) return id;
          const job: StoredJob = { id, name: r.name, payload: structuredClone(r.payload), state: 'waiting', attemptsMade: 0 };
          jobs.set(id, job);
          waiting.push(job);
          return id;
        });
        pump();
        return ids;
      }),

    startWorkers: (handlers, workerOptions = {}) =>
      settle(() => {
        assertOpen();
        assertHandlers(handlers);
        if (workers !== undefined) throw new QueueError('already-started', 'workers were already started');
        const concurrency = workerOptions.concurrency ?? 1;
        assertConcurrency(concurrency);
        workers = { handlers, concurrency, onFailed: workerOptions.onFailed };
        pump();
      }),

    failed: () =>
      settle(() => {
        assertOpen();
        return [...jobs.values()]
          .flatMap((job) => (job.failure === undefined ? [] : [{ job, failure: job.failure }]))
          .sort((a, b) => b.failure.seq - a.failure.seq)
          .map(({ job, failure }) => failedJob(job, failure));
      }),

    retryFailed: (id) =>
      settle(() => {
        assertOpen();
        const job = jobs.get(id);
        if (job?.state !== 'failed') return false;
        job.state = 'waiting';
        job.attemptsMade = 0;
        job.failure = undefined;
        waiting.push(job);
        pump();
        return true;
      }),

    counts: () =>
      settle(() => {
        assertOpen();
        const counts: QueueCounts = { waiting: 0, active: 0, delayed: 0, failed: 0, completed: completed.size };
        for (const job of jobs.values()) counts[job.state] += 1;
        return counts;
      }),

    health: () => Promise.resolve(closing ? { ok: false, reason: 'the in-process queue is closed' } : { ok: true }),

    close: () => {
      closed ??= (async () => {
        closing = true;
        for (const job of jobs.values()) clearTimeout(job.retryTimer);
        const finished = await within(Promise.all(running), closeTimeoutMs);
        if (!finished.done) {
          const message = `close gave up after ${closeTimeoutMs} ms with ${running.size} job(s) active`;
          onError(new QueueError('close-timeout', message));
        }
      })();
      return closed;
    },
  };
}

/** Runs synchronous work as a promise, so its throws become rejections as they would with an async backend. */
function settle<T>(work: () => T): Promise<T> {
  return new Promise((resolve) => {
    resolve(work());
  });
}

/**
 * The waiting jobs in two lanes. The send lane starts at most rate.max jobs in any rate.durationMs (a sliding window,
 * stricter than BullMQ's fixed one) and goes first when it may: its jobs are residents' replies. When it is at its
 * limit, the pipeline lane runs on and `wake` is called once the window has room again.
 */
function waitingLanes(rate: RateLimit, wake: () => void): { push(job: StoredJob): void; shift(): StoredJob | undefined } {
  const pipeline: StoredJob[] = [];
  const sends: StoredJob[] = [];
  /** Start times of the send lane's jobs within the last window, oldest first; at most rate.max. */
  const starts: number[] = [];
  let timer: NodeJS.Timeout | undefined;

  function sendAllowed(): boolean {
    const now = Date.now();
    while (starts.length > 0 && (starts[0] ?? 0) <= now - rate.durationMs) starts.shift();
    if (starts.length < rate.max) return true;
    if (timer === undefined) {
      timer = setTimeout(
        () => {
          timer = undefined;
          wake();
        },
        (starts[0] ?? now) + rate.durationMs - now,
      ).unref();
    }
    return false;
  }

  return {
    push(job) {
      (sendLaneJobs.includes(job.name) ? sends : pipeline).push(job);
    },
    shift() {
      if (sends.length > 0 && sendAllowed()) {
        starts.push(Date.now());
        return sends.shift();
      }
      return pipeline.shift();
    },
  };
}
