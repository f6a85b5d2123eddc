/**
 * `npm start`: one Wijkstem process. ROLE=all (default) runs web and workers together; web and worker run apart
 * on PostgreSQL + Redis. Stops gracefully on SIGINT/SIGTERM: no new requests or jobs, active jobs finish.
 */
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { startWijkstem } from './start.ts';

let config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`wijkstem: ${error.message}\n`);
  process.exit(1);
}

const logger = createLogger(config.logLevel);

// Signals are handled from the first moment: one that arrives while starting stops the process once start-up is done
// (or has failed), instead of killing it half-way through a migration or a demo load.
let stopRequested: string | undefined;
let stopApp: ((signal: string) => void) | undefined;
const onSignal = (signal: string) => {
  if (stopRequested !== undefined) return;
  stopRequested = signal;
  stopApp?.(signal);
};
process.on('SIGINT', () => onSignal('SIGINT'));
process.on('SIGTERM', () => onSignal('SIGTERM'));

try {
  const app = await startWijkstem(config, logger);
  stopApp = (signal) => {
    logger.info({ signal }, 'stopping');
    const force = setTimeout(() => {
      logger.error('graceful stop took too long; exiting');
      process.exit(1);
    }, 45_000);
    force.unref();
    void app.stop().then(() => {
      logger.info('stopped');
      process.exitCode = 0;
    });
  };
  if (stopRequested !== undefined) stopApp(stopRequested);
} catch (error) {
  // Start-up problems the operator must fix get one plain line, not a stack trace.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`wijkstem: cannot start: ${message}\n`);
  logger.debug({ err: error }, 'start-up failed');
  process.exit(1);
}
