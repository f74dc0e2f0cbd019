import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppConfig } from '#libs/config';
import { mountQueueDashboard } from './admin/queue-dashboard.js';
import { AllExceptionsFilter } from './common/all-exceptions.filter.js';
import { GLOBAL_ERROR_CODES } from './common/api-errors.decorator.js';
import { buildValidationPipe } from './common/validation.js';

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
  app.useGlobalPipes(buildValidationPipe());
  const filter = new AllExceptionsFilter();
  app.useGlobalFilters(filter);
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('RBM Tracker API')
      .setDescription(
        'Results-based management of project logframes linked to the SDGs: logframes, quarterly progress and outcome-level reports. Numbers are JSON numbers; percentages are on a 0–100 scale; dates are calendar dates (YYYY-MM-DD). Sign in at POST /auth/login and send the access token as a bearer token; each route lists the roles that may call it (`x-roles`). Resources outside your scope answer 404; actions your role may not take answer 403.',
      )
      .setVersion('0.1.0')
      .addBearerAuth({
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'Access token from POST /auth/login',
      })
      .build(),
  );
  filter.declareRouteCodes(document, GLOBAL_ERROR_CODES);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  const closeDashboard = mountQueueDashboard(app);
  const close = app.close.bind(app);
  app.close = async () => {
    await closeDashboard();
    await close();
  };
  return app;
}
