import {
  type CallHandler,
  type ExecutionContext,
  mixin,
  type NestInterceptor,
  PayloadTooLargeException,
  type Type,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Observable } from 'rxjs';
import { DomainException } from '#libs/common';

/**
 * Nest's FileInterceptor for one file in form field `field`, at most `maxBytes` bytes (multer stops
 * reading there). A larger file answers 413 naming the limit (`maxFileBytes`) and its size in MB,
 * where multer alone would say "File too large".
 * @throws DomainException payload_too_large when the file is larger than `maxBytes`
 */
export function BoundedFileInterceptor(field: string, maxBytes: number): Type<NestInterceptor> {
  const Base = FileInterceptor(field, { limits: { fileSize: maxBytes, files: 1 } });
  class Bounded extends Base {
    override async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
      try {
        return await super.intercept(context, next);
      } catch (error) {
        if (!(error instanceof PayloadTooLargeException)) throw error;
        const message = `The file is larger than this upload accepts (${maxBytes / (1024 * 1024)} MB)`;
        throw DomainException.payloadTooLarge(message, [
          {
            path: field,
            code: 'too_large',
            params: { limit: 'maxFileBytes', maxBytes },
            message: `${message} (limit maxFileBytes)`,
          },
        ]);
      }
    }
  }
  return mixin(Bounded);
}
