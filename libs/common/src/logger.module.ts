import { randomUUID } from 'node:crypto';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '#libs/config';

/**
 * Structured logs (pino) for the api and the worker: a request id on every HTTP log line, and
 * passwords, tokens and cookies redacted.
 */
export function rbmLoggerModule() {
  return LoggerModule.forRootAsync({
    inject: [AppConfig],
    useFactory: (config: AppConfig) => ({
      pinoHttp: {
        level: config.LOG_LEVEL,
        genReqId: (req) => (req.headers['x-request-id'] as string | undefined) ?? randomUUID(),
        redact: {
          paths: [
            'req.headers.authorization',
            'req.headers.cookie',
            'req.body.password',
            'req.body.refreshToken',
            'password',
            'token',
          ],
          censor: '[redacted]',
        },
        autoLogging: config.NODE_ENV !== 'test',
      },
    }),
  });
}
