import { ParseUUIDPipe } from '@nestjs/common';
import { DomainException, ErrorCode } from '#libs/common';

/** A pipe for a UUID path parameter: 400 naming the parameter when it is not a UUID. */
export function uuidParam(name: string): ParseUUIDPipe {
  return new ParseUUIDPipe({
    exceptionFactory: () =>
      DomainException.badRequest(ErrorCode.VALIDATION_FAILED, `The ${name} in the address must be a UUID`, [
        { path: name, code: 'isUUID', params: {}, message: 'must be a UUID' },
      ]),
  });
}
