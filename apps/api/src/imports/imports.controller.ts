import { Body, Controller, Post, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { DomainException, ErrorCode } from '#libs/common';
import type { AuthUser } from '#libs/auth';
import { IatiImportService } from '#libs/iati';
import { CurrentUser, Roles } from '../auth/auth.decorators.js';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { BoundedFileInterceptor } from '../common/bounded-file.interceptor.js';

/** The part of a multer file the import reads. */
interface UploadedIatiFile {
  buffer: Buffer;
  originalname: string;
}

const MAX_IATI_BYTES = 20 * 1024 * 1024;

export class IatiImportBodyDto {
  @ApiProperty({
    required: false,
    example: 'ROSAF',
    description:
      'Owning org unit code (required for project managers: an office they manage); admins may omit it to derive one from reporting-org',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'orgUnitCode must be 1–32 letters, digits, _ or -' })
  orgUnitCode?: string;
}

class ChangeCountsDto {
  @ApiProperty() created: number;
  @ApiProperty() updated: number;
  @ApiProperty() unchanged: number;
}

class ImportIssueDto {
  @ApiProperty({ enum: ['error', 'warning', 'info'] }) severity: string;
  @ApiProperty({ example: 'iati-activity[GB-GOV-3-300708]/result[1]/indicator[4]/period[2]/actual/@value' })
  path: string;
  @ApiProperty({ example: 'currency_parsed' }) code: string;
  @ApiProperty({ example: "'£3,500,000' read as 3500000 GBP" }) message: string;
  @ApiProperty({ required: false }) iatiIdentifier?: string;
}

class ProjectImportResultDto {
  @ApiProperty({ format: 'uuid' }) projectId: string;
  @ApiProperty() iatiIdentifier: string;
  @ApiProperty({ enum: ['created', 'updated', 'unchanged'] }) status: string;
  @ApiProperty() revisionNumber: number;
  @ApiProperty() logframeLocked: boolean;
}

export class IatiImportReportDto {
  @ApiProperty({ format: 'uuid' }) importRunId: string;
  @ApiProperty() sourceName: string;
  @ApiProperty() sourceSha256: string;
  @ApiProperty() activities: number;
  @ApiProperty({ type: ChangeCountsDto }) projects: ChangeCountsDto;
  @ApiProperty({ type: ChangeCountsDto }) outcomes: ChangeCountsDto;
  @ApiProperty({ type: ChangeCountsDto }) outputs: ChangeCountsDto;
  @ApiProperty({ type: ChangeCountsDto }) indicators: ChangeCountsDto;
  @ApiProperty({ type: ChangeCountsDto }) periodTargets: ChangeCountsDto;
  @ApiProperty({ type: ChangeCountsDto }) actuals: ChangeCountsDto;
  @ApiProperty({ type: ChangeCountsDto }) sdgLinks: ChangeCountsDto;
  @ApiProperty({ type: ChangeCountsDto }) donors: ChangeCountsDto;
  @ApiProperty({ type: [ProjectImportResultDto] }) projectResults: ProjectImportResultDto[];
  @ApiProperty({ type: [ImportIssueDto] }) issues: ImportIssueDto[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, example: { currency_parsed: 1 } })
  issueCounts: Record<string, number>;
}

/** IATI 2.03 imports. */
@ApiTags('imports')
@Controller('imports')
export class ImportsController {
  constructor(private readonly imports: IatiImportService) {}

  @Post('iati')
  @ApiOperation({
    summary: 'Import an IATI 2.03 activities file',
    description:
      'Each <iati-activity> becomes a project with a draft logframe (idempotent on iati-identifier). Answers the import report: counts and every value that could not be used or was interpreted, with its element path.',
  })
  @Roles('admin', 'project_manager')
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary' }, orgUnitCode: { type: 'string' } },
    },
  })
  @ApiCreatedResponse({ type: IatiImportReportDto })
  @ApiErrors(400, 404, 409, 413, 422)
  @UseInterceptors(BoundedFileInterceptor('file', MAX_IATI_BYTES))
  async importIati(
    @UploadedFile() file: UploadedIatiFile | undefined,
    @Body() body: IatiImportBodyDto,
    @CurrentUser() user: AuthUser,
  ): Promise<IatiImportReportDto> {
    if (!file)
      throw DomainException.badRequest(
        ErrorCode.VALIDATION_FAILED,
        'Attach the IATI XML file in the form field "file"',
        [{ path: 'file', code: 'required', params: {}, message: 'is required' }],
      );
    return this.imports.importAs(user, {
      xml: file.buffer.toString('utf8'),
      sourceName: file.originalname,
      orgUnitCode: body.orgUnitCode,
    });
  }
}
