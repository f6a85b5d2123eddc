/**
 * Structured logs (pino). Resident text and contact data never go in: code logs ids and counts only, and these
 * redact paths are a second line of defence for a field that slips through.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

// Not 'message': error messages are ours and needed to operate; message objects are never logged whole.
const sensitiveKeys = ['text', 'text_raw', 'text_redacted', 'body', 'phone', 'from', 'to', 'wa_id', 'contact', 'password', 'email', 'cookie', 'authorization'];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'wijkstem' },
      redact: { paths: [...sensitiveKeys, ...sensitiveKeys.map((k) => `*.${k}`)], censor: '[redacted]' },
      serializers: { err: pino.stdSerializers.err },
    },
    destination,
  );
}
