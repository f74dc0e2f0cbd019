import { UuidRef } from '../common/dto-decorators.js';
import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Matches, Min } from 'class-validator';
import type { FundingAgreementView } from '#libs/logframe';
import {
  IsCalendarDate,
  IsMoneyAmount,
  jsonFromDecimal,
  MAX_AMOUNT_DECIMALS,
  OptionalNotNull,
} from './reference.validation.js';

const CURRENCY = /^[A-Z]{3}$/;
const CURRENCY_MESSAGE = 'currency must be an ISO 4217 code (three capital letters, e.g. USD)';
const AMOUNT_TEXT = `Exact amount in the currency: a JSON number, 0 or more, below 10^15, at most ${MAX_AMOUNT_DECIMALS} decimal places; stored as an exact decimal and returned as sent`;

export class FundingAgreementCreateDto {
  @UuidRef({ description: 'The funding donor (one agreement per donor and project)' })
  donorId: string;

  @ApiProperty({ example: 1234567.89, minimum: 0, description: AMOUNT_TEXT })
  @IsMoneyAmount()
  amount: number;

  @ApiProperty({ example: 'USD', pattern: CURRENCY.source, description: 'ISO 4217 currency code' })
  @Matches(CURRENCY, { message: CURRENCY_MESSAGE })
  currency: string;

  @ApiProperty({ format: 'date', example: '2026-01-01', description: 'Calendar date YYYY-MM-DD' })
  @IsCalendarDate()
  startDate: string;

  @ApiProperty({
    format: 'date',
    example: '2027-12-31',
    description: 'Calendar date YYYY-MM-DD, on or after startDate',
  })
  @IsCalendarDate()
  endDate: string;
}

export class FundingAgreementUpdateDto {
  @ApiProperty({ description: 'The version you read (409 when someone changed the agreement since)', example: 1 })
  @Min(1, { message: 'version must be 1 or more' })
  @IsInt({ message: 'version must be a whole number' })
  version: number;

  @ApiProperty({ required: false, example: 1500000, description: AMOUNT_TEXT })
  @OptionalNotNull()
  @IsMoneyAmount()
  amount?: number;

  @ApiProperty({ required: false, example: 'EUR', pattern: CURRENCY.source })
  @OptionalNotNull()
  @Matches(CURRENCY, { message: CURRENCY_MESSAGE })
  currency?: string;

  @ApiProperty({ required: false, format: 'date' })
  @OptionalNotNull()
  @IsCalendarDate()
  startDate?: string;

  @ApiProperty({ required: false, format: 'date' })
  @OptionalNotNull()
  @IsCalendarDate()
  endDate?: string;
}

export class FundingAgreementResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) projectId: string;
  @ApiProperty({ format: 'uuid' }) donorId: string;
  @ApiProperty({ example: 'Donor One', description: 'Co-funders are disclosed to every donor of the project' })
  donorName: string;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 1234567.89,
    description: 'Exact amount in the currency (JSON number); null when an import gave none',
  })
  amount: number | null;
  @ApiProperty({ type: String, nullable: true, example: 'USD' }) currency: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) startDate: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) endDate: string | null;
  @ApiProperty({ example: 1 }) version: number;
}

export function toFundingAgreementResponse(a: FundingAgreementView): FundingAgreementResponseDto {
  return { ...a, amount: jsonFromDecimal(a.amount) };
}
