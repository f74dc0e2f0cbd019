import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : /^-?\d+$/.test(String(value)) ? Number(value) : value;

/**
 * Paging, sorting and text filter shared by list endpoints: `?page=1&pageSize=50&sort=-code&q=words`.
 * `sort` is a field name, `-` first for descending; each endpoint says which fields it sorts by.
 */
export class PageQueryDto {
  @ApiProperty({ required: false, default: 1, minimum: 1 })
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'page must be a whole number' })
  @Min(1, { message: 'page must be 1 or more' })
  page?: number;

  @ApiProperty({ required: false, default: 50, minimum: 1, maximum: 500 })
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'pageSize must be a whole number' })
  @Min(1, { message: 'pageSize must be from 1 to 500' })
  @Max(500, { message: 'pageSize must be from 1 to 500' })
  pageSize?: number;

  @ApiProperty({ required: false, example: '-code', description: 'Field to sort by; prefix with - for descending' })
  @IsOptional()
  @Matches(/^-?[a-zA-Z]+$/, { message: 'sort must be a field name, optionally prefixed with -' })
  sort?: string;

  @ApiProperty({ required: false, description: 'Words or code to look for' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}

/** A page of a list: the items, the total count in scope, and the page asked for. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/**
 * Resolves `sort` against the fields an endpoint allows (`{ code: 'p.code', title: 'p.title' }`).
 * @returns `[column, 'ASC' | 'DESC']`, the default when `sort` is absent
 * @throws an Error naming the allowed fields, mapped by callers to a 400
 */
export function resolveSort(
  sort: string | undefined,
  allowed: Record<string, string>,
  fallback: string,
): { column: string; direction: 'ASC' | 'DESC'; error?: string } {
  const key = (sort ?? fallback).replace(/^-/, '');
  const direction = (sort ?? fallback).startsWith('-') ? 'DESC' : 'ASC';
  // Own keys only: `toString`, `constructor`, `__proto__` are not sort fields (no prototype lookups).
  const column = Object.hasOwn(allowed, key) ? allowed[key] : undefined;
  if (!column)
    return {
      column: allowed[fallback.replace(/^-/, '')],
      direction,
      error: `sort must be one of: ${Object.keys(allowed).join(', ')} (prefix - for descending)`,
    };
  return { column, direction };
}
