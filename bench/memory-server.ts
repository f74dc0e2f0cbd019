/**
 * The in-memory baseline of the logframe read: the same framework (NestJS on Express) answering
 * GET /payload with a JSON document parsed once from PAYLOAD_FILE at start, serialised per request
 * as Nest does for any route. No database, no sign-in. Started by bench/bench.ts on PORT.
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

const payload: unknown = JSON.parse(readFileSync(process.env.PAYLOAD_FILE ?? '', 'utf8'));

@Controller()
class PayloadController {
  /** The stored JSON document, unchanged. */
  @Get('payload')
  payload(): unknown {
    return payload;
  }
}

@Module({ controllers: [PayloadController] })
class MemoryModule {}

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(MemoryModule, { logger: ['error'] });
  await app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
  process.stdout.write('memory server ready\n');
}

void bootstrap();
