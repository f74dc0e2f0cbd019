import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createDonor, createOrgUnit } from '#libs/testing';
import type { TestStack } from './test-stack.js';

export const IATI_SCHEMA = resolve(process.cwd(), '../shared/data/iati/schema-2.03/iati-activities-schema.xsd');

/** Validates an IATI document with xmllint against the 2.03 activity schema; returns xmllint's verdict. */
export function xmllint(xml: string): { valid: boolean; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'iati-'));
  const file = join(dir, 'activities.xml');
  writeFileSync(file, xml);
  try {
    const output = execFileSync('xmllint', ['--noout', '--schema', IATI_SCHEMA, file], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { valid: true, output };
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string };
    return { valid: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A text body parser for supertest (XML answers). */
export const asText = (res: unknown, done: (err: Error | null, body: unknown) => void) => {
  const stream = res as NodeJS.ReadableStream;
  let body = '';
  stream.setEncoding('utf8');
  stream.on('data', (c: string) => (body += c));
  stream.on('end', () => done(null, body));
};

export interface RoundTripProject {
  projectId: string;
  orgUnitId: string;
  donorId: string;
  managerToken: string;
  percentageStableId: string;
  actualId: string;
}

/**
 * A project with what the round trip must carry: a percentage outcome indicator (numerator and
 * denominator, SDG indicator 16.4.2, sex disaggregation), an output indicator in people, SDG target
 * 16.4 linked with a rationale, assumptions, a theory of change; revision 1 approved; quarter
 * 2026 Q1 validated with an explanation of variance and a public evidence link; a Q2 actual whose
 * quarter is not validated (never exported).
 */
export async function buildRoundTripProject(stack: TestStack, code = 'P-RT'): Promise<RoundTripProject> {
  const ds = stack.dataSource;
  const unit = await createOrgUnit(ds, `OU-${code}`, 'country_office');
  const donor = await createDonor(ds, `Donor of ${code}`, `XM-DONOR-${code}`);
  const managerToken = await stack.userToken(`manager.${code.toLowerCase()}@test.rbm`, [
    { role: 'project_manager', orgUnitId: unit.id },
  ]);
  const created = await stack
    .http(managerToken)
    .post('/projects')
    .send({
      code,
      title: 'Access to justice for survivors of trafficking',
      orgUnitId: unit.id,
      countries: ['KE', 'UG', 'TZ'],
      startDate: '2026-01-01',
      endDate: '2027-12-31',
    })
    .expect(201);
  const projectId = created.body.id as string;
  await ds.query(`UPDATE project SET description = $2, theory_of_change = $3 WHERE id = $1`, [
    projectId,
    'Survivors of trafficking reach justice in Kenya, Uganda and Tanzania.',
    'If prosecutors are trained and cases are tracked, then more cases reach a verdict.',
  ]);
  await ds.query(`INSERT INTO funding_agreement (project_id, donor_id, version) VALUES ($1, $2, 1)`, [
    projectId,
    donor.id,
  ]);
  const current = await stack.http(managerToken).get(`/projects/${projectId}/logframe`).expect(200);
  const quarter = (s: string, e: string, numerator: number) => ({
    periodStart: s,
    periodEnd: e,
    numerator,
    denominator: 100,
  });
  await stack
    .http(managerToken)
    .put(`/projects/${projectId}/logframe`)
    .send({
      version: current.body.version,
      sdgLinks: [
        { sdgTargetCode: '16.4', contribution: 'primary', rationale: 'Trafficking is a form of organised crime' },
      ],
      assumptions: [
        {
          kind: 'assumption',
          statement: 'The judiciary keeps its budget',
          likelihood: 'medium',
          impact: 'high',
          mitigation: 'Advocacy with the finance ministry',
        },
      ],
      impactIndicators: [],
      unlinkedOutputs: [],
      outcomes: [
        {
          code: 'OC1',
          statement: 'Trafficking cases reach a verdict',
          sdgLinks: [{ sdgTargetCode: '5.2', contribution: 'secondary', rationale: 'Most survivors are women' }],
          assumptions: [{ kind: 'risk', statement: 'Witnesses withdraw', likelihood: 'high', impact: 'medium' }],
          indicators: [
            {
              code: 'OC1-I1',
              title: 'Percentage of trafficking cases reaching a verdict',
              definition: 'Cases with a verdict over cases filed, in the courts of the three countries',
              measure: 'percentage',
              unit: 'percent',
              direction: 'increase',
              aggregation: 'latest',
              baseline: { value: 12.5, year: 2025 },
              endTarget: { numerator: 45, denominator: 100 },
              meansOfVerification: 'Court case management system',
              dataSource: 'Judiciary statistics',
              collectionFrequency: 'quarterly',
              requiredDisaggregations: ['sex'],
              sdgIndicatorCode: '16.4.2',
              periodTargets: [quarter('2026-01-01', '2026-03-31', 20), quarter('2026-04-01', '2026-06-30', 25)],
            },
          ],
          outputs: [
            {
              code: 'OP1.1',
              statement: 'Prosecutors trained',
              sdgLinks: [],
              assumptions: [],
              activities: [],
              indicators: [
                {
                  code: 'OP1.1-I1',
                  title: 'Number of prosecutors trained',
                  measure: 'number',
                  unit: 'people',
                  direction: 'increase',
                  aggregation: 'sum',
                  baseline: { value: 0, year: 2025 },
                  endTarget: { value: 120 },
                  meansOfVerification: 'Training attendance sheets',
                  collectionFrequency: 'quarterly',
                  requiredDisaggregations: [],
                  periodTargets: [{ periodStart: '2026-01-01', periodEnd: '2026-03-31', value: 30 }],
                },
              ],
            },
          ],
        },
      ],
    })
    .expect(200);
  // Approval and validation are other tests' subject: set them as the workflow would leave them.
  await ds.query(`UPDATE logframe_revision SET status = 'approved', approved_at = now() WHERE project_id = $1`, [
    projectId,
  ]);
  const [pct] = await ds.query(
    `SELECT i.stable_id FROM indicator i JOIN logframe_revision r ON r.id = i.revision_id WHERE r.project_id = $1 AND i.code = 'OC1-I1'`,
    [projectId],
  );
  const [actual] = await ds.query(
    `INSERT INTO actual (indicator_series_id, period_start, period_end, value, numerator, denominator, comment, evidence_url, evidence_public, provenance, version)
     VALUES ($1, '2026-01-01', '2026-03-31', 18, 18, 100, 'Internal: the registry was late', 'https://example.org/evidence/q1', true, 'entered', 1) RETURNING id`,
    [pct.stable_id],
  );
  await ds.query(
    `INSERT INTO actual_disaggregation (actual_id, dimension, category, value, numerator, denominator) VALUES
     ($1, 'sex', 'female', 20, 10, 50), ($1, 'sex', 'male', 16, 8, 50)`,
    [actual.id],
  );
  await ds.query(
    `INSERT INTO actual (indicator_series_id, period_start, period_end, value, numerator, denominator, provenance, version)
     VALUES ($1, '2026-04-01', '2026-06-30', 22, 22, 100, 'entered', 1)`,
    [pct.stable_id],
  );
  const [report] = await ds.query(
    `INSERT INTO progress_report (project_id, year, quarter, status, validated_at, version) VALUES ($1, 2026, 1, 'validated', now(), 1) RETURNING id`,
    [projectId],
  );
  await ds.query(
    `INSERT INTO variance_explanation (progress_report_id, indicator_series_id, explanation) VALUES ($1, $2, 'Courts closed for three weeks in February')`,
    [report.id, pct.stable_id],
  );
  return {
    projectId,
    orgUnitId: unit.id,
    donorId: donor.id,
    managerToken,
    percentageStableId: pct.stable_id,
    actualId: actual.id,
  };
}
