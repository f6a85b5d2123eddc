/**
 * Admission for web chat posts: at most `limit` run at once in this process, the rest wait their turn here, in
 * order. Each post uses the database several times (its transaction, then the view); without this, a burst of a
 * thousand posts would queue every one of those uses behind all the others in the connection pool and fail on the
 * pool's connection timeout. A post that waits longer than maxWaitMs is refused (503, the chat script resends it).
 */
export class AdmissionTimeout extends Error {
  override readonly name = 'AdmissionTimeout';
}

export interface Admission {
  run<T>(work: () => Promise<T>): Promise<T>;
}

export function createAdmission(limit: number, maxWaitMs: number): Admission {
  let active = 0;
  const waiting: { start: () => void; timer: NodeJS.Timeout }[] = [];
  const release = () => {
    active--;
    const next = waiting.shift();
    if (next) {
      clearTimeout(next.timer);
      active++;
      next.start();
    }
  };
  return {
    async run<T>(work: () => Promise<T>): Promise<T> {
      if (active >= limit) {
        await new Promise<void>((resolve, reject) => {
          const entry = {
            start: resolve,
            timer: setTimeout(() => {
              waiting.splice(waiting.indexOf(entry), 1);
              reject(new AdmissionTimeout(`waited over ${maxWaitMs} ms for a turn`));
            }, maxWaitMs),
          };
          waiting.push(entry);
        });
      } else {
        active++;
      }
      try {
        return await work();
      } finally {
        release();
      }
    },
  };
}
