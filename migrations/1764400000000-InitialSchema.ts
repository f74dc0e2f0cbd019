import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1764400000000 implements MigrationInterface {
  name = 'InitialSchema1764400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "donor" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(300) NOT NULL, "iati_org_ref" character varying(100), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, CONSTRAINT "PK_51f7b00d1120f7130b69f8a3a46" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_f9d169a013e5d4d525cba760be" ON "donor"  ("iati_org_ref") WHERE iati_org_ref IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."org_unit_type" AS ENUM('hq_division', 'regional_office', 'country_office', 'programme_office')`,
    );
    await queryRunner.query(
      `CREATE TABLE "org_unit" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" character varying(32) NOT NULL, "name" character varying(300) NOT NULL, "type" "public"."org_unit_type" NOT NULL, "parent_id" uuid, "country_codes" character varying(2) array NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, CONSTRAINT "PK_ba1c59043dc14bb66023c1d07c7" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_b030ad27296e9df74659dcb8ec" ON "org_unit"  ("code") `);
    await queryRunner.query(`CREATE TYPE "public"."programme_scope" AS ENUM('global', 'regional', 'country')`);
    await queryRunner.query(
      `CREATE TABLE "programme" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" character varying(32) NOT NULL, "title" character varying(500) NOT NULL, "scope" "public"."programme_scope" NOT NULL, "org_unit_id" uuid NOT NULL, "start_date" date, "end_date" date, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, CONSTRAINT "PK_76ff6b30b74f213944d1ac0a660" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_0cb721fe5a34b811494fb228d9" ON "programme"  ("code") `);
    await queryRunner.query(
      `CREATE TABLE "app_user" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "email" character varying(320) NOT NULL, "display_name" character varying(200) NOT NULL, "password_hash" character varying(200), "is_active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, CONSTRAINT "PK_22a5c4a3d9b2fb8e4e73fc4ada1" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_3fa909d0e37c531ebc23770339" ON "app_user"  ("email") `);
    await queryRunner.query(
      `CREATE TYPE "public"."role" AS ENUM('project_manager', 'rbm_focal_point', 'donor', 'admin')`,
    );
    await queryRunner.query(
      `CREATE TABLE "role_assignment" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "role" "public"."role" NOT NULL, "org_unit_id" uuid, "donor_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7e79671a8a5db18936173148cb4" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE TYPE "public"."provenance" AS ENUM('entered', 'imported')`);
    await queryRunner.query(
      `CREATE TABLE "project" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" character varying(200) NOT NULL, "title" text NOT NULL, "description" text, "programme_id" uuid, "org_unit_id" uuid NOT NULL, "countries" character varying(2) array NOT NULL DEFAULT '{}', "start_date" date, "end_date" date, "budget_amount" numeric, "budget_currency" character(3), "theory_of_change" text, "gender_marker" smallint, "human_rights_marker" smallint, "lnob_groups" character varying(40) array NOT NULL DEFAULT '{}', "provenance" "public"."provenance" NOT NULL DEFAULT 'entered', "iati_identifier" character varying(200), "created_by_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, CONSTRAINT "PK_4d68b1358bb5b766d3e78f32f57" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_b58774a8460d69d09c888158ab" ON "project"  ("code") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_027b8496d33e6d1841eb6ec23d" ON "project"  ("iati_identifier") WHERE iati_identifier IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "funding_agreement" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "project_id" uuid NOT NULL, "donor_id" uuid NOT NULL, "amount" numeric, "currency" character(3), "start_date" date, "end_date" date, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, CONSTRAINT "PK_b755cf0ffa42025e0286dd9f790" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_ee3e4d7c170f9f8ac559cdc0be" ON "funding_agreement"  ("donor_id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_e9f2065cc58ea6ea0377970566" ON "funding_agreement"  ("project_id", "donor_id") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."revision_status" AS ENUM('draft', 'submitted', 'returned', 'approved', 'superseded')`,
    );
    await queryRunner.query(
      `CREATE TABLE "logframe_revision" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "project_id" uuid NOT NULL, "number" integer NOT NULL, "status" "public"."revision_status" NOT NULL DEFAULT 'draft', "justification" text, "based_on_revision_id" uuid, "submitted_by_id" uuid, "submitted_at" TIMESTAMP WITH TIME ZONE, "approved_by_id" uuid, "approved_at" TIMESTAMP WITH TIME ZONE, "checklist" jsonb, "snapshot" jsonb, "snapshot_sha256" character(64), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, CONSTRAINT "PK_04239c71985c6aff1a0b42e7dc1" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_755cca3a0e9bcfe794e1c8d718" ON "logframe_revision"  ("project_id", "number") `,
    );
    await queryRunner.query(
      `CREATE TABLE "logframe_revision_editor" ("revision_id" uuid NOT NULL, "user_id" uuid NOT NULL, "first_edited_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_48653064074cb21b088a8577552" PRIMARY KEY ("revision_id", "user_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "outcome" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "revision_id" uuid NOT NULL, "stable_id" uuid NOT NULL, "code" character varying(40) NOT NULL, "statement" text NOT NULL, "position" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d721e56b4240f79aaa14cb54775" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_7fae77ebc29f049a9344115f20" ON "outcome"  ("revision_id", "code") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_204be1ed363bb4e6113a83569d" ON "outcome"  ("revision_id", "stable_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "output" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "revision_id" uuid NOT NULL, "stable_id" uuid NOT NULL, "outcome_id" uuid, "code" character varying(40) NOT NULL, "statement" text NOT NULL, "position" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_e141e6cac9aab4abf3bace13a51" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_da6827f2ad70372335f7855fdd" ON "output"  ("outcome_id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_ea2877c35fdaeeaa05fcce95e3" ON "output"  ("revision_id", "code") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_3e9f03442ea05818a7b3af4bc7" ON "output"  ("revision_id", "stable_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "activity" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "revision_id" uuid NOT NULL, "stable_id" uuid NOT NULL, "output_id" uuid NOT NULL, "code" character varying(40) NOT NULL, "description" text NOT NULL, "start_date" date, "end_date" date, "position" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_24625a1d6b1b089c8ae206fe467" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_4e237a64de6b39e1c61bf4145b" ON "activity"  ("output_id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_68472a22ccfed12497cc08a1e7" ON "activity"  ("revision_id", "code") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_f291956ae630165daae4ce800e" ON "activity"  ("revision_id", "stable_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "sdg_goal" ("code" character varying(2) NOT NULL, "title" text NOT NULL, CONSTRAINT "PK_61b6fb19f3d474c5f2ebb84ba54" PRIMARY KEY ("code"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "sdg_target" ("code" character varying(8) NOT NULL, "goal_code" character varying(2) NOT NULL, "title" text NOT NULL, "position" integer NOT NULL, CONSTRAINT "PK_3257fedfbbf7c2e56e20e1f592a" PRIMARY KEY ("code"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_364af54df10bc83c29817bc561" ON "sdg_target"  ("goal_code") `);
    await queryRunner.query(
      `CREATE TABLE "sdg_indicator" ("code" character varying(12) NOT NULL, "target_code" character varying(8) NOT NULL, "title" text NOT NULL, "unsd_code" character varying(20), "primary_code" character varying(12) NOT NULL, "position" integer NOT NULL, CONSTRAINT "PK_52330d43db8b3ab1c8feb9c7031" PRIMARY KEY ("code"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_1bbe70a65cef9f0996ed6e85f5" ON "sdg_indicator"  ("target_code") `);
    await queryRunner.query(`CREATE INDEX "IDX_8cf0fd17cf98a4b3830f1f1b36" ON "sdg_indicator"  ("primary_code") `);
    await queryRunner.query(`CREATE TYPE "public"."measure" AS ENUM('number', 'percentage', 'ordinal', 'qualitative')`);
    await queryRunner.query(
      `CREATE TABLE "standard_indicator" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" character varying(40) NOT NULL, "title" text NOT NULL, "definition" text, "measure" "public"."measure" NOT NULL, "unit" character varying(100), "is_active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, CONSTRAINT "PK_cd460bea0f4894d63f7cc16bf15" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_87c8be88e1f2ad1e2daa2c4865" ON "standard_indicator"  ("code") `);
    await queryRunner.query(
      `CREATE TABLE "indicator_series" ("id" uuid NOT NULL, "project_id" uuid NOT NULL, "retired_at" TIMESTAMP WITH TIME ZONE, "retired_reason" text, "retired_by_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_cc84362b206850711763fc59fc8" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_07ce5d9d9f6684de25c37d2479" ON "indicator_series"  ("project_id") `);
    await queryRunner.query(`CREATE TYPE "public"."indicator_level" AS ENUM('impact', 'outcome', 'output')`);
    await queryRunner.query(`CREATE TYPE "public"."direction" AS ENUM('increase', 'decrease')`);
    await queryRunner.query(`CREATE TYPE "public"."aggregation" AS ENUM('sum', 'latest')`);
    await queryRunner.query(
      `CREATE TYPE "public"."collection_frequency" AS ENUM('quarterly', 'semi_annual', 'annual', 'end_of_project')`,
    );
    await queryRunner.query(
      `CREATE TABLE "indicator" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "revision_id" uuid NOT NULL, "stable_id" uuid NOT NULL, "level" "public"."indicator_level" NOT NULL, "outcome_id" uuid, "output_id" uuid, "code" character varying(40) NOT NULL, "title" text NOT NULL, "definition" text, "measure" "public"."measure" NOT NULL, "iati_measure" smallint, "unit" character varying(100), "direction" "public"."direction" NOT NULL DEFAULT 'increase', "aggregation" "public"."aggregation" NOT NULL DEFAULT 'sum', "ordinal_scale" jsonb, "baseline_value" numeric, "baseline_numerator" numeric, "baseline_denominator" numeric, "baseline_year" smallint, "baseline_date" date, "baseline_comment" text, "baseline_not_available_reason" text, "baseline_due_date" date, "end_target_value" numeric, "end_target_numerator" numeric, "end_target_denominator" numeric, "end_target_description" text, "means_of_verification" text, "data_source" text, "collection_frequency" "public"."collection_frequency", "required_disaggregations" character varying(40) array NOT NULL DEFAULT '{}', "standard_indicator_id" uuid, "sdg_indicator_code" character varying(12), "flags" jsonb NOT NULL DEFAULT '[]', "position" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_4693fe4c2cb912a71e05c589e7e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_2492c53eadc85037236e9e4aca" ON "indicator"  ("stable_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_4098267d1b11356e2124de3b58" ON "indicator"  ("outcome_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_71494871c9d49dfe20fd69881d" ON "indicator"  ("output_id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_036b20bd0cebd03eb825916a74" ON "indicator"  ("revision_id", "code") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_f0ce02e8668c4ce6d125ebf04f" ON "indicator"  ("revision_id", "stable_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "period_target" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "indicator_id" uuid NOT NULL, "period_start" date NOT NULL, "period_end" date NOT NULL, "value" numeric, "numerator" numeric, "denominator" numeric, "description" text, "comment" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a960b9648a7423a6995c93fee51" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_3a20a5d68a9193b1438d636b9a" ON "period_target"  ("indicator_id", "period_start", "period_end") `,
    );
    await queryRunner.query(
      `CREATE TABLE "period_target_disaggregation" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "period_target_id" uuid NOT NULL, "dimension" character varying(100) NOT NULL, "category" character varying(200) NOT NULL, "value" numeric, "numerator" numeric, "denominator" numeric, CONSTRAINT "PK_0aa7079e1e3a9b44d81c1ce5308" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_a98b283a362ddfb1be09687ced" ON "period_target_disaggregation"  ("period_target_id", "dimension", "category") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."milestone_rating" AS ENUM('achieved', 'partly_achieved', 'not_achieved')`,
    );
    await queryRunner.query(
      `CREATE TABLE "actual" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "indicator_series_id" uuid NOT NULL, "period_start" date NOT NULL, "period_end" date NOT NULL, "value" numeric, "numerator" numeric, "denominator" numeric, "text" text, "rating" "public"."milestone_rating", "comment" text, "evidence_url" character varying(2000), "provenance" "public"."provenance" NOT NULL DEFAULT 'entered', "source_note" text, "entered_by_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, CONSTRAINT "PK_736964a0478840743f45a4a61b7" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_e492d775684178dc5caf9bc827" ON "actual"  ("indicator_series_id", "period_start", "period_end") `,
    );
    await queryRunner.query(
      `CREATE TABLE "actual_disaggregation" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "actual_id" uuid NOT NULL, "dimension" character varying(100) NOT NULL, "category" character varying(200) NOT NULL, "value" numeric, "numerator" numeric, "denominator" numeric, CONSTRAINT "PK_5d1e2999f5a154fdb3c1e5345cd" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_621e1f741dbec17a950fd38a79" ON "actual_disaggregation"  ("actual_id", "dimension", "category") `,
    );
    await queryRunner.query(`CREATE TYPE "public"."assumption_kind" AS ENUM('assumption', 'risk')`);
    await queryRunner.query(`CREATE TYPE "public"."likelihood" AS ENUM('low', 'medium', 'high')`);
    await queryRunner.query(
      `CREATE TABLE "assumption" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "revision_id" uuid NOT NULL, "stable_id" uuid NOT NULL, "outcome_id" uuid, "output_id" uuid, "kind" "public"."assumption_kind" NOT NULL DEFAULT 'assumption', "statement" text NOT NULL, "likelihood" "public"."likelihood", "impact" "public"."likelihood", "mitigation" text, "position" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_660c63c194366242c5ed81e0938" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_8f940b06c33dd30b84bc0dfbdb" ON "assumption"  ("revision_id", "stable_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "assumption_update" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "project_id" uuid NOT NULL, "assumption_stable_id" uuid NOT NULL, "year" smallint NOT NULL, "quarter" smallint NOT NULL, "status" character varying(40) NOT NULL, "note" text, "created_by_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_09ed6ba28ff64b7b089cdb76c7d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_f2fea5b43cd5b92abec3397ad3" ON "assumption_update"  ("project_id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_1bb78ae4225e6e6036d0f67d40" ON "assumption_update"  ("assumption_stable_id", "year", "quarter") `,
    );
    await queryRunner.query(
      `CREATE TABLE "audit_event" ("id" BIGSERIAL NOT NULL, "project_id" uuid, "actor_id" uuid, "action" character varying(60) NOT NULL, "entity_type" character varying(60) NOT NULL, "entity_id" character varying(200), "before" jsonb, "after" jsonb, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_481efbe8b0a403efe3f47a6528f" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_000c813fbedbf969e9ace71bc7" ON "audit_event"  ("project_id") `);
    await queryRunner.query(
      `CREATE TYPE "public"."progress_status" AS ENUM('draft', 'submitted', 'validated', 'returned')`,
    );
    await queryRunner.query(
      `CREATE TABLE "progress_report" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "project_id" uuid NOT NULL, "year" smallint NOT NULL, "quarter" smallint NOT NULL, "status" "public"."progress_status" NOT NULL DEFAULT 'draft', "submitted_by_id" uuid, "submitted_at" TIMESTAMP WITH TIME ZONE, "validated_by_id" uuid, "validated_at" TIMESTAMP WITH TIME ZONE, "reopen_reason" text, "restated" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, CONSTRAINT "PK_de44d4f311d5a0132f49f9f0820" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_0f303e9b802c9f349fea159b02" ON "progress_report"  ("project_id", "year", "quarter") `,
    );
    await queryRunner.query(`CREATE TYPE "public"."outcome_rating_value" AS ENUM('on_track', 'at_risk', 'off_track')`);
    await queryRunner.query(
      `CREATE TABLE "outcome_rating" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "progress_report_id" uuid NOT NULL, "outcome_stable_id" uuid NOT NULL, "rating" "public"."outcome_rating_value" NOT NULL, "justification" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d8845e952907fd65ed5f812a6a2" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_07122588b5c84a455aa52f9cf6" ON "outcome_rating"  ("progress_report_id", "outcome_stable_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "variance_explanation" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "progress_report_id" uuid NOT NULL, "indicator_series_id" uuid NOT NULL, "explanation" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d64838b90e98ad16d289c5c03a5" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_7c95fcdd6d44435bfd556256c5" ON "variance_explanation"  ("progress_report_id", "indicator_series_id") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."element_type" AS ENUM('project', 'outcome', 'output', 'activity', 'indicator', 'assumption')`,
    );
    await queryRunner.query(
      `CREATE TABLE "review_comment" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "project_id" uuid NOT NULL, "revision_id" uuid, "progress_report_id" uuid, "element_type" "public"."element_type", "element_stable_id" uuid, "author_id" uuid NOT NULL, "body" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_81a77699383553c51a2d444a8a9" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_55eb08df0dbacd65f6f7c82b5c" ON "review_comment"  ("project_id") `);
    await queryRunner.query(
      `CREATE TABLE "rbm_settings" ("version" integer NOT NULL, "at_risk_from" numeric NOT NULL, "on_track_from" numeric NOT NULL, "exceeded_above" numeric NOT NULL, "validation_cutoff_days" integer NOT NULL DEFAULT '30', "blocking_checks" jsonb NOT NULL DEFAULT '[]', "created_by_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_e91c3b07dfa0d1cfbd6dabcfebd" PRIMARY KEY ("version"))`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."report_scope" AS ENUM('project', 'programme', 'donor', 'sdg_target', 'org_unit')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."report_status" AS ENUM('requested', 'queued', 'running', 'completed', 'failed')`,
    );
    await queryRunner.query(
      `CREATE TABLE "report" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "scope_type" "public"."report_scope" NOT NULL, "scope_id" character varying(64) NOT NULL, "year" smallint NOT NULL, "quarter" smallint NOT NULL, "period_start" date NOT NULL, "period_end" date NOT NULL, "fingerprint" character(64) NOT NULL, "version" integer NOT NULL, "status" "public"."report_status" NOT NULL DEFAULT 'requested', "internal" boolean NOT NULL DEFAULT true, "attempts" integer NOT NULL DEFAULT '0', "error" text, "thresholds_version" integer, "content" jsonb, "requested_by_id" uuid, "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "queued_at" TIMESTAMP WITH TIME ZONE, "started_at" TIMESTAMP WITH TIME ZONE, "completed_at" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_99e4d0bea58cba73c57f935a546" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_16122025dfac3c4c2c8e411166" ON "report"  ("status") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_5e53d68f5b90b934e1d5a76ee7" ON "report"  ("scope_type", "scope_id", "year", "quarter", "version") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_bf3103d59ce5ca6e4d0e6782c8" ON "report"  ("scope_type", "scope_id", "year", "quarter", "fingerprint") `,
    );
    await queryRunner.query(`CREATE TYPE "public"."report_format" AS ENUM('json', 'csv', 'xlsx', 'pdf', 'xml')`);
    await queryRunner.query(
      `CREATE TABLE "report_file" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "report_id" uuid NOT NULL, "format" "public"."report_format" NOT NULL, "media_type" character varying(100) NOT NULL, "content" bytea NOT NULL, "sha256" character(64) NOT NULL, "byte_size" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_1ee07d7eee68a3ea0a9a73e1454" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_a9eac53a056862f83a5d38687d" ON "report_file"  ("report_id", "format") `,
    );
    await queryRunner.query(
      `CREATE TABLE "import_run" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "source_name" character varying(300) NOT NULL, "source_sha256" character(64) NOT NULL, "format" character varying(40) NOT NULL DEFAULT 'iati-2.03', "org_unit_id" uuid, "summary" jsonb NOT NULL, "issues" jsonb NOT NULL, "imported_by_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_efe3e6d8cb9f51ca4e9cd1cf5d3" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE TYPE "public"."sdg_contribution" AS ENUM('primary', 'secondary')`);
    await queryRunner.query(
      `CREATE TABLE "sdg_link" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "revision_id" uuid NOT NULL, "outcome_id" uuid, "output_id" uuid, "sdg_target_code" character varying(8) NOT NULL, "contribution" "public"."sdg_contribution" NOT NULL DEFAULT 'secondary', "rationale" text, "source" character varying(40) NOT NULL DEFAULT 'entered', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c4016d90e66449e6c669ce4a917" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_726ce388265235fe1efe8706f1" ON "sdg_link"  ("sdg_target_code") `);
    await queryRunner.query(`CREATE INDEX "IDX_879eda7e913d967163473033a7" ON "sdg_link"  ("revision_id") `);
    await queryRunner.query(
      `ALTER TABLE "org_unit" ADD CONSTRAINT "FK_b8e4301109a2850200ba2c7c512" FOREIGN KEY ("parent_id") REFERENCES "org_unit"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "programme" ADD CONSTRAINT "FK_ca74d0899f96c41fdbce49c1feb" FOREIGN KEY ("org_unit_id") REFERENCES "org_unit"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "role_assignment" ADD CONSTRAINT "FK_0308896e1a10f74ce104f6cc93f" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "role_assignment" ADD CONSTRAINT "FK_4c3f49160db5780f98e19d27c84" FOREIGN KEY ("org_unit_id") REFERENCES "org_unit"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "role_assignment" ADD CONSTRAINT "FK_451d0c3e47546a8374b109f4d71" FOREIGN KEY ("donor_id") REFERENCES "donor"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "project" ADD CONSTRAINT "FK_a957be019e3ecfebb3812ed722e" FOREIGN KEY ("programme_id") REFERENCES "programme"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "project" ADD CONSTRAINT "FK_1470d1d56067520149e81a5d0f4" FOREIGN KEY ("org_unit_id") REFERENCES "org_unit"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "project" ADD CONSTRAINT "FK_e155d8f98ec858daa457d6ff291" FOREIGN KEY ("created_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "funding_agreement" ADD CONSTRAINT "FK_21d3d0a820132177bde31f92b6a" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "funding_agreement" ADD CONSTRAINT "FK_ee3e4d7c170f9f8ac559cdc0bee" FOREIGN KEY ("donor_id") REFERENCES "donor"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "logframe_revision" ADD CONSTRAINT "FK_32c5e8b8966fb90e574cc08f1cc" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "logframe_revision" ADD CONSTRAINT "FK_5e8a4415d009060429faf3de219" FOREIGN KEY ("based_on_revision_id") REFERENCES "logframe_revision"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "logframe_revision" ADD CONSTRAINT "FK_eca6644fc553c223247130baff5" FOREIGN KEY ("submitted_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "logframe_revision" ADD CONSTRAINT "FK_bdd8bfc7c57a63a386117e28143" FOREIGN KEY ("approved_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "logframe_revision_editor" ADD CONSTRAINT "FK_c828d853ed37e7977ec24703f26" FOREIGN KEY ("revision_id") REFERENCES "logframe_revision"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "logframe_revision_editor" ADD CONSTRAINT "FK_09cfbbde7651e9d8a72840e0ddf" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "outcome" ADD CONSTRAINT "FK_c6f7278b536a6843feb15a547c6" FOREIGN KEY ("revision_id") REFERENCES "logframe_revision"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "output" ADD CONSTRAINT "FK_57c7f10828996f49c0253fb7e42" FOREIGN KEY ("revision_id") REFERENCES "logframe_revision"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "output" ADD CONSTRAINT "FK_da6827f2ad70372335f7855fdda" FOREIGN KEY ("outcome_id") REFERENCES "outcome"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "activity" ADD CONSTRAINT "FK_6e1cdb4bc1639607594cf1c309b" FOREIGN KEY ("revision_id") REFERENCES "logframe_revision"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "activity" ADD CONSTRAINT "FK_4e237a64de6b39e1c61bf4145b9" FOREIGN KEY ("output_id") REFERENCES "output"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "sdg_target" ADD CONSTRAINT "FK_364af54df10bc83c29817bc561f" FOREIGN KEY ("goal_code") REFERENCES "sdg_goal"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "sdg_indicator" ADD CONSTRAINT "FK_1bbe70a65cef9f0996ed6e85f59" FOREIGN KEY ("target_code") REFERENCES "sdg_target"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "indicator_series" ADD CONSTRAINT "FK_07ce5d9d9f6684de25c37d2479e" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "indicator_series" ADD CONSTRAINT "FK_26d98c81edc74fc79473af298f7" FOREIGN KEY ("retired_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "indicator" ADD CONSTRAINT "FK_356b9c4680c7f2df210aa3a87d9" FOREIGN KEY ("revision_id") REFERENCES "logframe_revision"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "indicator" ADD CONSTRAINT "FK_2492c53eadc85037236e9e4acae" FOREIGN KEY ("stable_id") REFERENCES "indicator_series"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "indicator" ADD CONSTRAINT "FK_4098267d1b11356e2124de3b589" FOREIGN KEY ("outcome_id") REFERENCES "outcome"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "indicator" ADD CONSTRAINT "FK_71494871c9d49dfe20fd69881d6" FOREIGN KEY ("output_id") REFERENCES "output"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "indicator" ADD CONSTRAINT "FK_583760968fa95322cb49d028200" FOREIGN KEY ("standard_indicator_id") REFERENCES "standard_indicator"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "indicator" ADD CONSTRAINT "FK_ffbfb18d2281074b414deaa81de" FOREIGN KEY ("sdg_indicator_code") REFERENCES "sdg_indicator"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "period_target" ADD CONSTRAINT "FK_f633be0915228ad98c86c8fee18" FOREIGN KEY ("indicator_id") REFERENCES "indicator"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "period_target_disaggregation" ADD CONSTRAINT "FK_fe84741e7252663ee934e4f1c34" FOREIGN KEY ("period_target_id") REFERENCES "period_target"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "actual" ADD CONSTRAINT "FK_fdb730a20638798fcd53ed21d08" FOREIGN KEY ("indicator_series_id") REFERENCES "indicator_series"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "actual" ADD CONSTRAINT "FK_8c4ec0cb8e3b2fdd514ad975ff9" FOREIGN KEY ("entered_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "actual_disaggregation" ADD CONSTRAINT "FK_22dd3435a1303c87ccf7002912b" FOREIGN KEY ("actual_id") REFERENCES "actual"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "assumption" ADD CONSTRAINT "FK_cc9df7ac4bf7d7183fd8c55734d" FOREIGN KEY ("revision_id") REFERENCES "logframe_revision"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "assumption" ADD CONSTRAINT "FK_9eaeec6738403b619a9371bc664" FOREIGN KEY ("outcome_id") REFERENCES "outcome"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "assumption" ADD CONSTRAINT "FK_4464a7897eed874290e25af9f3e" FOREIGN KEY ("output_id") REFERENCES "output"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "assumption_update" ADD CONSTRAINT "FK_f2fea5b43cd5b92abec3397ad36" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "assumption_update" ADD CONSTRAINT "FK_b1b5e8af1ab08051ab497f0104e" FOREIGN KEY ("created_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "progress_report" ADD CONSTRAINT "FK_41c35dba1c93898cd50b5a3dca5" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "progress_report" ADD CONSTRAINT "FK_c79c433a9cd53a8aaed1fcad80a" FOREIGN KEY ("submitted_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "progress_report" ADD CONSTRAINT "FK_5c2a80a8f85c9ced214253ad5fc" FOREIGN KEY ("validated_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "outcome_rating" ADD CONSTRAINT "FK_0b2c2efaaa6c480fe0b869ffd91" FOREIGN KEY ("progress_report_id") REFERENCES "progress_report"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "variance_explanation" ADD CONSTRAINT "FK_19d1a0ab3059638cd6d3486730d" FOREIGN KEY ("progress_report_id") REFERENCES "progress_report"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "variance_explanation" ADD CONSTRAINT "FK_540d365be40c4c460fd15603e33" FOREIGN KEY ("indicator_series_id") REFERENCES "indicator_series"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "review_comment" ADD CONSTRAINT "FK_55eb08df0dbacd65f6f7c82b5c0" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "review_comment" ADD CONSTRAINT "FK_23b9a03408623322de5b090808b" FOREIGN KEY ("revision_id") REFERENCES "logframe_revision"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "review_comment" ADD CONSTRAINT "FK_1cd5955d39f6e70cc5030d03b92" FOREIGN KEY ("progress_report_id") REFERENCES "progress_report"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "review_comment" ADD CONSTRAINT "FK_5ec388d91ecf1322f4a1304321e" FOREIGN KEY ("author_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_file" ADD CONSTRAINT "FK_81c2f33b45737d28490c6314573" FOREIGN KEY ("report_id") REFERENCES "report"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "sdg_link" ADD CONSTRAINT "FK_879eda7e913d967163473033a74" FOREIGN KEY ("revision_id") REFERENCES "logframe_revision"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "sdg_link" ADD CONSTRAINT "FK_140374b675ab2206b68501ef898" FOREIGN KEY ("outcome_id") REFERENCES "outcome"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "sdg_link" ADD CONSTRAINT "FK_0b5e0d47859eadfeff244cdf662" FOREIGN KEY ("output_id") REFERENCES "output"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "sdg_link" ADD CONSTRAINT "FK_726ce388265235fe1efe8706f11" FOREIGN KEY ("sdg_target_code") REFERENCES "sdg_target"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // Hand-written: what TypeORM's decorators cannot express.
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_role_assignment_scope" ON "role_assignment" ("user_id", "role", "org_unit_id", "donor_id") NULLS NOT DISTINCT`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_sdg_link_element_target" ON "sdg_link" ("revision_id", "outcome_id", "output_id", "sdg_target_code") NULLS NOT DISTINCT`,
    );
    await queryRunner.query(
      `ALTER TABLE "report" ADD CONSTRAINT "CHK_report_quarter" CHECK ("quarter" BETWEEN 1 AND 4)`,
    );
    await queryRunner.query(
      `ALTER TABLE "progress_report" ADD CONSTRAINT "CHK_progress_report_quarter" CHECK ("quarter" BETWEEN 1 AND 4)`,
    );
    await queryRunner.query(
      `ALTER TABLE "period_target" ADD CONSTRAINT "CHK_period_target_dates" CHECK ("period_start" <= "period_end")`,
    );
    await queryRunner.query(
      `ALTER TABLE "actual" ADD CONSTRAINT "CHK_actual_dates" CHECK ("period_start" <= "period_end")`,
    );
    // The audit trail is append-only: no UPDATE or DELETE, whoever asks.
    await queryRunner.query(
      `CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_event is append-only'; END $$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER audit_event_no_rewrite BEFORE UPDATE OR DELETE ON "audit_event" FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()`,
    );
    // Organisation settings version 1: DESIGN.md section 5 thresholds, cut-off 30 days after quarter end.
    await queryRunner.query(
      `INSERT INTO "rbm_settings" ("version", "at_risk_from", "on_track_from", "exceeded_above", "validation_cutoff_days", "blocking_checks") VALUES (1, 50, 85, 115, 30, '["sex_disaggregation"]')`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "audit_event_no_rewrite" ON "audit_event"`);
    await queryRunner.query(`DROP FUNCTION audit_event_append_only()`);
    await queryRunner.query(`DROP INDEX "public"."UQ_sdg_link_element_target"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_role_assignment_scope"`);
    await queryRunner.query(`ALTER TABLE "sdg_link" DROP CONSTRAINT "FK_726ce388265235fe1efe8706f11"`);
    await queryRunner.query(`ALTER TABLE "sdg_link" DROP CONSTRAINT "FK_0b5e0d47859eadfeff244cdf662"`);
    await queryRunner.query(`ALTER TABLE "sdg_link" DROP CONSTRAINT "FK_140374b675ab2206b68501ef898"`);
    await queryRunner.query(`ALTER TABLE "sdg_link" DROP CONSTRAINT "FK_879eda7e913d967163473033a74"`);
    await queryRunner.query(`ALTER TABLE "report_file" DROP CONSTRAINT "FK_81c2f33b45737d28490c6314573"`);
    await queryRunner.query(`ALTER TABLE "review_comment" DROP CONSTRAINT "FK_5ec388d91ecf1322f4a1304321e"`);
    await queryRunner.query(`ALTER TABLE "review_comment" DROP CONSTRAINT "FK_1cd5955d39f6e70cc5030d03b92"`);
    await queryRunner.query(`ALTER TABLE "review_comment" DROP CONSTRAINT "FK_23b9a03408623322de5b090808b"`);
    await queryRunner.query(`ALTER TABLE "review_comment" DROP CONSTRAINT "FK_55eb08df0dbacd65f6f7c82b5c0"`);
    await queryRunner.query(`ALTER TABLE "variance_explanation" DROP CONSTRAINT "FK_540d365be40c4c460fd15603e33"`);
    await queryRunner.query(`ALTER TABLE "variance_explanation" DROP CONSTRAINT "FK_19d1a0ab3059638cd6d3486730d"`);
    await queryRunner.query(`ALTER TABLE "outcome_rating" DROP CONSTRAINT "FK_0b2c2efaaa6c480fe0b869ffd91"`);
    await queryRunner.query(`ALTER TABLE "progress_report" DROP CONSTRAINT "FK_5c2a80a8f85c9ced214253ad5fc"`);
    await queryRunner.query(`ALTER TABLE "progress_report" DROP CONSTRAINT "FK_c79c433a9cd53a8aaed1fcad80a"`);
    await queryRunner.query(`ALTER TABLE "progress_report" DROP CONSTRAINT "FK_41c35dba1c93898cd50b5a3dca5"`);
    await queryRunner.query(`ALTER TABLE "assumption_update" DROP CONSTRAINT "FK_b1b5e8af1ab08051ab497f0104e"`);
    await queryRunner.query(`ALTER TABLE "assumption_update" DROP CONSTRAINT "FK_f2fea5b43cd5b92abec3397ad36"`);
    await queryRunner.query(`ALTER TABLE "assumption" DROP CONSTRAINT "FK_4464a7897eed874290e25af9f3e"`);
    await queryRunner.query(`ALTER TABLE "assumption" DROP CONSTRAINT "FK_9eaeec6738403b619a9371bc664"`);
    await queryRunner.query(`ALTER TABLE "assumption" DROP CONSTRAINT "FK_cc9df7ac4bf7d7183fd8c55734d"`);
    await queryRunner.query(`ALTER TABLE "actual_disaggregation" DROP CONSTRAINT "FK_22dd3435a1303c87ccf7002912b"`);
    await queryRunner.query(`ALTER TABLE "actual" DROP CONSTRAINT "FK_8c4ec0cb8e3b2fdd514ad975ff9"`);
    await queryRunner.query(`ALTER TABLE "actual" DROP CONSTRAINT "FK_fdb730a20638798fcd53ed21d08"`);
    await queryRunner.query(
      `ALTER TABLE "period_target_disaggregation" DROP CONSTRAINT "FK_fe84741e7252663ee934e4f1c34"`,
    );
    await queryRunner.query(`ALTER TABLE "period_target" DROP CONSTRAINT "FK_f633be0915228ad98c86c8fee18"`);
    await queryRunner.query(`ALTER TABLE "indicator" DROP CONSTRAINT "FK_ffbfb18d2281074b414deaa81de"`);
    await queryRunner.query(`ALTER TABLE "indicator" DROP CONSTRAINT "FK_583760968fa95322cb49d028200"`);
    await queryRunner.query(`ALTER TABLE "indicator" DROP CONSTRAINT "FK_71494871c9d49dfe20fd69881d6"`);
    await queryRunner.query(`ALTER TABLE "indicator" DROP CONSTRAINT "FK_4098267d1b11356e2124de3b589"`);
    await queryRunner.query(`ALTER TABLE "indicator" DROP CONSTRAINT "FK_2492c53eadc85037236e9e4acae"`);
    await queryRunner.query(`ALTER TABLE "indicator" DROP CONSTRAINT "FK_356b9c4680c7f2df210aa3a87d9"`);
    await queryRunner.query(`ALTER TABLE "indicator_series" DROP CONSTRAINT "FK_26d98c81edc74fc79473af298f7"`);
    await queryRunner.query(`ALTER TABLE "indicator_series" DROP CONSTRAINT "FK_07ce5d9d9f6684de25c37d2479e"`);
    await queryRunner.query(`ALTER TABLE "sdg_indicator" DROP CONSTRAINT "FK_1bbe70a65cef9f0996ed6e85f59"`);
    await queryRunner.query(`ALTER TABLE "sdg_target" DROP CONSTRAINT "FK_364af54df10bc83c29817bc561f"`);
    await queryRunner.query(`ALTER TABLE "activity" DROP CONSTRAINT "FK_4e237a64de6b39e1c61bf4145b9"`);
    await queryRunner.query(`ALTER TABLE "activity" DROP CONSTRAINT "FK_6e1cdb4bc1639607594cf1c309b"`);
    await queryRunner.query(`ALTER TABLE "output" DROP CONSTRAINT "FK_da6827f2ad70372335f7855fdda"`);
    await queryRunner.query(`ALTER TABLE "output" DROP CONSTRAINT "FK_57c7f10828996f49c0253fb7e42"`);
    await queryRunner.query(`ALTER TABLE "outcome" DROP CONSTRAINT "FK_c6f7278b536a6843feb15a547c6"`);
    await queryRunner.query(`ALTER TABLE "logframe_revision_editor" DROP CONSTRAINT "FK_09cfbbde7651e9d8a72840e0ddf"`);
    await queryRunner.query(`ALTER TABLE "logframe_revision_editor" DROP CONSTRAINT "FK_c828d853ed37e7977ec24703f26"`);
    await queryRunner.query(`ALTER TABLE "logframe_revision" DROP CONSTRAINT "FK_bdd8bfc7c57a63a386117e28143"`);
    await queryRunner.query(`ALTER TABLE "logframe_revision" DROP CONSTRAINT "FK_eca6644fc553c223247130baff5"`);
    await queryRunner.query(`ALTER TABLE "logframe_revision" DROP CONSTRAINT "FK_5e8a4415d009060429faf3de219"`);
    await queryRunner.query(`ALTER TABLE "logframe_revision" DROP CONSTRAINT "FK_32c5e8b8966fb90e574cc08f1cc"`);
    await queryRunner.query(`ALTER TABLE "funding_agreement" DROP CONSTRAINT "FK_ee3e4d7c170f9f8ac559cdc0bee"`);
    await queryRunner.query(`ALTER TABLE "funding_agreement" DROP CONSTRAINT "FK_21d3d0a820132177bde31f92b6a"`);
    await queryRunner.query(`ALTER TABLE "project" DROP CONSTRAINT "FK_e155d8f98ec858daa457d6ff291"`);
    await queryRunner.query(`ALTER TABLE "project" DROP CONSTRAINT "FK_1470d1d56067520149e81a5d0f4"`);
    await queryRunner.query(`ALTER TABLE "project" DROP CONSTRAINT "FK_a957be019e3ecfebb3812ed722e"`);
    await queryRunner.query(`ALTER TABLE "role_assignment" DROP CONSTRAINT "FK_451d0c3e47546a8374b109f4d71"`);
    await queryRunner.query(`ALTER TABLE "role_assignment" DROP CONSTRAINT "FK_4c3f49160db5780f98e19d27c84"`);
    await queryRunner.query(`ALTER TABLE "role_assignment" DROP CONSTRAINT "FK_0308896e1a10f74ce104f6cc93f"`);
    await queryRunner.query(`ALTER TABLE "programme" DROP CONSTRAINT "FK_ca74d0899f96c41fdbce49c1feb"`);
    await queryRunner.query(`ALTER TABLE "org_unit" DROP CONSTRAINT "FK_b8e4301109a2850200ba2c7c512"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_879eda7e913d967163473033a7"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_726ce388265235fe1efe8706f1"`);
    await queryRunner.query(`DROP TABLE "sdg_link"`);
    await queryRunner.query(`DROP TYPE "public"."sdg_contribution"`);
    await queryRunner.query(`DROP TABLE "import_run"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a9eac53a056862f83a5d38687d"`);
    await queryRunner.query(`DROP TABLE "report_file"`);
    await queryRunner.query(`DROP TYPE "public"."report_format"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_bf3103d59ce5ca6e4d0e6782c8"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_5e53d68f5b90b934e1d5a76ee7"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_16122025dfac3c4c2c8e411166"`);
    await queryRunner.query(`DROP TABLE "report"`);
    await queryRunner.query(`DROP TYPE "public"."report_status"`);
    await queryRunner.query(`DROP TYPE "public"."report_scope"`);
    await queryRunner.query(`DROP TABLE "rbm_settings"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_55eb08df0dbacd65f6f7c82b5c"`);
    await queryRunner.query(`DROP TABLE "review_comment"`);
    await queryRunner.query(`DROP TYPE "public"."element_type"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_7c95fcdd6d44435bfd556256c5"`);
    await queryRunner.query(`DROP TABLE "variance_explanation"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_07122588b5c84a455aa52f9cf6"`);
    await queryRunner.query(`DROP TABLE "outcome_rating"`);
    await queryRunner.query(`DROP TYPE "public"."outcome_rating_value"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_0f303e9b802c9f349fea159b02"`);
    await queryRunner.query(`DROP TABLE "progress_report"`);
    await queryRunner.query(`DROP TYPE "public"."progress_status"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_000c813fbedbf969e9ace71bc7"`);
    await queryRunner.query(`DROP TABLE "audit_event"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_1bb78ae4225e6e6036d0f67d40"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f2fea5b43cd5b92abec3397ad3"`);
    await queryRunner.query(`DROP TABLE "assumption_update"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_8f940b06c33dd30b84bc0dfbdb"`);
    await queryRunner.query(`DROP TABLE "assumption"`);
    await queryRunner.query(`DROP TYPE "public"."likelihood"`);
    await queryRunner.query(`DROP TYPE "public"."assumption_kind"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_621e1f741dbec17a950fd38a79"`);
    await queryRunner.query(`DROP TABLE "actual_disaggregation"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_e492d775684178dc5caf9bc827"`);
    await queryRunner.query(`DROP TABLE "actual"`);
    await queryRunner.query(`DROP TYPE "public"."milestone_rating"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a98b283a362ddfb1be09687ced"`);
    await queryRunner.query(`DROP TABLE "period_target_disaggregation"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_3a20a5d68a9193b1438d636b9a"`);
    await queryRunner.query(`DROP TABLE "period_target"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f0ce02e8668c4ce6d125ebf04f"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_036b20bd0cebd03eb825916a74"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_71494871c9d49dfe20fd69881d"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_4098267d1b11356e2124de3b58"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_2492c53eadc85037236e9e4aca"`);
    await queryRunner.query(`DROP TABLE "indicator"`);
    await queryRunner.query(`DROP TYPE "public"."collection_frequency"`);
    await queryRunner.query(`DROP TYPE "public"."aggregation"`);
    await queryRunner.query(`DROP TYPE "public"."direction"`);
    await queryRunner.query(`DROP TYPE "public"."indicator_level"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_07ce5d9d9f6684de25c37d2479"`);
    await queryRunner.query(`DROP TABLE "indicator_series"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_87c8be88e1f2ad1e2daa2c4865"`);
    await queryRunner.query(`DROP TABLE "standard_indicator"`);
    await queryRunner.query(`DROP TYPE "public"."measure"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_8cf0fd17cf98a4b3830f1f1b36"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_1bbe70a65cef9f0996ed6e85f5"`);
    await queryRunner.query(`DROP TABLE "sdg_indicator"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_364af54df10bc83c29817bc561"`);
    await queryRunner.query(`DROP TABLE "sdg_target"`);
    await queryRunner.query(`DROP TABLE "sdg_goal"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f291956ae630165daae4ce800e"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_68472a22ccfed12497cc08a1e7"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_4e237a64de6b39e1c61bf4145b"`);
    await queryRunner.query(`DROP TABLE "activity"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_3e9f03442ea05818a7b3af4bc7"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ea2877c35fdaeeaa05fcce95e3"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_da6827f2ad70372335f7855fdd"`);
    await queryRunner.query(`DROP TABLE "output"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_204be1ed363bb4e6113a83569d"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_7fae77ebc29f049a9344115f20"`);
    await queryRunner.query(`DROP TABLE "outcome"`);
    await queryRunner.query(`DROP TABLE "logframe_revision_editor"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_755cca3a0e9bcfe794e1c8d718"`);
    await queryRunner.query(`DROP TABLE "logframe_revision"`);
    await queryRunner.query(`DROP TYPE "public"."revision_status"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_e9f2065cc58ea6ea0377970566"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ee3e4d7c170f9f8ac559cdc0be"`);
    await queryRunner.query(`DROP TABLE "funding_agreement"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_027b8496d33e6d1841eb6ec23d"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_b58774a8460d69d09c888158ab"`);
    await queryRunner.query(`DROP TABLE "project"`);
    await queryRunner.query(`DROP TYPE "public"."provenance"`);
    await queryRunner.query(`DROP TABLE "role_assignment"`);
    await queryRunner.query(`DROP TYPE "public"."role"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_3fa909d0e37c531ebc23770339"`);
    await queryRunner.query(`DROP TABLE "app_user"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_0cb721fe5a34b811494fb228d9"`);
    await queryRunner.query(`DROP TABLE "programme"`);
    await queryRunner.query(`DROP TYPE "public"."programme_scope"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_b030ad27296e9df74659dcb8ec"`);
    await queryRunner.query(`DROP TABLE "org_unit"`);
    await queryRunner.query(`DROP TYPE "public"."org_unit_type"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f9d169a013e5d4d525cba760be"`);
    await queryRunner.query(`DROP TABLE "donor"`);
  }
}
