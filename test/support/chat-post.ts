/** The web chat as its script talks to it, for the bench and the load generator: keep-alive, loopback, JSON. */
import { request as httpRequest, type Agent } from 'node:http';

/** One POST /chat as the chat script sends it, on the session's own keep-alive connection and loopback address. */
export function postChat(
  base: URL,
  agent: Agent,
  localAddress: string | undefined,
  fields: Record<string, string>,
  cookie: string | undefined,
  timeoutMs: number,
): Promise<{ status: number; cookie: string | undefined }> {
  const body = new URLSearchParams(fields).toString();
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: base.hostname,
        port: base.port,
        path: '/chat',
        method: 'POST',
        agent,
        localAddress,
        headers: {
          origin: base.origin,
          accept: 'application/json',
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
          ...(cookie ? { cookie } : {}),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, cookie: res.headers['set-cookie']?.map((c) => c.split(';')[0]).join('; ') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout after ${timeoutMs / 1000} s`)));
    req.end(body);
  });
}
