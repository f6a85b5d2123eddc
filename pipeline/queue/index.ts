/** The job queue: the port, its two implementations, and the factory the app uses. */
import { createBullMqQueue, type BullMqQueueOptions } from './bullmq.ts';
import { createInProcessQueue, type InProcessQueueOptions } from './in-process.ts';
import type { JobQueue, QueueBaseOptions } from './queue.ts';

export {
  MissingJobHandlerError,
  PermanentJobError,
  QueueError,
  defaultSendRate,
  pacedRate,
  type FailedJob,
  type JobHandler,
  type JobHandlers,
  type JobInfo,
  type JobQueue,
  type JobRequest,
  type QueueBaseOptions,
  type QueueCounts,
  type QueueErrorCode,
  type QueueHealth,
  type RateLimit,
  type RetryPolicy,
  type StartWorkersOptions,
} from './queue.ts';
export { createBullMqQueue, type BullMqQueueOptions } from './bullmq.ts';
export { createInProcessQueue, type InProcessQueueOptions } from './in-process.ts';

export interface QueueConfig extends QueueBaseOptions {
  /** Set: BullMQ on this Redis. Unset or empty: the in-process queue. */
  redisUrl?: string | undefined;
  bullmq?: Omit<BullMqQueueOptions, keyof QueueBaseOptions | 'redisUrl'>;
  inProcess?: Omit<InProcessQueueOptions, keyof QueueBaseOptions>;
}

/** Chooses the backend by whether a Redis URL is configured. Call health() on the result at start-up. */
export function createQueue(config: QueueConfig): JobQueue {
  const { redisUrl, bullmq, inProcess, ...base } = config;
  if (redisUrl !== undefined && redisUrl !== '') return createBullMqQueue({ ...bullmq, ...base, redisUrl });
  return createInProcessQueue({ ...inProcess, ...base });
}
