/**
 * A local stand-in for Meta's Graph API, the one fake in our tests: POST /{version}/{phone-number-id}/messages on
 * 127.0.0.1. It checks each body against the shapes Meta documents for text, reply-button, list and template
 * messages, records every request, answers as the Cloud API does, and can be told to fail the next calls.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  phoneNumberId: string;
  authorization: string | undefined;
  body: unknown;
  /** Shape problems found; empty for a valid body. */
  problems: string[];
  status: number;
  wamid?: string;
  /** performance.now() in this process when the request arrived (the bench times replies by it). */
  receivedAt: number;
}

export interface FakeGraphApi {
  /** Base URL including a version, as WHATSAPP_GRAPH_URL. */
  url: string;
  requests: RecordedRequest[];
  /**
   * Answers the next `times` calls with this status (429, 500, 400, ...) instead of handling them; only calls to
   * `recipient` (a number or user id) when given, so parallel sends to others are not affected.
   */
  failNext(status: number, times?: number, recipient?: string): void;
  /**
   * A lasting outage, until set back to undefined: every call answered with `status` (500, 429, ...), or held for
   * `hangMs` and then cut off without an answer (a Graph API that times out). Recorded with status 0 when cut off.
   */
  setOutage(outage: { status: number } | { hangMs: number } | undefined): void;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown, min: number, max: number): v is string => typeof v === 'string' && Array.from(v).length >= min && Array.from(v).length <= max;

/** Meta's documented limits for the message kinds we send. */
export function validateMessage(body: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(body)) return ['body is not a JSON object'];
  if (body.messaging_product !== 'whatsapp') problems.push("messaging_product must be 'whatsapp'");
  if (body.recipient_type !== undefined && body.recipient_type !== 'individual') problems.push("recipient_type must be 'individual'");
  const hasTo = isString(body.to, 1, 32) && /^\d+$/.test(body.to);
  const hasRecipient = isString(body.recipient, 3, 140) && /^[A-Z]{2}\.[A-Za-z0-9]+$/.test(body.recipient);
  if (!hasTo && !hasRecipient) problems.push('to (a phone number) or recipient (a business-scoped user id) is required');
  switch (body.type) {
    case 'text':
      if (!isObject(body.text) || !isString(body.text.body, 1, 4096)) problems.push('text.body must be 1 to 4096 characters');
      break;
    case 'interactive':
      problems.push(...validateInteractive(body.interactive));
      break;
    case 'template': {
      const t = body.template;
      if (!isObject(t) || !isString(t.name, 1, 512) || !isObject(t.language) || !isString(t.language.code, 2, 10)) {
        problems.push('template needs name and language.code');
      }
      // Body parameters: text only, no newlines or tabs, no more than four spaces in a row (Meta's template rules).
      if (isObject(t) && t.components !== undefined) {
        const components = Array.isArray(t.components) ? (t.components as unknown[]) : [];
        if (components.length === 0) problems.push('template.components must be a non-empty array');
        for (const c of components) {
          const parameters = isObject(c) && Array.isArray(c.parameters) ? (c.parameters as unknown[]) : [];
          if (!isObject(c) || c.type !== 'body' || parameters.length === 0) problems.push('template component must be a body with parameters');
          for (const p of parameters) {
            if (!isObject(p) || p.type !== 'text' || !isString(p.text, 1, 32768) || /[\n\t]| {5,}/.test(p.text)) problems.push('template parameter must be text without newlines, tabs or 5 spaces in a row');
          }
        }
      }
      break;
    }
    default:
      problems.push(`unsupported type ${String(body.type)}`);
  }
  return problems;
}

function validateInteractive(i: unknown): string[] {
  if (!isObject(i)) return ['interactive object is required'];
  const problems: string[] = [];
  const action = isObject(i.action) ? i.action : undefined;
  if (!action) problems.push('interactive.action is required');
  if (i.type === 'button') {
    if (!isObject(i.body) || !isString(i.body.text, 1, 1024)) problems.push('button body.text must be 1 to 1024 characters');
    const buttons = Array.isArray(action?.buttons) ? (action.buttons as unknown[]) : [];
    if (buttons.length < 1 || buttons.length > 3) problems.push('reply buttons: 1 to 3');
    const titles = new Set<string>();
    for (const b of buttons) {
      if (!isObject(b) || b.type !== 'reply' || !isObject(b.reply)) {
        problems.push('each button is { type: reply, reply: { id, title } }');
        continue;
      }
      if (!isString(b.reply.id, 1, 256)) problems.push('button id: 1 to 256 characters');
      if (!isString(b.reply.title, 1, 20)) problems.push(`button title over 20 characters: ${String(b.reply.title)}`);
      else if (titles.has(b.reply.title)) problems.push('button titles must be unique');
      else titles.add(b.reply.title);
    }
  } else if (i.type === 'list') {
    if (!isObject(i.body) || !isString(i.body.text, 1, 4096)) problems.push('list body.text must be 1 to 4096 characters');
    if (!isString(action?.button, 1, 20)) problems.push('list action.button: 1 to 20 characters');
    const sections = Array.isArray(action?.sections) ? (action.sections as unknown[]) : [];
    if (sections.length < 1 || sections.length > 10) problems.push('list sections: 1 to 10');
    let rows = 0;
    for (const section of sections) {
      if (!isObject(section) || !Array.isArray(section.rows)) {
        problems.push('each section has rows');
        continue;
      }
      if (sections.length > 1 && !isString(section.title, 1, 24)) problems.push('sections need titles when there are several');
      for (const row of section.rows as unknown[]) {
        rows++;
        if (!isObject(row) || !isString(row.id, 1, 200)) problems.push('row id: 1 to 200 characters');
        else if (!isString(row.title, 1, 24)) problems.push(`row title over 24 characters: ${String(row.title)}`);
        else if (row.description !== undefined && !isString(row.description, 0, 72)) problems.push('row description: at most 72 characters');
      }
    }
    if (rows < 1 || rows > 10) problems.push(`list rows: 1 to 10 in all, got ${rows}`);
  } else {
    problems.push(`unsupported interactive type ${String(i.type)}`);
  }
  return problems;
}

export async function startFakeGraphApi(version = 'v23.0'): Promise<FakeGraphApi> {
  const requests: RecordedRequest[] = [];
  const failures: { status: number; recipient: string | undefined }[] = [];
  let outage: { status: number } | { hangMs: number } | undefined;

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      res.statusCode = 500;
      res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = performance.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const match = /^\/([^/]+)\/([^/]+)\/messages$/.exec(req.url ?? '');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'POST' || !match || match[1] !== version) {
      send(404, { error: { message: 'Unknown path', type: 'GraphMethodException', code: 100 } });
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      body = undefined;
    }
    const record: RecordedRequest = { phoneNumberId: match[2] ?? '', authorization: req.headers.authorization, body, problems: [], status: 0, receivedAt };
    requests.push(record);
    const target = isObject(body) ? (typeof body.to === 'string' ? body.to : typeof body.recipient === 'string' ? body.recipient : undefined) : undefined;
    const hangMs = outage !== undefined && 'hangMs' in outage ? outage.hangMs : undefined;
    if (hangMs !== undefined) {
      await new Promise((resolve) => setTimeout(resolve, hangMs));
      req.socket.destroy();
      return;
    }
    if (outage !== undefined && 'status' in outage) {
      record.status = outage.status;
      send(outage.status, { error: { message: 'Simulated outage', type: outage.status === 429 ? 'OAuthException' : 'GraphMethodException', code: outage.status === 429 ? 130429 : 1 } });
      return;
    }
    const index = failures.findIndex((f) => f.recipient === undefined || f.recipient === target);
    const failure = index >= 0 ? failures.splice(index, 1)[0] : undefined;
    if (failure !== undefined) {
      record.status = failure.status;
      send(failure.status, { error: { message: 'Simulated failure', type: failure.status === 429 ? 'OAuthException' : 'GraphMethodException', code: failure.status === 429 ? 130429 : 1 } });
      return;
    }
    if (!/^Bearer \S+$/.test(req.headers.authorization ?? '')) {
      record.status = 401;
      send(401, { error: { message: 'Invalid OAuth access token', type: 'OAuthException', code: 190 } });
      return;
    }
    record.problems = validateMessage(body);
    if (record.problems.length > 0) {
      record.status = 400;
      send(400, { error: { message: `(#100) Invalid parameter: ${record.problems.join('; ')}`, type: 'OAuthException', code: 100 } });
      return;
    }
    const b = body as Json;
    const input = typeof b.to === 'string' ? b.to : String(b.recipient);
    record.status = 200;
    record.wamid = `wamid.${randomBytes(12).toString('base64url')}`;
    send(200, { messaging_product: 'whatsapp', contacts: [{ input, wa_id: input }], messages: [{ id: record.wamid }] });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/${version}`,
    requests,
    failNext(status, times = 1, recipient) {
      for (let i = 0; i < times; i++) failures.push({ status, recipient });
    },
    setOutage(next) {
      outage = next;
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
