import { InitialSchema1764400000000 } from './1764400000000-InitialSchema.js';
import { AuthSessions1764500000000 } from './1764500000000-AuthSessions.js';
import { SessionReuseAndAssignmentShape1764600000000 } from './1764600000000-SessionReuseAndAssignmentShape.js';
import { SigningSecret1764601000000 } from './1764601000000-SigningSecret.js';

/** Every migration, in order. The schema's only source (`synchronize` is off). */
export const ALL_MIGRATIONS: (new () => object)[] = [
  InitialSchema1764400000000,
  AuthSessions1764500000000,
  SessionReuseAndAssignmentShape1764600000000,
  SigningSecret1764601000000,
];
