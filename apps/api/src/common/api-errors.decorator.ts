import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiResponse } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'outcomes[0].outputs[1].indicators[0].baseline.value' }) path: string;
  @ApiProperty({ example: 'baseline.value must be a number' }) message: string;
}

/** The body of every error answer. */
export class ErrorResponseDto {
  @ApiProperty({ example: 404 }) statusCode: number;
  @ApiProperty({ example: 'NOT_FOUND' }) error: string;
  @ApiProperty({ example: 'Project not found' }) message: string;
  @ApiProperty({ type: [FieldErrorDto], required: false }) errors?: FieldErrorDto[];
  @ApiProperty({ required: false, description: 'Set on 500 answers; quote it to support' }) errorId?: string;
}

/** Documents the error answers a route may give, each with the {@link ErrorResponseDto} body. */
export function ApiErrors(...statuses: number[]): MethodDecorator & ClassDecorator {
  const descriptions: Record<number, string> = {
    400: 'Invalid input: `errors` lists each bad field with its path',
    404: 'Not found',
    409: 'Conflict: duplicate code or stale version',
    413: 'The upload crosses a limit (size, parts, rows, cells, parse time or memory): the message of `errors[0]` ends with `(limit <name>)`',
    422: 'Breaks a rule: `errors` says which and why',
    503: 'PostgreSQL or Redis unavailable',
  };
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: descriptions[status] ?? 'Error', type: ErrorResponseDto }),
    ),
  );
}
