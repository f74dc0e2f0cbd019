import type { INestApplication } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppConfig } from '#libs/config';
import { mountQueueDashboard } from './admin/queue-dashboard.js';
import { DataSource } from 'typeorm';
import { AllExceptionsFilter, DATABASE_UNAVAILABLE, RETRY_AFTER_SECONDS } from './common/all-exceptions.filter.js';
import { useExactJsonBodies } from './common/exact-number.js';
import { GLOBAL_ERROR_CODES } from './common/api-errors.decorator.js';
import { buildValidationPipe } from './common/validation.js';
import { buildOpenApiDocument } from './openapi.js';
import { serveWebApp } from './web-app.js';

/**
 * The largest JSON body the API reads. Sized to the documented maxima: a quarter of 1,000 actuals
 * (QuarterActualsDto) each with a comment, an evidence URL and about 20 disaggregated parts is
 * about 2.5 MB; a logframe of several hundred indicators with period targets is under 1 MB. Larger
 * bodies answer 413 naming the limit. Uploads (workbooks, IATI files) go through multer's own limits.
 */
export const JSON_BODY_LIMIT = '4mb';

/**
 * Applies what every API instance needs (used by main.ts and by the e2e tests, so tests run the
 * real setup): pino logger, helmet headers, CORS (only for CORS_ORIGINS), global validation, the one
 * exception filter, Swagger at /docs with bearer auth.
 */
export function configureApp(app: INestApplication): INestApplication {
  app.useLogger(app.get(Logger));
  const https = app.get(AppConfig).SERVES_HTTPS;
  app.use(
    helmet({
      // Swagger UI loads its own scripts and inline styles from this origin.
      contentSecurityPolicy: {
        directives: {
          'script-src': ["'self'"],
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:'],
          // Over plain http (an office network) upgrading would load every script over https, which
          // does not answer: pages stay blank. Only a deployment that says it serves https asks for it.
          'upgrade-insecure-requests': https ? [] : null,
        },
      },
      strictTransportSecurity: https,
    }),
  );
  const trustProxy = app.get(AppConfig).TRUST_PROXY;
  if (trustProxy)
    (app.getHttpAdapter().getInstance() as { set(key: string, value: unknown): void }).set(
      'trust proxy',
      /^\d+$/.test(trustProxy) ? Number(trustProxy) : trustProxy,
    );
  const origins = app
    .get(AppConfig)
    .CORS_ORIGINS.split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  if (origins.length) app.enableCors({ origin: origins, credentials: false });
  // Until the first connection to PostgreSQL is made (an API started while it is down) every route but
  // /health and /docs answers 503 with Retry-After; the DataSource keeps connecting in the background.
  const dataSource = app.get(DataSource);
  app.use((req: { path: string }, res: import('express').Response, next: () => void) => {
    if (dataSource.isInitialized || /^\/(health|docs)(\/|-json|$)/.test(req.path)) return next();
    res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    res.status(503).json(DATABASE_UNAVAILABLE);
  });
  useExactJsonBodies(app, JSON_BODY_LIMIT);
  // The web app's refresh and CSRF cookies are read only by the /auth/session routes.
  app.use('/auth/session', cookieParser());
  app.useGlobalPipes(buildValidationPipe());
  const filter = new AllExceptionsFilter();
  app.useGlobalFilters(filter);
  // Signals are handled by installBoundedShutdown in main.ts (a close that hangs still ends the process).
  const document = buildOpenApiDocument(app);
  filter.declareRouteCodes(document, GLOBAL_ERROR_CODES);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  const closeDashboard = mountQueueDashboard(app);
  serveWebApp(app);
  const close = app.close.bind(app);
  app.close = async () => {
    await closeDashboard();
    await close();
  };
  return app;
}
