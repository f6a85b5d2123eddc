/**
 * The job catalogue: every job the pipeline knows, its payload and its deterministic id.
 *
 * Payloads carry ids only, never message text or contact data (DESIGN.md, privacy): a job payload ends up in Redis,
 * in logs and in failure reports. A job's id is derived from its payload, so enqueueing the same work twice (a
 * webhook redelivery, a start-up sweep) is a no-op instead of a second run.
 */
export interface JobPayloads {
  /** A signal was stored; take it into the pipeline. */
  'signal.received': { signalId: string };
  /** An outbound message was stored; send it on its channel (WhatsApp). The id only: never text or a number. */
  'message.send': { messageId: string };
  /**
   * Periodic re-clustering of one municipality's live clusters (merge those grown alike). `window` (e.g. the hour,
   * reclusterPayload) makes the id periodic: once per window, however often it is enqueued.
   */
  'clusters.recluster': { municipalityCode: string; window: string };
}

export type JobName = keyof JobPayloads;

export const jobNames = ['signal.received', 'message.send', 'clusters.recluster'] as const satisfies readonly JobName[];

/** The part of a job id that makes it unique within its name. */
const jobKeys: { [N in JobName]: (payload: JobPayloads[N]) => string } = {
  'signal.received': (p) => p.signalId,
  'message.send': (p) => p.messageId,
  'clusters.recluster': (p) => `${p.municipalityCode}__${p.window}`.replaceAll(':', '-'),
};

/** The re-clustering job of a municipality for the hour of `now`: enqueue it as often as you like, it runs once an hour. */
export function reclusterPayload(municipalityCode: string, now = new Date()): JobPayloads['clusters.recluster'] {
  return { municipalityCode, window: now.toISOString().slice(0, 13) };
}

/** Deterministic job id. BullMQ forbids ':' in custom ids, so the separator is '__'. */
export function jobId<N extends JobName>(name: N, payload: JobPayloads[N]): string {
  return `${name}__${jobKeys[name](payload)}`;
}
