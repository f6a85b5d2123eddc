/**
 * Runs Wijkstem as a real child process (`node --import tsx app/main.ts`, what `npm start` runs), reads what it
 * prints, and stops it with SIGTERM the way an operator or container engine would.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface AppProcess {
  url: string;
  /** The child's process id (the bench reads its memory use). */
  pid: number | undefined;
  output: () => string;
  /** Resolves with the first printed line matching the pattern. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL (a crash: no clean-up runs), then the exit. */
  crash(): Promise<number | null>;
  exited: Promise<number | null>;
}

export function runWijkstem(env: Record<string, string | undefined>): { child: ChildProcessWithoutNullStreams; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'app/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', PORT: '0', HOST: '127.0.0.1', ...env },
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

export async function startWijkstemProcess(env: Record<string, string | undefined>, readyPattern = /(?:ready at|health on) (http:\/\/\S+?)(?:\/healthz)?\)?$/m): Promise<AppProcess> {
  const { child, output, exited } = runWijkstem(env);
  // A bound, not a measure: start-up trains the classifier before the workers run, slow on a loaded 2-core machine.
  const waitForOutput = async (pattern: RegExp, timeoutMs = 90_000): Promise<RegExpMatchArray> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = output().match(pattern);
      if (match) return match;
      if (child.exitCode !== null) throw new Error(`wijkstem exited with ${child.exitCode} before printing ${pattern}:\n${output()}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}:\n${output()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const ready = await waitForOutput(readyPattern);
  const url = ready[1];
  if (!url) throw new Error(`no URL in ${ready[0]}`);
  return {
    url,
    pid: child.pid,
    output,
    waitForOutput,
    exited,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
    crash: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return exited;
    },
  };
}
