import { ParseIntPipe } from '@nestjs/common';
import { DomainException, ErrorCode } from '#libs/common';

/** A pipe for a whole-number path parameter: 400 naming the parameter otherwise. */
export function intParam(name: string): ParseIntPipe {
  return new ParseIntPipe({
    exceptionFactory: () =>
      DomainException.badRequest(ErrorCode.VALIDATION_FAILED, `The ${name} in the address must be a whole number`, [
        { path: name, code: 'isInt', params: {}, message: 'must be a whole number' },
      ]),
  });
}
