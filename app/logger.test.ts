import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

function capture(): { lines: () => Record<string, unknown>[]; stream: Writable } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, lines: () => chunks.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('logger', () => {
  it('redacts resident text and contact data that slip into a log call, at the top level and one level down', () => {
    const out = capture();
    const logger = createLogger('info', out.stream);
    logger.info({ text: 'mijn verhaal', phone: '+31612345678', resident: { contact: '+31612345678', text: 'nog een verhaal' } }, 'x');
    const line = JSON.stringify(out.lines()[0]);
    expect(line).not.toContain('mijn verhaal');
    expect(line).not.toContain('nog een verhaal');
    expect(line).not.toContain('+31612345678');
    expect(line).toContain('[redacted]');
  });

  it('keeps the message of an error, which operators need', () => {
    const out = capture();
    createLogger('info', out.stream).error({ err: new Error('cannot reach REDIS_URL') }, 'start failed');
    expect(out.lines()[0]?.err).toMatchObject({ type: 'Error', message: 'cannot reach REDIS_URL' });
  });
});
