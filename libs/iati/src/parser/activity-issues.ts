import type { ImportIssue, ImportIssueCode, ImportIssueSeverity } from './iati-parse.types.js';

/** Collects issues for one activity, stamping its identifier. */
export class ActivityIssues {
  constructor(
    private readonly sink: ImportIssue[],
    private readonly iatiIdentifier: string | undefined,
  ) {}

  add(severity: ImportIssueSeverity, path: string, code: ImportIssueCode, message: string): void {
    const issue: ImportIssue = { severity, path, code, message };
    if (this.iatiIdentifier) issue.iatiIdentifier = this.iatiIdentifier;
    this.sink.push(issue);
  }
}
