import { resolve } from 'node:path';
import type { Response } from 'supertest';
import TestAgent from 'supertest/lib/agent.js';
import { AuthService } from '#libs/auth';
import { OrgUnitEntity, UserEntity } from '#libs/database';
import { type Persona, PERSONAS, type ScopeFixture } from './scope-fixture.js';
import { TEST_PASSWORD, type TestStack } from './test-stack.js';

export const SAMPLE = resolve(process.cwd(), 'data/samples/gdihub-activity.xml');

/** Builds the request of a route for one persona (the agent is already signed in as that persona). */
export type Call = (agent: TestAgent, persona: Persona) => Promise<Response>;

/** One route's row of the matrix: how to call it and the status each persona must get. */
export interface Entry {
  call: Call;
  expect: Record<Persona, number>;
}

/** What entry builders may use: the stack, the scope fixture and spare rows to act on. */
export interface MatrixContext {
  stack: TestStack;
  fx: ScopeFixture;
  spareUser: string;
  spareAssignment: string;
  auth: AuthService;
  /** A value unique within the run (codes, emails). */
  unique(): string;
}

export const everyone = (status: number): Record<Persona, number> =>
  Object.fromEntries(PERSONAS.map((p) => [p, status])) as Record<Persona, number>;
export const signedIn = (status: number) => ({ ...everyone(status), anonymous: 401 });
export const adminOnly = (status: number) => ({ ...everyone(403), anonymous: 401, admin: status });
export const publicGet = (path: string): Entry => ({ call: (a) => a.get(path), expect: everyone(200) });
export const read = (path: string): Entry => ({ call: (a) => a.get(path), expect: signedIn(200) });

export { OrgUnitEntity, TEST_PASSWORD, UserEntity };
