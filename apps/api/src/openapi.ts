import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/**
 * The API's OpenAPI 3 document, built from the controllers' and DTOs' decorators. Served at /docs and
 * /docs-json, written to openapi.json by `npm run openapi:write` (the web app's typed client is generated
 * from it).
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
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
}
