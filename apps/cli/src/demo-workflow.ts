import { readFileSync } from 'node:fs';
import type { INestApplicationContext } from '@nestjs/common';
import { RevisionWorkflowService } from '#libs/approval';
import type { AuthUser } from '#libs/auth';
import { repoPath } from '#libs/common';
import { ProgressService } from '#libs/progress';
import {
  type AssumptionDoc,
  type IndicatorDoc,
  type LogframeDocument,
  LogframeService,
  ProjectRepository,
  ProjectService,
  type SdgLinkDoc,
} from '#libs/logframe';

/** The demo manager's edits to each imported logframe (data/samples/gdihub-demo-edits.json). */
interface DemoEdits {
  projects: Record<
    string,
    {
      theoryOfChange: string;
      sdgLinks: SdgLinkDoc[];
      assumptions: AssumptionDoc[];
      outcome: { code: string; statement: string; sdgLinks: SdgLinkDoc[]; indicator: IndicatorDoc };
      indicators: Record<
        string,
        {
          unit: string;
          meansOfVerification: string;
          collectionFrequency: IndicatorDoc['collectionFrequency'];
          aggregation: IndicatorDoc['aggregation'];
          confirmEndTarget: boolean;
        }
      >;
      progress: {
        outcomeRating: { rating: 'on_track' | 'at_risk' | 'off_track'; justification: string };
        varianceExplanations: Record<string, string>;
      };
    }
  >;
}

/**
 * The quarter a report covers goes through the progress workflow: the demo manager submits it (the
 * outcome rating and the explanations of variance from the edits file), the demo focal point
 * validates it. Already validated quarters are left as they are.
 * @returns a line saying what happened
 */
export async function validateQuarter(
  app: INestApplicationContext,
  projectId: string,
  year: number,
  quarter: number,
  manager: AuthUser,
  focal: AuthUser,
): Promise<string> {
  const progress = app.get(ProgressService);
  const project = await app.get(ProjectRepository).get(projectId);
  const label = `${year}-Q${quarter}`;
  let current = await progress.read(projectId, year, quarter, manager);
  if (current.status === 'validated') return `${project.code} ${label}: already validated`;
  const edits = (JSON.parse(readFileSync(EDITS, 'utf8')) as DemoEdits).projects[project.iatiIdentifier ?? '']?.progress;
  if (!edits) return `${project.code} ${label}: no demo progress; left unvalidated`;
  if (current.status === 'draft' || current.status === 'returned') {
    const explanations = current.indicators
      .filter((i) => i.needsExplanation)
      .map((i) => ({ indicatorId: i.id, explanation: edits.varianceExplanations[i.code] ?? '' }));
    current = await progress.submitQuarter(
      projectId,
      year,
      quarter,
      {
        version: Math.max(current.version, 1),
        outcomeRatings: current.outcomes.map((o) => ({ outcomeId: o.id, ...edits.outcomeRating })),
        varianceExplanations: explanations,
      },
      manager,
    );
  }
  await progress.validateQuarter(projectId, year, quarter, current.version, focal);
  return `${project.code} ${label}: submitted by ${manager.email} (outcome rated ${edits.outcomeRating.rating}), validated by ${focal.email}`;
}

const EDITS = repoPath('data', 'samples', 'gdihub-demo-edits.json');

/**
 * Walks the real QA workflow for one imported project, as people would: the demo manager completes
 * the imported logframe (an outcome the outputs serve, with its own outcome indicator; units, means
 * of verification, SDG links with rationale, a theory of change, assumptions; confirmed end targets
 * and aggregations, clearing the importer's review flags), sees the checklist pass and submits; the
 * demo focal point, a different person, approves. Already approved projects are left as they are.
 * @returns a line saying what happened
 */
export async function walkQaWorkflow(
  app: INestApplicationContext,
  projectId: string,
  manager: AuthUser,
  focal: AuthUser,
): Promise<string> {
  const logframes = app.get(LogframeService);
  const workflow = app.get(RevisionWorkflowService);
  const project = await app.get(ProjectRepository).get(projectId);
  const revisions = await workflow.list(manager, projectId);
  if (revisions.some((r) => r.status === 'approved'))
    return `${project.code}: revision ${revisions.find((r) => r.status === 'approved')!.number} already approved`;
  const edits = (JSON.parse(readFileSync(EDITS, 'utf8')) as DemoEdits).projects[project.iatiIdentifier ?? ''];
  if (!edits) return `${project.code}: no demo edits; left as imported`;

  if (revisions[0].status === 'draft' || revisions[0].status === 'returned') {
    await app
      .get(ProjectService)
      .update(manager, projectId, { version: project.version, theoryOfChange: edits.theoryOfChange });
    const current = await logframes.read(projectId);
    const confirm = (indicator: IndicatorDoc): IndicatorDoc => {
      const edit = edits.indicators[indicator.code];
      return edit
        ? {
            ...indicator,
            unit: edit.unit,
            meansOfVerification: edit.meansOfVerification,
            collectionFrequency: edit.collectionFrequency,
            aggregation: edit.aggregation,
          }
        : indicator;
    };
    const outputs = [...current.outcomes.flatMap((o) => o.outputs), ...current.unlinkedOutputs].map((o) => ({
      ...o,
      indicators: o.indicators.map(confirm),
    }));
    const doc: LogframeDocument = {
      version: current.version,
      sdgLinks: edits.sdgLinks,
      assumptions: edits.assumptions,
      impactIndicators: current.impactIndicators.map(confirm),
      outcomes: [
        {
          code: edits.outcome.code,
          statement: edits.outcome.statement,
          sdgLinks: edits.outcome.sdgLinks,
          assumptions: [],
          indicators: [edits.outcome.indicator],
          outputs,
        },
      ],
      unlinkedOutputs: [],
    };
    await logframes.replace(manager, projectId, doc);
    await logframes.clearReviewFlags(manager, projectId, Object.keys(edits.indicators));
    const checklist = await workflow.checklist(manager, projectId);
    if (!checklist.passed)
      return `${project.code}: checklist still has ${checklist.blocking.length} blocking item(s): ${checklist.blocking.map((i) => `${i.elementCode} ${i.rule}`).join(', ')}`;
    const latest = (await workflow.list(manager, projectId))[0];
    await workflow.submit(manager, projectId, latest.version);
  }
  const submitted = (await workflow.list(focal, projectId))[0];
  const approved = await workflow.approve(focal, projectId, submitted.number, submitted.version);
  return `${project.code}: checklist passed (${submitted.checklist?.warnings.length ?? 0} warning(s)); submitted by ${manager.email}, approved by ${focal.email} as revision ${approved.number} (snapshot ${approved.snapshotSha256?.slice(0, 12)}…)`;
}
