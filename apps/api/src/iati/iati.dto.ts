import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';

/** IATI OrganisationType codes (codelist OrganisationType, 2.03). */
export const IATI_ORGANISATION_TYPES = [
  '10',
  '11',
  '15',
  '21',
  '22',
  '23',
  '24',
  '30',
  '40',
  '60',
  '70',
  '71',
  '72',
  '73',
  '80',
  '90',
] as const;

/** `PUT /iati/settings`: the organisation as IATI publisher. */
export class IatiSettingsDto {
  @ApiProperty({ example: 'XM-DAC-41114', description: 'IATI organisation identifier (reporting-org/@ref)' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{1,98}$/, {
    message: 'organisationIdentifier must be an IATI organisation identifier (letters, digits, ".", "_", "-")',
  })
  organisationIdentifier: string;

  @ApiProperty({ example: 'United Nations Development Programme' })
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  organisationName: string;

  @ApiProperty({ example: '40', enum: IATI_ORGANISATION_TYPES, description: 'IATI OrganisationType code' })
  @IsIn(IATI_ORGANISATION_TYPES)
  organisationType: string;

  @ApiProperty({ example: 'en', description: 'Default language of entry (ISO 639-1)' })
  @Matches(/^[a-z]{2}$/, { message: 'defaultLanguage must be an ISO 639-1 code such as en' })
  defaultLanguage: string;

  @ApiProperty({ example: 'USD', description: 'Default currency (ISO 4217)' })
  @Matches(/^[A-Z]{3}$/, { message: 'defaultCurrency must be an ISO 4217 code such as USD' })
  defaultCurrency: string;
}

/** The settings as stored. */
export class IatiSettingsResponseDto extends IatiSettingsDto {
  @ApiProperty() version: number;
  @ApiProperty() updatedAt: string;
}

/** `PUT /projects/:id/iati-publication`. */
export class IatiPublicationDto {
  @ApiProperty({ description: 'Publish this project to IATI (off by default)' })
  @IsBoolean()
  publish: boolean;

  @ApiProperty({ type: String, required: false, nullable: true, example: 'Sensitive: staff safety in the field' })
  @ValidateIf((o: IatiPublicationDto) => o.publish === false || o.exclusionReason != null)
  @IsString()
  @MinLength(1, { message: 'exclusionReason is required when publish is false' })
  @MaxLength(2000)
  exclusionReason?: string | null;

  @ApiProperty({
    type: String,
    required: false,
    nullable: true,
    example: 'fr',
    description: 'Language of entry (ISO 639-1)',
  })
  @IsOptional()
  @Matches(/^[a-z]{2}$/, { message: 'language must be an ISO 639-1 code such as fr' })
  language?: string | null;

  @ApiProperty({
    type: String,
    required: false,
    nullable: true,
    example: '11220',
    description: 'DAC 5-digit sector code',
  })
  @IsOptional()
  @Matches(/^\d{5}$/, { message: 'dacSectorCode must be a DAC 5-digit code' })
  dacSectorCode?: string | null;

  @ApiProperty({
    required: false,
    type: [String],
    description: 'Actuals whose evidence link may be published; the others of the project become private',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10000)
  @IsUUID('all', { each: true })
  publicEvidenceActualIds?: string[];
}

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

/** Filters of `GET /iati/activities.xml` and `GET /iati/export-report`. */
export class IatiExportQueryDto {
  @ApiProperty({ required: false, format: 'uuid' }) @IsOptional() @IsUUID() donorId?: string;
  @ApiProperty({ required: false, format: 'uuid', description: 'This org unit and every unit below it' })
  @IsOptional()
  @IsUUID()
  orgUnitId?: string;
  @ApiProperty({ required: false, format: 'uuid' }) @IsOptional() @IsUUID() programmeId?: string;
  @ApiProperty({ required: false, description: 'Include projects imported from another publisher (tests)' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  includeOtherPublishers?: boolean;
}

/** `GET /projects/:id/iati.xml` options. */
export class IatiProjectExportQueryDto {
  @ApiProperty({ required: false, description: 'Include a project imported from another publisher (tests)' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  includeOtherPublishers?: boolean;
}

class ExportIssueDto {
  @ApiProperty({ enum: ['error', 'warning'] }) severity: string;
  @ApiProperty({ example: 'period_longer_than_year' }) code: string;
  @ApiProperty({ example: 'iati-activity[XM-DAC-41114-P1]/result[2]/indicator[1]/period[3]' }) path: string;
  @ApiProperty() message: string;
}
class ExportedActivityDto {
  @ApiProperty({ format: 'uuid' }) projectId: string;
  @ApiProperty() iatiIdentifier: string;
}
class SkippedProjectDto {
  @ApiProperty({ format: 'uuid' }) projectId: string;
  @ApiProperty() code: string;
  @ApiProperty({ enum: ['not_published', 'no_approved_revision', 'other_publisher', 'errors'] }) reason: string;
  @ApiProperty() message: string;
}

/** The export report: activities written, projects kept out and why, errors and warnings by path. */
export class IatiExportReportDto {
  @ApiProperty() generatedAt: string;
  @ApiProperty({ type: [ExportedActivityDto] }) activities: ExportedActivityDto[];
  @ApiProperty({ type: [SkippedProjectDto] }) skipped: SkippedProjectDto[];
  @ApiProperty({ type: [ExportIssueDto] }) errors: ExportIssueDto[];
  @ApiProperty({ type: [ExportIssueDto] }) warnings: ExportIssueDto[];
}

/** `GET /projects/:id/iati-preview`: exactly what would be public. */
export class IatiPreviewDto {
  @ApiProperty() publish: boolean;
  @ApiProperty({ type: String, nullable: true }) exclusionReason: string | null;
  @ApiProperty({ type: IatiExportReportDto }) report: IatiExportReportDto;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The IATI document that would be published (null: kept out)',
  })
  xml: string | null;
}
