import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { Command } from 'commander';
import { DataSource } from 'typeorm';
import { loadConfigOrExit } from '#libs/config';
import { DEFAULT_DEMO_PASSWORD, seedDemoUsers } from '#libs/auth';
import { DomainException } from '#libs/common';
import { AppConfig } from '#libs/config';
import { IatiExportService, IatiImportService } from '#libs/iati';
import { SdgService } from '#libs/sdg';
import { CliModule } from './cli.module.js';
import { runDemo } from './demo.js';
import { preflight, ServiceUnavailableError } from './preflight.js';
import { StdoutDocument } from './stdout-document.js';

async function withApp<T>(
  fn: (app: Awaited<ReturnType<typeof NestFactory.createApplicationContext>>) => Promise<T>,
): Promise<T> {
  const config = loadConfigOrExit();
  await preflight(config);
  const app = await NestFactory.createApplicationContext(CliModule, { logger: ['error', 'warn'] });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

const program = new Command('rbm').description('RBM Tracker command line');

program
  .command('migrate')
  .description('Run pending migrations')
  .action(() =>
    withApp(async (app) => {
      const applied = await app.get(DataSource).runMigrations({ transaction: 'each' });
      console.log(applied.length ? `Applied: ${applied.map((m) => m.name).join(', ')}` : 'Schema up to date');
    }),
  );

program
  .command('sdg-load')
  .description('Load the SDG framework (idempotent)')
  .action(() => withApp(async (app) => console.log(JSON.stringify(await app.get(SdgService).load()))));

program
  .command('import-iati <file>')
  .description('Import an IATI 2.03 activities file; prints the import report as JSON')
  .option('--org-unit <code>', 'owning org unit code (default: derived from reporting-org)')
  .action((file: string, options: { orgUnit?: string }) =>
    withApp(async (app) => {
      const report = await app
        .get(IatiImportService)
        .import({ xml: readFileSync(file, 'utf8'), sourceName: basename(file), orgUnitCode: options.orgUnit });
      console.log(JSON.stringify(report, null, 2));
    }),
  );

program
  .command('export-iati')
  .description(
    'Write the IATI 2.03 activity file of the published projects to standard output (the export report goes to standard error)',
  )
  .option('--donor <ref>', 'only projects funded by this donor (IATI organisation ref or id)')
  .option('--org-unit <code>', 'only projects of this org unit and the units below it (code or id)')
  .option('--programme <code>', 'only projects of this programme (code or id)')
  .option('--include-other-publishers', 'include projects imported from another publisher (tests)')
  .action((options: { donor?: string; orgUnit?: string; programme?: string; includeOtherPublishers?: boolean }) =>
    withApp(async (app) => {
      const out = new StdoutDocument();
      const report = await app
        .get(IatiExportService)
        .exportFromCommandLine(
          { donor: options.donor, orgUnit: options.orgUnit, programme: options.programme },
          { includeOtherPublishers: options.includeOtherPublishers },
          (chunk) => out.write(chunk),
        );
      out.end();
      console.error(JSON.stringify(report, null, 2));
      console.error(
        `IATI export: ${report.activities.length} activities, ${report.skipped.length} projects kept out, ${report.errors.length} errors, ${report.warnings.length} warnings`,
      );
      if (report.activities.length === 0) {
        console.error('No activity qualifies for export (an IATI file needs at least one): nothing was written');
        process.exitCode = 1;
      }
    }),
  );

program
  .command('seed-demo-users')
  .description('Create the demo org units, donor and one user per role (never in production unless --force)')
  .option('--force', 'allow in production')
  .action((options: { force?: boolean }) =>
    withApp(async (app) => {
      const config = app.get(AppConfig);
      const users = await seedDemoUsers(app.get(DataSource), {
        password: config.DEMO_PASSWORD ?? DEFAULT_DEMO_PASSWORD,
        nodeEnv: config.NODE_ENV,
        force: options.force,
      });
      console.log(users.map((u) => `${u.email} (${u.role})`).join('\n'));
    }),
  );

program
  .command('demo')
  .description('Main job end to end on the shipped GDI Hub IATI file')
  .action(() => withApp(runDemo));

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof ServiceUnavailableError) console.error(error.message);
  else console.error(error instanceof Error ? error.message : error);
  if (error instanceof DomainException) for (const e of error.errors) console.error(`  ${e.path}: ${e.message}`);
  process.exit(1);
});
