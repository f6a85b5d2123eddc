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
try {
  const app = await startWijkstem(config, logger);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
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
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
} catch (error) {
  // Start-up problems the operator must fix get one plain line, not a stack trace.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`wijkstem: cannot start: ${message}\n`);
  logger.debug({ err: error }, 'start-up failed');
  process.exit(1);
}
