import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

export class SdgGoalResponseDto {
  @ApiProperty({ example: '16' }) code: string;
  @ApiProperty({ example: 'Promote peaceful and inclusive societies for sustainable development, ...' }) title: string;
  @ApiProperty({ example: 12, required: false }) targetCount?: number;
}

export class SdgTargetResponseDto {
  @ApiProperty({ example: '16.4' }) code: string;
  @ApiProperty({ example: '16' }) goalCode: string;
  @ApiProperty({ example: 'By 2030, significantly reduce illicit financial and arms flows, ...' }) title: string;
}

export class SdgIndicatorResponseDto {
  @ApiProperty({ example: '16.4.1' }) code: string;
  @ApiProperty({ example: '16.4' }) targetCode: string;
  @ApiProperty() title: string;
  @ApiProperty({ example: 'C160401', nullable: true, type: String }) unsdCode: string | null;
  @ApiProperty({
    example: '16.4.1',
    description: 'First listing of this indicator (repeats such as 11.5.1 point to 1.5.1)',
  })
  primaryCode: string;
}

export class SdgGoalDetailResponseDto extends SdgGoalResponseDto {
  @ApiProperty({ type: [SdgTargetResponseDto] }) targets: SdgTargetResponseDto[];
}

export class SdgTargetDetailResponseDto extends SdgTargetResponseDto {
  @ApiProperty({ type: [SdgIndicatorResponseDto] }) indicators: SdgIndicatorResponseDto[];
}

export class SdgIndicatorDetailResponseDto extends SdgIndicatorResponseDto {
  @ApiProperty({ type: [String], example: ['11.5.1', '13.1.1'], description: 'Other codes of the same indicator' })
  alsoListedAs: string[];
}

export class SdgSearchQueryDto {
  @ApiProperty({
    example: 'trafficking',
    description: 'A code (`16.4`, `1.A`) or words that must all appear in the title',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  q: string;

  @ApiProperty({ required: false, default: 50, minimum: 1, maximum: 200 })
  @IsOptional()
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(200)
  limit?: number;
}

export class SdgSearchResponseDto {
  @ApiProperty({ type: [SdgGoalResponseDto] }) goals: SdgGoalResponseDto[];
  @ApiProperty({ type: [SdgTargetResponseDto] }) targets: SdgTargetResponseDto[];
  @ApiProperty({ type: [SdgIndicatorResponseDto] }) indicators: SdgIndicatorResponseDto[];
}
