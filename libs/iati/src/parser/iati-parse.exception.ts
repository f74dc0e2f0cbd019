/** Why a whole document was refused (single values never are: they become import issues). */
export enum IatiParseErrorCode {
  /** Not well-formed XML (unclosed tag, bad entity, ...). */
  XmlMalformed = 'xml_malformed',
  /** Well-formed XML whose root is neither `<iati-activities>` nor `<iati-activity>`. */
  NotIatiActivities = 'not_iati_activities',
  /** Empty input. */
  Empty = 'empty_document',
}

/**
 * Thrown by `parseIatiActivities` when the document as a whole cannot be read.
 * `line`/`column` (1-based) point at the XML error when known.
 */
export class IatiParseException extends Error {
  override readonly name = 'IatiParseException';

  constructor(
    readonly code: IatiParseErrorCode,
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
  }
}
