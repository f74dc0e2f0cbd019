import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { buildOpenApiDocument } from './openapi.js';

/**
 * Writes the API's OpenAPI document to the file named by the first argument (default openapi.json)
 * without serving traffic or opening connections: the Nest app is created in preview mode (modules
 * and controllers are scanned, providers are not instantiated, so no database or Redis is needed).
 */
async function main(): Promise<void> {
  const file = process.argv[2] ?? 'openapi.json';
  const app = await NestFactory.create(AppModule, { preview: true, logger: false, abortOnError: false });
  writeFileSync(file, JSON.stringify(buildOpenApiDocument(app), null, 2) + '\n');
  await app.close();
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
