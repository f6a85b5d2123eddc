/**
 * The queue contract: one suite that every JobQueue implementation passes, the embedded one and BullMQ on real Redis.
 *
 * The catalogue has one job, so test behaviour is steered per signalId (harness.behave) instead of by fake jobs.
 * Waiting is done by polling (vi.waitFor), never by sleeping for an expected duration.
 */
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { deleteRedisKeys } from './support/redis.ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createBullMqQueue,
  createInProcessQueue,
  createQueue,
  MissingJobHandlerError,
  PermanentJobError,
  type FailedJob,
  type JobHandlers,
  type JobQueue,
  type QueueError,
  type RateLimit,
  type RetryPolicy,
} from '../pipeline/queue/index.ts';
import { redisUrl, uniqueName } from './support/services.ts';

const backoffMs = 20;
const fastRetry: RetryPolicy = { attempts: 3, backoffMs };
/** Timer slack: Node may fire a timer up to a millisecond before performance.now() says it is due. */
const slackMs = 2;
/** A test that fails with a job still held must not wait the production 30 s in afterEach. */
const closeTimeoutMs = 5_000;

/** One backend, fresh per test: make() opens queues on the test's own namespace, cleanup() removes it. */
interface QueueFixture {
  make(retry: RetryPolicy, onError: (error: QueueError) => void, extra?: { sendRate?: RateLimit }): JobQueue;
  cleanup(): Promise<void>;
}

type Behaviour = (run: { attempt: number; call: number }) => void | Promise<void>;

interface Call {
  signalId: string;
  id: string;
  attempt: number;
  at: number;
}

/** Handlers that record every call and do what the test asked for that signal; by default they succeed. */
function harness() {
  const calls: Call[] = [];
  const behaviours = new Map<string, Behaviour>();
  const failures: FailedJob[] = [];
  const handlers: JobHandlers = {
    'signal.received': async ({ signalId }, job) => {
      const call = calls.filter((c) => c.signalId === signalId).length + 1;
      calls.push({ signalId, id: job.id, attempt: job.attempt, at: performance.now() });
      await behaviours.get(signalId)?.({ attempt: job.attempt, call });
    },
    // Not exercised here: the contract is the same for every job name.
    'conversation.turn': () => Promise.resolve(),
    'message.send': () => Promise.resolve(),
    'clusters.recluster': () => Promise.resolve(),
    'privacy.retention': () => Promise.resolve(),
    'feedback.fanout': () => Promise.resolve(),
    'poll.fanout': () => Promise.resolve(),
  };
  return {
    handlers,
    failures,
    onFailed: (job: FailedJob) => {
      failures.push(job);
    },
    behave: (signalId: string, behaviour: Behaviour) => behaviours.set(signalId, behaviour),
    callsFor: (signalId: string) => calls.filter((c) => c.signalId === signalId),
  };
}

function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

/** Polls until the assertion holds; generous for a busy 2-core machine, quick when things work. */
function eventually<T>(check: () => T | Promise<T>): Promise<T> {
  return vi.waitFor(check, { timeout: 10_000, interval: 10 });
}

const idOf = (signalId: string) => `signal.received__${signalId}`;
const signal = (signalId: string) => ({ signalId });

function queueContract(name: string, makeFixture: () => QueueFixture, options: { skip?: boolean } = {}) {
  describe.skipIf(options.skip === true)(name, () => {
    let fixture: QueueFixture;
    let opened: JobQueue[];
    let errors: QueueError[];

    function open(retry: RetryPolicy = fastRetry, extra?: { sendRate?: RateLimit }): JobQueue {
      const queue = fixture.make(retry, (error) => errors.push(error), extra);
      opened.push(queue);
      return queue;
    }

    beforeEach(() => {
      fixture = makeFixture();
      opened = [];
      errors = [];
    });

    afterEach(async () => {
      try {
        await Promise.all(opened.map((queue) => queue.close()));
        expect(errors).toEqual([]);
      } finally {
        await fixture.cleanup();
      }
    });

    it('delivers the payload to its handler, with the deterministic id and attempt 1', async () => {
      const queue = open();
      const h = harness();
      await queue.startWorkers(h.handlers);

      const result = await queue.enqueue('signal.received', signal('sig-1'));

      expect(result).toEqual({ id: idOf('sig-1'), added: true });
      await eventually(() => expect(h.callsFor('sig-1')).toHaveLength(1));
      expect(h.callsFor('sig-1')[0]).toMatchObject({ id: idOf('sig-1'), attempt: 1 });
      await eventually(async () => expect((await queue.counts()).completed).toBe(1));
    });

    it('retries a failing job with growing backoff until it succeeds', async () => {
      const queue = open();
      const h = harness();
      h.behave('flaky', ({ call }) => {
        if (call <= 2) throw new Error(`transient failure ${call}`);
      });
      await queue.startWorkers(h.handlers, { onFailed: h.onFailed });

      await queue.enqueue('signal.received', signal('flaky'));

      await eventually(async () => expect((await queue.counts()).completed).toBe(1));
      const calls = h.callsFor('flaky');
      expect(calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
      const [first, second, third] = calls.map((c) => c.at) as [number, number, number];
      expect(second - first).toBeGreaterThanOrEqual(backoffMs - slackMs);
      expect(third - second).toBeGreaterThanOrEqual(2 * backoffMs - slackMs);
      expect(h.failures).toEqual([]);
      expect(await queue.failed()).toEqual([]);
    });

    it('does not add a job whose id is known, also after it completed', async () => {
      const queue = open();
      const h = harness();

      const first = await queue.enqueue('signal.received', signal('dup'));
      const second = await queue.enqueue('signal.received', signal('dup'));
      expect(first).toEqual({ id: idOf('dup'), added: true });
      expect(second).toEqual({ id: idOf('dup'), added: false });
      expect((await queue.counts()).waiting).toBe(1);

      await queue.startWorkers(h.handlers);
      await eventually(async () => expect((await queue.counts()).completed).toBe(1));
      expect(await queue.enqueue('signal.received', signal('dup'))).toEqual({ id: idOf('dup'), added: false });

      // Jobs run one at a time in order, so once 'other' has run a re-added 'dup' would have run too.
      expect(await queue.enqueue('signal.received', signal('other'))).toEqual({ id: idOf('other'), added: true });
      await eventually(() => expect(h.callsFor('other')).toHaveLength(1));
      expect(h.callsFor('dup')).toHaveLength(1);
    });

    it('enqueueMany adds several jobs at once, each once, and runs them', async () => {
      const queue = open();
      const h = harness();
      const ids = await queue.enqueueMany([
        { name: 'signal.received', payload: signal('many-1') },
        { name: 'signal.received', payload: signal('many-2') },
        { name: 'signal.received', payload: signal('many-1') },
      ]);
      expect(ids).toEqual([idOf('many-1'), idOf('many-2'), idOf('many-1')]);
      expect((await queue.counts()).waiting).toBe(2);
      await queue.startWorkers(h.handlers);
      await eventually(async () => expect((await queue.counts()).completed).toBe(2));
      await queue.enqueueMany([{ name: 'signal.received', payload: signal('many-2') }]);
      await new Promise((r) => setTimeout(r, 100));
      expect([h.callsFor('many-1').length, h.callsFor('many-2').length]).toEqual([1, 1]);
    });

    it('fails a job at once on PermanentJobError, visible in failed() and reported once', async () => {
      const queue = open();
      const h = harness();
      h.behave('gone', () => {
        throw new PermanentJobError('signal gone is deleted');
      });
      await queue.startWorkers(h.handlers, { onFailed: h.onFailed });

      await queue.enqueue('signal.received', signal('gone'));

      await eventually(() => expect(h.failures).toHaveLength(1));
      // Failed, not delayed: no attempt is left to come.
      expect(await queue.counts()).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 1, completed: 0 });
      const expected = {
        id: idOf('gone'),
        name: 'signal.received',
        payload: signal('gone'),
        error: 'signal gone is deleted',
        attempts: 1,
      };
      expect(h.failures[0]).toMatchObject(expected);
      const failed = await queue.failed();
      expect(failed).toEqual([{ ...expected, failedAt: expect.any(Date) as Date }]);
      expect(h.callsFor('gone')).toHaveLength(1);
    });

    it('fails a job when its attempts are exhausted; retryFailed runs it again with fresh attempts', async () => {
      const queue = open();
      const h = harness();
      h.behave('broken', ({ call }) => {
        if (call <= 3) throw new Error(`still broken (${call})`);
      });
      await queue.startWorkers(h.handlers, { onFailed: h.onFailed });

      await queue.enqueue('signal.received', signal('broken'));

      await eventually(() => expect(h.failures).toHaveLength(1));
      expect(await queue.counts()).toMatchObject({ delayed: 0, failed: 1, completed: 0 });
      expect(await queue.failed()).toMatchObject([{ id: idOf('broken'), error: 'still broken (3)', attempts: 3 }]);
      expect(h.callsFor('broken').map((c) => c.attempt)).toEqual([1, 2, 3]);

      expect(await queue.retryFailed(idOf('broken'))).toBe(true);

      await eventually(async () => expect((await queue.counts()).completed).toBe(1));
      expect(h.callsFor('broken').map((c) => c.attempt)).toEqual([1, 2, 3, 1]);
      expect(await queue.failed()).toEqual([]);
      expect(h.failures).toHaveLength(1);
      expect(await queue.retryFailed(idOf('broken'))).toBe(false);
      expect(await queue.retryFailed(idOf('never-enqueued'))).toBe(false);
    });

    it('closes gracefully: waits for the active job and starts no other', async () => {
      const queue = open();
      const h = harness();
      const slow = gate();
      const events: string[] = [];
      h.behave('slow', async () => {
        await slow.opened;
        events.push('slow finished');
      });
      await queue.startWorkers(h.handlers, { concurrency: 1 });
      await queue.enqueue('signal.received', signal('slow'));
      await queue.enqueue('signal.received', signal('next'));
      await eventually(() => expect(h.callsFor('slow')).toHaveLength(1));

      const closed = queue.close().then(() => events.push('closed'));
      // Give a close that does not wait the time to resolve early.
      await sleep(50);
      expect(events).toEqual([]);
      slow.open();
      await closed;

      expect(events).toEqual(['slow finished', 'closed']);
      expect(h.callsFor('next')).toHaveLength(0);
      expect(await queue.health()).toMatchObject({ ok: false });
      await expect(queue.enqueue('signal.received', signal('late'))).rejects.toMatchObject({ code: 'closed' });
      await queue.close();
    });

    it('refuses to start workers when a job in the catalogue has no handler', async () => {
      const queue = open();
      const h = harness();

      const missing = queue.startWorkers({} as JobHandlers);

      await expect(missing).rejects.toThrow(MissingJobHandlerError);
      await expect(missing).rejects.toMatchObject({
        name: 'MissingJobHandlerError',
        code: 'missing-handler',
        jobName: 'signal.received',
        message: expect.stringContaining("'signal.received'") as string,
      });
      await queue.startWorkers(h.handlers);
      await expect(queue.startWorkers(h.handlers)).rejects.toMatchObject({ code: 'already-started' });
    });

    it('counts waiting, active, delayed, failed and completed jobs', async () => {
      const queue = open({ attempts: 2, backoffMs: 60_000 });
      const h = harness();
      const held = gate();
      h.behave('held', () => held.opened);
      h.behave('gone', () => {
        throw new PermanentJobError('gone');
      });
      h.behave('later', () => {
        throw new Error('try again in a minute');
      });

      for (const id of ['held', 'gone', 'later']) await queue.enqueue('signal.received', signal(id));
      expect(await queue.counts()).toEqual({ waiting: 3, active: 0, delayed: 0, failed: 0, completed: 0 });

      await queue.startWorkers(h.handlers, { concurrency: 3 });
      await eventually(async () =>
        expect(await queue.counts()).toEqual({ waiting: 0, active: 1, delayed: 1, failed: 1, completed: 0 }),
      );

      held.open();
      await eventually(async () =>
        expect(await queue.counts()).toEqual({ waiting: 0, active: 0, delayed: 1, failed: 1, completed: 1 }),
      );
    });

    it('starts at most sendRate.max sends per window, while other jobs run on', async () => {
      const rate: RateLimit = { max: 4, durationMs: 300 };
      const queue = open(fastRetry, { sendRate: rate });
      const h = harness();
      const starts: number[] = [];
      const handlers: JobHandlers = {
        ...h.handlers,
        'message.send': () => {
          starts.push(performance.now());
          return Promise.resolve();
        },
      };
      await queue.startWorkers(handlers, { concurrency: 4 });
      const n = 24;
      for (let i = 0; i < n; i += 1) await queue.enqueue('message.send', { messageId: `m-${i}` });
      await queue.enqueue('signal.received', signal('not-held'));
      // The analysis job runs while the batch waits for its windows (the batch needs at least 5 of them).
      await eventually(() => expect(h.callsFor('not-held')).toHaveLength(1));
      expect(starts.length).toBeLessThan(n);
      await eventually(() => expect(starts).toHaveLength(n));
      // Counted generously: BullMQ's window is fixed, so any span of one window length may see two windows' worth.
      for (const t of starts) expect(starts.filter((u) => u >= t && u < t + rate.durationMs - slackMs).length).toBeLessThanOrEqual(2 * rate.max);
      // And a lower bound that load can only make longer: 24 starts at 4 a window span at least 5 windows.
      const first = starts[0] ?? 0;
      const last = starts.at(-1) ?? 0;
      expect(last - first).toBeGreaterThanOrEqual((n / rate.max - 1) * rate.durationMs - 10 * slackMs);
    });

    it('refuses a send rate that is not a positive whole number', () => {
      expect(() => open(fastRetry, { sendRate: { max: 0, durationMs: 1000 } })).toThrow(RangeError);
    });

    it('reports itself healthy while open', async () => {
      const queue = open();
      expect(await queue.health()).toEqual({ ok: true });
    });
  });
}

queueContract('in-process queue', () => ({
  make: (retry, onError, extra) => createInProcessQueue({ retry, onError, closeTimeoutMs, ...extra }),
  cleanup: () => Promise.resolve(),
}));

queueContract(
  'BullMQ queue',
  () => {
    if (redisUrl === undefined) throw new Error('unreachable: the suite is skipped without REDIS_URL');
    return bullMqFixture(redisUrl);
  },
  { skip: redisUrl === undefined },
);

function bullMqFixture(url: string): QueueFixture {
  const prefix = uniqueName('wijkstem_test');
  return {
    make: (retry, onError, extra) => createBullMqQueue({ redisUrl: url, prefix, retry, onError, closeTimeoutMs, ...extra }),
    cleanup: () => deleteRedisKeys(url, `${prefix}:*`),
  };
}


describe('BullMQ queue without a reachable Redis', () => {
  it('says why in health(), refuses to start workers, and closes without hanging', async () => {
    const errors: QueueError[] = [];
    const queue = createBullMqQueue({
      redisUrl: 'redis://wijkstem:secret@127.0.0.1:1',
      prefix: uniqueName('wijkstem_test'),
      retry: fastRetry,
      healthTimeoutMs: 300,
      onError: (error) => errors.push(error),
    });
    try {
      const health = await queue.health();
      expect(health).toMatchObject({ ok: false, reason: expect.stringContaining('redis://127.0.0.1:1') as string });
      expect(JSON.stringify(health)).not.toContain('secret');
      await expect(queue.startWorkers(harness().handlers)).rejects.toMatchObject({ code: 'unavailable' });
    } finally {
      await queue.close();
    }
  });
});

describe.skipIf(redisUrl === undefined)('BullMQ when Redis goes away', () => {
  it('enqueue rejects as unavailable instead of hanging, so a producer can answer and let the sweep requeue', async () => {
    // A Redis of this test's own, so stopping it disturbs no other suite.
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
    const exited = new Promise((resolve) => server.on('exit', resolve));
    const queue = createBullMqQueue({
      redisUrl: `redis://127.0.0.1:${port}`,
      prefix: uniqueName('wijkstem_test'),
      retry: fastRetry,
      enqueueTimeoutMs: 1_000,
      onError: () => undefined,
    });
    try {
      await vi.waitFor(async () => expect(await queue.health()).toEqual({ ok: true }), { timeout: 10_000, interval: 100 });
      expect(await queue.enqueue('signal.received', { signalId: 'before' })).toMatchObject({ added: true });
      server.kill('SIGKILL');
      await exited;
      await expect(queue.enqueue('signal.received', { signalId: 'after' })).rejects.toMatchObject({ name: 'QueueError', code: 'unavailable' });
      expect(await queue.health()).toMatchObject({ ok: false });
    } finally {
      server.kill('SIGKILL');
      await queue.close();
    }
  });
});

describe('createQueue', () => {
  it('chooses BullMQ when a Redis URL is given and the in-process queue otherwise', async () => {
    const inProcess = createQueue({ retry: fastRetry, redisUrl: '' });
    const bullmq = createQueue({ retry: fastRetry, redisUrl: 'redis://127.0.0.1:1', onError: () => undefined });
    try {
      expect(inProcess.kind).toBe('in-process');
      expect(bullmq.kind).toBe('bullmq');
    } finally {
      await Promise.all([inProcess.close(), bullmq.close()]);
    }
  });
});
