/** A logger that writes into memory, so a test can prove that no phone number or message text reaches the logs. */
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../app/logger.ts';

export function memoryLog(level: Parameters<typeof createLogger>[0] = 'debug'): { logger: Logger; text: () => string } {
  let out = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      out += chunk.toString();
      done();
    },
  });
  return { logger: createLogger(level, stream), text: () => out };
}
