import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MAX_PARALLEL_TASKS } from '#libs/common';
import { ReportBuilderService } from '#libs/reporting';
import { binary } from './support/binary.js';
import { approvedProject, type ApprovedProject } from './support/approved-project.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

/**
 * XLSX and PDF are rendered on first download (docs/RULES.md, "Report files"), each in a transaction
 * holding the render's advisory lock, and at most MAX_PARALLEL_TASKS renders run at once in a process.
 * Many first downloads at once (a donor portal opening every report of a quarter) must not each hold
 * a connection of the API process's pool (10) while waiting for a render slot: that left no connection
 * for any other request until the renders drained. Needs `npm run build:api` (the render worker thread).
 */
describe('first downloads at once hold no more connections than renders run', () => {
  let stack: TestStack;
  let p: ApprovedProject;
  const reportIds: string[] = [];

  beforeAll(async () => {
    stack = await startTestStack();
    p = await approvedProject(stack, { code: 'RCON', outputsPerOutcome: [1] });
    for (const quarter of [1, 2, 3, 4]) {
      const { id } = (
        await stack
          .http(p.manager)
          .post('/reports')
          .send({ scope: 'project', projectId: p.projectId, year: 2026, quarter })
          .expect(202)
      ).body as { id: string };
      expect(await stack.api.get(ReportBuilderService).build(id)).toBe('completed');
      reportIds.push(id);
    }
  });
  afterAll(async () => stack?.close());

  it('16 first downloads of different files: each rendered once, never more than MAX_PARALLEL_TASKS render transactions open', async () => {
    // Each render's insert records how many sessions hold or wait for an advisory lock at that moment.
    await stack.dataSource.query(`CREATE TABLE test_render_sessions (format text NOT NULL, sessions int NOT NULL)`);
    await stack.dataSource.query(`CREATE FUNCTION test_log_render_sessions() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO test_render_sessions
        SELECT NEW.format::text, count(DISTINCT l.pid) FROM pg_locks l
         WHERE l.locktype = 'advisory' AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database());
        RETURN NEW;
      END $$`);
    await stack.dataSource.query(
      `CREATE TRIGGER test_render_sessions AFTER INSERT ON report_file FOR EACH ROW EXECUTE FUNCTION test_log_render_sessions()`,
    );
    const keys = reportIds.flatMap((id) =>
      ['pdf', 'xlsx'].flatMap((format) => ['en', 'fr'].map((lang) => ({ id, format, lang }))),
    );
    const answers = await Promise.all(
      keys.map(({ id, format, lang }) =>
        stack
          .http(p.manager)
          .get(`/reports/${id}/report.${format}?lang=${lang}`)
          .buffer(true)
          .parse(binary as never),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(keys.map(() => 200));
    const logged: { format: string; sessions: number }[] = await stack.dataSource.query(
      `SELECT format, sessions FROM test_render_sessions`,
    );
    expect(logged).toHaveLength(keys.length);
    expect(Math.max(...logged.map((l) => l.sessions))).toBeLessThanOrEqual(MAX_PARALLEL_TASKS);
    await stack.dataSource.query(`DROP TRIGGER test_render_sessions ON report_file`);
  }, 240_000);
});
