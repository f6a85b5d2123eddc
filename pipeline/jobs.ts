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
  /**
   * An inbound WhatsApp message was stored (the webhook answered 200); run the conversation on it and store the reply.
   * The id only: never text or a number.
   */
  'conversation.turn': { messageId: string };
  /** An outbound message was stored; send it on its channel (WhatsApp). The id only: never text or a number. */
  'message.send': { messageId: string };
  /**
   * Periodic re-clustering of one municipality's live clusters (merge those grown alike). `window` (e.g. the hour,
   * reclusterPayload) makes the id periodic: once per window, however often it is enqueued.
   */
  'clusters.recluster': { municipalityCode: string; window: string };
  /**
   * The daily retention run of one municipality (pipeline/workers/retention.ts): raw text and old contact data
   * removed. `day` (YYYY-MM-DD, retentionPayload) makes the id daily: once a day, however often it is enqueued.
   * `part` numbers the follow-up runs of a day whose backlog was larger than one run's batch limit.
   */
  'privacy.retention': { municipalityCode: string; day: string; part?: number };
  /**
   * An agenda item was reported back: store one feedback message per resident who asked to hear back and queue the
   * sends. The delivery rows make a rerun (retry, resume after a crash) send nobody anything twice.
   */
  'feedback.fanout': { agendaItemId: string };
  /** A flash poll was sent: store one poll message per resident of its audience and queue the sends (as feedback). */
  'poll.fanout': { pollId: string };
}

export type JobName = keyof JobPayloads;

export const jobNames = ['signal.received', 'conversation.turn', 'message.send', 'clusters.recluster', 'privacy.retention', 'feedback.fanout', 'poll.fanout'] as const satisfies readonly JobName[];

/**
 * Jobs that run in the rate-limited send lane (QueueBaseOptions.sendRate): WhatsApp allows one number a limited number
 * of messages a second. They wait in a lane of their own, so a feedback batch never holds up the analysis of signals.
 */
export const sendLaneJobs: readonly JobName[] = ['message.send'];

/** The part of a job id that makes it unique within its name. */
const jobKeys: { [N in JobName]: (payload: JobPayloads[N]) => string } = {
  'signal.received': (p) => p.signalId,
  'conversation.turn': (p) => p.messageId,
  'message.send': (p) => p.messageId,
  'clusters.recluster': (p) => `${p.municipalityCode}__${p.window}`.replaceAll(':', '-'),
  'privacy.retention': (p) => `${p.municipalityCode}__${p.day}${p.part ? `__${p.part}` : ''}`,
  'feedback.fanout': (p) => p.agendaItemId,
  'poll.fanout': (p) => p.pollId,
};

/** The re-clustering job of a municipality for the hour of `now`: enqueue it as often as you like, it runs once an hour. */
export function reclusterPayload(municipalityCode: string, now = new Date()): JobPayloads['clusters.recluster'] {
  return { municipalityCode, window: now.toISOString().slice(0, 13) };
}

/** The retention job of a municipality for the (UTC) day of `now`: enqueue it as often as you like, it runs once a day. */
export function retentionPayload(municipalityCode: string, now = new Date()): JobPayloads['privacy.retention'] {
  return { municipalityCode, day: now.toISOString().slice(0, 10) };
}

/** Deterministic job id. BullMQ forbids ':' in custom ids, so the separator is '__'. */
export function jobId<N extends JobName>(name: N, payload: JobPayloads[N]): string {
  return `${name}__${jobKeys[name](payload)}`;
}
