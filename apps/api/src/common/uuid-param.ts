import { ParseUUIDPipe } from '@nestjs/common';
import { DomainException } from '#libs/common';

/** A pipe for a UUID path parameter: 400 naming the parameter when it is not a UUID. */
export function uuidParam(name: string): ParseUUIDPipe {
  return new ParseUUIDPipe({
    exceptionFactory: () =>
      DomainException.badRequest(`The ${name} in the address must be a UUID`, [
        { path: name, message: 'must be a UUID' },
      ]),
  });
}
