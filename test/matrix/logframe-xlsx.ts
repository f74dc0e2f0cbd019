import type { Response } from 'superagent';
import type Test from 'supertest/lib/test.js';
import type TestAgent from 'supertest/lib/agent.js';
import type { Entry, MatrixContext } from '../support/matrix.js';
import { paManager, paReaders } from './expectations.js';

/** Collects a binary answer (an .xlsx) into a Buffer: supertest buffers only text and JSON by itself. */
export function binaryParser(res: Response, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  (res as unknown as NodeJS.ReadableStream).on('data', (chunk: Buffer) => chunks.push(chunk));
  (res as unknown as NodeJS.ReadableStream).on('end', () => callback(null, Buffer.concat(chunks)));
}

/** GET /projects/:id/logframe.xlsx as the agent's user: the response, with `body` the workbook bytes. */
export const downloadXlsx = (agent: TestAgent, projectId: string): Test =>
  agent.get(`/projects/${projectId}/logframe.xlsx`).buffer(true).parse(binaryParser);

/**
 * The logframe workbook routes. Reading follows GET /projects/:id/logframe (donors only an approved
 * revision: PA has none, so 404); the upload follows PUT /projects/:id/logframe (managers of the
 * project's office). Each upload sends PA's current workbook (exported by the admin), so it is valid.
 */
export function logframeXlsxEntries({ stack, fx }: MatrixContext): Record<string, Entry> {
  const { pa } = fx.projects;
  return {
    'GET /projects/:id/logframe.xlsx': {
      call: (a) => downloadXlsx(a, pa),
      expect: paReaders(200),
    },
    'PUT /projects/:id/logframe.xlsx': {
      call: async (a) =>
        a
          .put(`/projects/${pa}/logframe.xlsx`)
          .attach('file', (await downloadXlsx(stack.http(), pa)).body as Buffer, 'logframe.xlsx'),
      expect: paManager(200),
    },
  };
}
