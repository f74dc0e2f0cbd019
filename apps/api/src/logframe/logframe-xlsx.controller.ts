import { Controller, Get, Param, Put, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiProperty,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { AuthUser } from '#libs/auth';
import { ErrorCode } from '#libs/common';
import { type LogframeWorkbook, LogframeXlsxService, MAX_XLSX_BYTES, XLSX_MEDIA_TYPE } from '#libs/logframe';
import { ANY_ROLE, CurrentUser, Roles } from '../auth/auth.decorators.js';
import { ApiErrors, errorParamsProperty } from '../common/api-errors.decorator.js';
import { BoundedFileInterceptor } from '../common/bounded-file.interceptor.js';
import { uuidParam } from '../common/uuid-param.js';
import { flattenValidationErrors } from '../common/validation.js';
import { LogframeDto, LogframeResponseDto } from './logframe.dto.js';
import { toLogframeResponse } from './logframe.mapper.js';

/** The part of a multer file the import reads. */
interface UploadedWorkbook {
  buffer: Buffer;
  originalname: string;
}

class CellErrorDto {
  @ApiProperty({
    example: 'outcomes[0].outputs[1].indicators[0].baseline.value',
    description: "The document path of the value, or the cell (`'Results chain'!M7`) when the row could not be placed",
  })
  path: string;
  @ApiProperty({ example: "Baseline value: 'twelve' is not a number" }) message: string;
  @ApiProperty({ example: 'Results chain', required: false }) sheet?: string;
  @ApiProperty({ example: 7, required: false, description: '1-based row number' }) row?: number;
  @ApiProperty({ example: 'M', required: false, description: 'Column letter' }) column?: string;
}

class WorkbookErrorResponseDto {
  @ApiProperty({ example: 400 }) statusCode: number;
  @ApiProperty({ example: 'BAD_REQUEST' }) error: string;
  @ApiProperty({ enum: ErrorCode, example: ErrorCode.VALIDATION_FAILED }) code: ErrorCode;
  @ApiProperty(errorParamsProperty({ example: {} })) params: Record<string, string | number | boolean | null>;
  @ApiProperty({ example: 'The workbook has 3 problem(s); nothing was saved' }) message: string;
  @ApiProperty({ type: [CellErrorDto], required: false }) errors?: CellErrorDto[];
}

/** The document as the JSON body of PUT /projects/:id/logframe would carry it (measures as numbers), for the DTO checks. */
const toDtoShape = (book: LogframeWorkbook) =>
  toLogframeResponse(book.document as Parameters<typeof toLogframeResponse>[0]);

/**
 * The logframe as an Excel workbook: export the working copy, edit it in Excel, upload it back
 * (DESIGN.md §2; layout in libs/logframe/src/xlsx). The upload goes through the same checks as
 * `PUT /projects/:id/logframe` (shape, then LogframeService.replace), and every problem is reported
 * with the sheet, row and column of the value.
 */
@ApiTags('projects')
@Controller('projects')
export class LogframeXlsxController {
  constructor(private readonly workbooks: LogframeXlsxService) {}

  /**
   * The working copy as .xlsx (donors: the approved revision, else 404). Sheets: "Results chain"
   * (one row per element in tree order, hidden Id column), "Period targets", "Read me" (with the
   * logframe version the upload must match). Numbers are number cells (percentages 0–100); dates are
   * Excel dates shown as YYYY-MM-DD.
   * @throws DomainException not_found (project outside scope, no logframe)
   */
  @Get(':id/logframe.xlsx')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    summary: 'The logframe as an Excel workbook (to edit and upload back)',
    description:
      'Sheets "Results chain" (one row per element in tree order: project SDG links, outcomes, their assumptions and indicators, outputs, their indicators and activities; unlinked outputs; impact indicators; hidden Id column), "Period targets" and "Read me" (instructions and the logframe version). Numbers are numbers (percentages 0–100), dates are Excel dates (YYYY-MM-DD). Donors get the approved revision (404 if none).',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProduces(XLSX_MEDIA_TYPE)
  @ApiOkResponse({
    description: 'The workbook',
    content: { [XLSX_MEDIA_TYPE]: { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiErrors(400, 404)
  async export(@Param('id', uuidParam('id')) id: string, @CurrentUser() user: AuthUser): Promise<StreamableFile> {
    const { file, filename } = await this.workbooks.export(user, id);
    return new StreamableFile(file, {
      type: XLSX_MEDIA_TYPE,
      disposition: `attachment; filename="${filename}"`,
      length: file.length,
    });
  }

  /**
   * Replaces the draft logframe from an edited workbook (multipart field `file`, at most 10 MB), all
   * or nothing. Errors name the sheet, row and column of each bad value:
   * 400 unreadable cells (text for a number, unknown list value, bad date, unknown parent code, ...)
   * and bad shapes, all at once; 422 broken rules; 409 stale version (Read me), duplicate code, or
   * a revision that is not a draft. Answers the saved logframe (as GET /projects/:id/logframe).
   */
  @Put(':id/logframe.xlsx')
  @Roles('project_manager')
  @ApiOperation({
    summary: 'Replace the draft logframe from an edited workbook (all or nothing)',
    description:
      'Upload the workbook of GET /projects/:id/logframe.xlsx, edited, in the form field "file". Rows are matched by their Id (hidden column), or by code when it is empty. 400: cells that cannot be read, all of them; 422: broken rules; 409: stale version, duplicate code or a revision that is not a draft. Every error carries the sheet, row and column of the value besides its document path.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary', description: 'The .xlsx workbook' } },
    },
  })
  @ApiOkResponse({ type: LogframeResponseDto })
  @ApiResponse({
    status: 400,
    description: 'Not an .xlsx workbook, or cells that cannot be read: `errors` lists each with sheet, row and column',
    type: WorkbookErrorResponseDto,
  })
  @ApiResponse({
    status: 409,
    description: 'Stale version, duplicate code, or the revision is not a draft',
    type: WorkbookErrorResponseDto,
  })
  @ApiResponse({
    status: 422,
    description: 'Breaks a rule: `errors` lists each with sheet, row and column',
    type: WorkbookErrorResponseDto,
  })
  // Below the explicit responses, so theirs (with cell positions) win; it adds 404 and x-error-codes.
  @ApiErrors(
    404,
    413,
    ErrorCode.FILE_UNREADABLE,
    ErrorCode.STALE_VERSION,
    ErrorCode.DUPLICATE,
    ErrorCode.INVALID_STATE,
    ErrorCode.LOGFRAME_INVALID,
    ErrorCode.RULE_VIOLATED,
  )
  @UseInterceptors(BoundedFileInterceptor('file', MAX_XLSX_BYTES))
  async import(
    @Param('id', uuidParam('id')) id: string,
    @UploadedFile() file: UploadedWorkbook | undefined,
    @CurrentUser() user: AuthUser,
  ): Promise<unknown> {
    // The same shape checks as PUT /projects/:id/logframe, on the values that could be read.
    const shapeErrors = async (book: LogframeWorkbook) =>
      flattenValidationErrors(
        await validate(plainToInstance(LogframeDto, toDtoShape(book)), {
          whitelist: true,
          forbidNonWhitelisted: true,
          stopAtFirstError: true,
        }),
      );
    return toLogframeResponse(await this.workbooks.import(user, id, file?.buffer, shapeErrors));
  }
}
