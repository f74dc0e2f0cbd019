import { Injectable } from '@nestjs/common';
import { type AuthUser, PolicyService } from '#libs/auth';
import { DomainException, ErrorCode, type FieldError } from '#libs/common';
import type { LogframeReadDocument } from '../logframe-document.js';
import { LogframeService } from '../logframe.service.js';
import { type LogframeWorkbook, readLogframeWorkbook, sortCellErrors } from './logframe-xlsx-reader.js';
import { writeLogframeWorkbook } from './logframe-xlsx-writer.js';

/** An exported workbook and the file name to offer it under. */
export interface LogframeWorkbookFile {
  file: Buffer;
  filename: string;
}

/**
 * The logframe as an Excel workbook (DESIGN.md §2; layout in xlsx-layout.ts): export the logframe a
 * user may read, import an edited workbook through the same rules as a JSON replace. Each method
 * starts with the policy check of the caller on the project.
 */
@Injectable()
export class LogframeXlsxService {
  constructor(
    private readonly logframes: LogframeService,
    private readonly policy: PolicyService,
  ) {}

  /**
   * The working copy as .xlsx (donors, acting only as donors: the approved revision, else 404).
   * @throws DomainException not_found (project outside scope, no logframe)
   */
  async export(user: AuthUser, projectId: string): Promise<LogframeWorkbookFile> {
    const { project, document } = await this.logframes.readFor(user, projectId);
    const file = await writeLogframeWorkbook(document, { id: project.id, code: project.code, title: project.title });
    return { file, filename: `${project.code.replace(/[^A-Za-z0-9._-]/g, '_')}-logframe-v${document.version}.xlsx` };
  }

  /**
   * Replaces the draft logframe from an edited workbook (all or nothing), as `user` (policy
   * `project.edit`, checked before the file is read). Every error names the sheet, row and column of
   * its value: 400 for cells that cannot be read, a workbook of another project and the shape errors
   * `shapeErrors` finds (the caller's checks of the request body, on the values that could be read),
   * all at once; then the rules of {@link LogframeService.replace} (409, 422).
   * @param file the uploaded bytes; undefined when the request carried no file (400)
   * @returns the saved logframe
   */
  async import(
    user: AuthUser,
    projectId: string,
    file: Buffer | undefined,
    shapeErrors: (book: LogframeWorkbook) => Promise<FieldError[]>,
  ): Promise<LogframeReadDocument> {
    await this.policy.authorizeProject(user, 'project.edit', projectId);
    if (!file)
      throw DomainException.badRequest(ErrorCode.VALIDATION_FAILED, 'Attach the workbook in the form field "file"', [
        { path: 'file', code: 'required', params: {}, message: 'is required' },
      ]);
    const book = await readLogframeWorkbook(file);
    const errors = [...book.errors];
    if (book.projectId && book.projectId !== projectId) {
      errors.push({
        path: 'projectId',
        code: 'not_applicable',
        params: { projectId: book.projectId },
        message: `This workbook was exported from another project (${book.projectId}): export this project's logframe and edit that`,
        ...book.projectIdCell,
      });
    }
    const seen = new Set(errors.map((e) => e.path));
    errors.push(...(await shapeErrors(book)).filter((e) => !seen.has(e.path)).map((e) => book.locate(e)));
    if (errors.length)
      throw DomainException.badRequest(
        ErrorCode.VALIDATION_FAILED,
        `The workbook has ${errors.length} problem(s); nothing was saved`,
        sortCellErrors(errors),
      );
    try {
      return await this.logframes.replace(user, projectId, book.document);
    } catch (error) {
      if (error instanceof DomainException && error.errors.length) {
        throw new DomainException(
          error.code,
          error.message,
          sortCellErrors(error.errors.map((e: FieldError) => book.locate(e))),
          error.reason,
          error.params,
        );
      }
      throw error;
    }
  }
}
