/**
 * The HTTP application: security headers, body limits and one error handler around the channel, dashboard and
 * health routes. Built on web-standard Request/Response (Hono), so it is tested with app.request() and served by
 * @hono/node-server in production.
 */
import { Hono, type Context, type Env } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { JobQueue } from '../../pipeline/queue/queue.ts';
import { chatFraming, webChatRoutes } from '../../bot/channels/web/routes.ts';
import { whatsappRoutes } from '../../bot/channels/whatsapp/routes.ts';
import { dashboardRoutes } from '../../dashboards/routes.ts';
import { publicAgendaRoutes } from '../../dashboards/pages/public.ts';
import type { Logger } from '../logger.ts';
import { assetRoutes } from './assets.ts';
import { privacyRoutes } from './privacy-page.ts';
import type { RetentionPolicy } from '../../pipeline/privacy/retention.ts';
import { createRateLimiter } from './rate-limit.ts';

/** Body limit of the admin upload routes: an 8 MB file (dashboards/pages/admin-areas.ts) plus the form around it. */
export const ADMIN_UPLOAD_LIMIT = 9 * 1024 * 1024;
const ADMIN_UPLOAD_PATHS = new Set(['/dashboard/beheer/gebieden', '/dashboard/beheer/gebieden/voorbeeld']);

export interface HttpDeps {
  db: Kysely<Database>;
  queue: JobQueue;
  logger: Logger;
  pseudonymKey: string;
  defaultMunicipality: string | undefined;
  /** Base of absolute links the bot sends (the privacy statement). */
  publicUrl?: string | undefined;
  /** The WhatsApp webhook's secrets; unset: the handshake answers 403 and deliveries 401. */
  whatsapp?: { verifyToken: string | undefined; appSecret: string | undefined } | undefined;
  /** Served over TLS: secure cookies and HSTS. */
  secure: boolean;
  /** Serve the resident and dashboard routes; false for a worker process, which answers /healthz only. */
  serveApp: boolean;
  health: () => Promise<{ ok: true } | { ok: false; reason: string }>;
  /** The configured default retention periods (WIJKSTEM_RETENTION_*), for the privacy page and settings. */
  retention?: RetentionPolicy | undefined;
}

export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // app.request() in tests has no socket
  }
}

export function createHttpApp(deps: HttpDeps): Hono {
  const app = new Hono();

  // Outside the security headers: may loosen the chat's frame-ancestors for the origins a municipality allows.
  app.use('/chat', chatFraming);
  app.use('/chat/embed.js', chatFraming);
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
      strictTransportSecurity: deps.secure ? 'max-age=31536000; includeSubDomains' : false,
      referrerPolicy: 'same-origin',
    }),
  );

  app.get('/healthz', async (c) => {
    const health = await deps.health();
    return health.ok ? c.json({ status: 'ok' }) : c.json({ status: 'unavailable', reason: health.reason }, 503);
  });

  if (deps.serveApp) {
    // Forms may only be posted from our own pages (Origin / Sec-Fetch-Site), on top of same-site cookies.
    app.use('/chat', csrf());
    app.use('/dashboard/*', csrf());
    // 64 KB everywhere, except the administrators' gazetteer and boundary upload (a big municipality's file is MBs).
    const normalLimit = bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.text('Het bericht is te groot.', 413) });
    const uploadLimit = bodyLimit({ maxSize: ADMIN_UPLOAD_LIMIT, onError: (c) => c.text('Het bestand is te groot.', 413) });
    app.use('*', async (c: Context<Env, string>, next) => (ADMIN_UPLOAD_PATHS.has(c.req.path) ? uploadLimit(c, next) : normalLimit(c, next)));

    const chatLimiter = createRateLimiter({ limit: 30, windowMs: 60_000 });
    app.post('/chat', async (c, next) => {
      if (!chatLimiter.take(clientAddress(c))) return c.text('Je stuurt veel berichten achter elkaar. Wacht een minuut en probeer het opnieuw.', 429);
      await next();
    });

    app.route('/', assetRoutes({ db: deps.db }));
    app.get('/', (c) => c.redirect('/chat', 302));
    // The public agenda summary (issue 6), only where a municipality turned it on; no login, nothing personal.
    app.route('/', publicAgendaRoutes({ db: deps.db }));
    // The generated data-processing page (what is kept, why, how long), linked from the bot's first message.
    app.route('/', privacyRoutes({ db: deps.db, defaultMunicipality: deps.defaultMunicipality, retention: deps.retention, whatsappConfigured: deps.whatsapp?.appSecret !== undefined }));
    app.route('/', webChatRoutes({ ...deps, secureCookies: deps.secure }));
    // Not behind csrf(): Meta posts from its own servers and the signature is checked on the raw body instead.
    app.route('/', whatsappRoutes({ ...deps, verifyToken: deps.whatsapp?.verifyToken, appSecret: deps.whatsapp?.appSecret }));
    app.route(
      '/',
      dashboardRoutes({
        db: deps.db,
        queue: deps.queue,
        logger: deps.logger,
        secureCookies: deps.secure,
        loginLimiter: createRateLimiter({ limit: 10, windowMs: 15 * 60_000 }),
        clientAddress,
        retention: deps.retention,
      }),
    );
  }

  app.notFound((c) => c.text('Niet gevonden.', 404));
  // Known errors become their response; anything else is logged with its stack and becomes a bare 500.
  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    deps.logger.error({ err: error, method: c.req.method, path: c.req.path }, 'request failed');
    return c.text('Er ging iets mis aan onze kant. Probeer het later opnieuw.', 500);
  });
  return app;
}
