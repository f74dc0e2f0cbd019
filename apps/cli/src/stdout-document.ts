import { fstatSync, ftruncateSync, writeSync } from 'node:fs';

/**
 * Writes a document to standard output as it is produced. `npm run <script> > file` prints npm's
 * banner ("> rbm-tracker@0.1.0 export:iati") into the file before the command runs, which would put
 * text before the XML declaration; when standard output is a regular file the document is
 * therefore written from the file's first byte (positioned writes) and the file cut to its length.
 * Pipes get the bytes as they come (use `npm run --silent` there).
 */
export class StdoutDocument {
  private readonly regularFile: boolean;
  private position = 0;

  constructor(private readonly fd = 1) {
    this.regularFile = isRegularFile(fd);
  }

  write(chunk: string): void {
    const bytes = Buffer.from(chunk, 'utf8');
    let done = 0;
    while (done < bytes.length) {
      done += this.regularFile
        ? writeSync(this.fd, bytes, done, bytes.length - done, this.position + done)
        : writeSync(this.fd, bytes, done, bytes.length - done);
    }
    this.position += bytes.length;
  }

  /** Cuts a regular file after the document (removing what npm wrote before it). */
  end(): void {
    if (this.regularFile) ftruncateSync(this.fd, this.position);
  }
}

function isRegularFile(fd: number): boolean {
  try {
    return fstatSync(fd).isFile();
  } catch {
    return false;
  }
}
