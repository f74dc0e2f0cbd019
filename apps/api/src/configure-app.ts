import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AllExceptionsFilter } from './common/all-exceptions.filter.js';
import { buildValidationPipe } from './common/validation.js';

/**
 * Applies what every API instance needs (used by main.ts and by the e2e tests, so tests run the
 * real setup): pino logger, global validation, the one exception filter, Swagger at /docs.
 */
export function configureApp(app: INestApplication): INestApplication {
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(buildValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('RBM Tracker API')
      .setDescription(
        'Results-based management of project logframes linked to the SDGs: logframes, quarterly progress and outcome-level reports. Numbers are JSON numbers; percentages are on a 0–100 scale; dates are calendar dates (YYYY-MM-DD).',
      )
      .setVersion('0.1.0')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
