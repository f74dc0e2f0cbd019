import type { INestApplication } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppConfig } from '#libs/config';
import { mountQueueDashboard } from './admin/queue-dashboard.js';
import { AllExceptionsFilter } from './common/all-exceptions.filter.js';
import { useExactJsonBodies } from './common/exact-number.js';
import { buildValidationPipe } from './common/validation.js';
import { buildOpenApiDocument } from './openapi.js';
import { serveWebApp } from './web-app.js';

/**
 * Applies what every API instance needs (used by main.ts and by the e2e tests, so tests run the
 * real setup): pino logger, helmet headers, CORS (only for CORS_ORIGINS), global validation, the one
 * exception filter, Swagger at /docs with bearer auth.
 */
export function configureApp(app: INestApplication): INestApplication {
  app.useLogger(app.get(Logger));
  app.use(
    helmet({
      // Swagger UI loads its own scripts and inline styles from this origin.
      contentSecurityPolicy: {
        directives: {
          'script-src': ["'self'"],
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:'],
        },
      },
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
  useExactJsonBodies(app);
  // The web app's refresh and CSRF cookies are read only by the /auth/session routes.
  app.use('/auth/session', cookieParser());
  app.useGlobalPipes(buildValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  app.enableShutdownHooks();
  const document = buildOpenApiDocument(app);
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
