/**
 * The slice of Meta's Graph API we call: POST {WHATSAPP_GRAPH_URL}/{phone-number-id}/messages with a bearer token.
 * Outcomes are sorted where they are caught: sent (with the wamid), retryable (429, 5xx, network) or permanent
 * (other 4xx, an answer without a message id).
 */
import type { GraphMessage } from './outbound.ts';

export interface GraphConfig {
  /** Base URL including the version, e.g. https://graph.facebook.com/v23.0. */
  graphUrl: string;
  phoneNumberId: string;
  accessToken: string;
}

export type SendOutcome = { kind: 'sent'; wamid: string } | { kind: 'retry'; reason: string } | { kind: 'permanent'; reason: string };

export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

export async function sendGraphMessage(config: GraphConfig, message: GraphMessage, fetchImpl: Fetch = fetch): Promise<SendOutcome> {
  const url = `${config.graphUrl.replace(/\/+$/, '')}/${encodeURIComponent(config.phoneNumberId)}/messages`;
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${config.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(message),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    return { kind: 'retry', reason: `graph api unreachable: ${error instanceof Error ? error.name : 'error'}` };
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (response.status === 429 || response.status >= 500) return { kind: 'retry', reason: `graph api ${response.status}${errorCode(body)}` };
  if (!response.ok) return { kind: 'permanent', reason: `graph api ${response.status}${errorCode(body)}` };
  const wamid = (body as { messages?: { id?: unknown }[] } | undefined)?.messages?.[0]?.id;
  if (typeof wamid !== 'string' || wamid === '') return { kind: 'permanent', reason: 'graph api answered without a message id' };
  return { kind: 'sent', wamid };
}

/** Meta's error code and type, never its message text (which may quote what we sent). */
function errorCode(body: unknown): string {
  const error = (body as { error?: { code?: unknown; type?: unknown } } | undefined)?.error;
  if (!error) return '';
  const code = typeof error.code === 'number' ? error.code : '?';
  const type = typeof error.type === 'string' ? error.type.slice(0, 60) : 'error';
  return ` (${type} ${code})`;
}
