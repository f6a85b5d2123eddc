/**
 * Meta signs every webhook delivery: X-Hub-Signature-256 is "sha256=" + the hex HMAC-SHA256 of the raw body with the
 * app secret. Checked on the exact bytes received, in constant time, before anything is parsed.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function signBody(appSecret: string, body: Uint8Array | string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

export function verifySignature(appSecret: string, body: Uint8Array, header: string | undefined): boolean {
  if (header === undefined || !/^sha256=[0-9a-f]{64}$/i.test(header)) return false;
  const expected = Buffer.from(createHmac('sha256', appSecret).update(body).digest('hex'), 'utf8');
  const given = Buffer.from(header.slice('sha256='.length).toLowerCase(), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
