import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidationError,
  validateSync,
} from 'class-validator';

/**
 * The one validated configuration of RBM Tracker; the only reader of `process.env`.
 *
 * Every variable has a default that works against this machine's local services
 * (PostgreSQL on 127.0.0.1:5432 with trust auth, Redis on 127.0.0.1:6379).
 * Report thresholds are NOT configuration: they are a versioned `rbm_settings` row in the database.
 */
export class AppConfig {
  /** PostgreSQL connection URL, e.g. `postgres://postgres@127.0.0.1:5432/rbm`. */
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/rbm';

  /** Redis connection URL, e.g. `redis://127.0.0.1:6379`. */
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** BullMQ key prefix; tests use one per run so runs never collide. */
  @IsString()
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'QUEUE_PREFIX may hold letters, digits, _ and - only' })
  QUEUE_PREFIX = 'rbm';

  /** HTTP port of the API. */
  @Transform(({ value }) => (value === undefined || value === '' ? value : Number(value)))
  @IsInt({ message: 'PORT must be an integer' })
  @Min(1)
  @Max(65535)
  PORT = 3000;

  /** `development`, `production` or `test`. */
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  /** pino log level. */
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** How many report jobs one worker runs at once. */
  @Transform(({ value }) => (value === undefined || value === '' ? value : Number(value)))
  @IsInt({ message: 'WORKER_CONCURRENCY must be an integer' })
  @Min(1)
  @Max(32)
  WORKER_CONCURRENCY = 2;

  /**
   * Project reports of the quarterly schedule built by one job with shared set-based loading (the relay
   * batches them per quarter); 1 turns batching off (one job per report).
   */
  @Transform(({ value }) => (value === undefined || value === '' ? value : Number(value)))
  @IsInt({ message: 'REPORT_BATCH_SIZE must be an integer' })
  @Min(1)
  @Max(500)
  REPORT_BATCH_SIZE = 25;

  /**
   * Worker processes `npm run start:worker` runs on this host (Node cluster): 1 (default) runs the
   * worker in the started process itself; 0 starts one per CPU core. Report building is CPU-bound and
   * Node runs one thread per process, so one process per core uses the host (docs/SCALING.md).
   */
  @Transform(({ value }) => (value === undefined || value === '' ? value : Number(value)))
  @IsInt({ message: 'WORKER_PROCESSES must be an integer' })
  @Min(0)
  @Max(64)
  WORKER_PROCESSES = 1;

  /**
   * V8 old-space limit (MB) of each worker process that builds reports (`--max-old-space-size`; 0: V8's
   * own, about a quarter of the host's memory). Bounded, V8 collects as the heap nears it instead of
   * letting it grow to four times its live size, so the worker's peak RSS stays flat however many
   * batches a run builds (docs/RULES.md, "Worker memory"). When the started process has no such limit the
   * worker runs its WORKER_PROCESSES processes as forked processes started with it.
   */
  @Transform(({ value }) => (value === undefined || value === '' ? value : Number(value)))
  @IsInt({ message: 'WORKER_HEAP_MB must be an integer' })
  @ValidateIf((config: AppConfig) => config.WORKER_HEAP_MB !== 0)
  @Min(128, { message: 'WORKER_HEAP_MB must be 0 (V8 default) or at least 128' })
  @Max(65536)
  WORKER_HEAP_MB = 512;

  /** Milliseconds between two passes of the report relay (PostgreSQL rows -> BullMQ). */
  @Transform(({ value }) => (value === undefined || value === '' ? value : Number(value)))
  @IsInt({ message: 'RELAY_INTERVAL_MS must be an integer' })
  @Min(50)
  RELAY_INTERVAL_MS = 1000;

  /**
   * Milliseconds after which a report still `queued` (since `queued_at`) or `running` (since
   * `started_at`) is checked against its BullMQ job: when the job is gone (Redis flushed or restarted
   * without persistence) or finished without finishing the row, the relay enqueues it again.
   * A job still waiting, delayed or active is left alone, however old.
   */
  @Transform(({ value }) => (value === undefined || value === '' ? value : Number(value)))
  @IsInt({ message: 'REPORT_STALE_AFTER_MS must be an integer' })
  @Min(100)
  REPORT_STALE_AFTER_MS = 60000;

  /**
   * Builds of one report (the row's `attempts`: BullMQ retries and re-enqueues together) after which
   * the relay stops re-enqueuing a lost or stalled report and marks it `failed`.
   */
  @Transform(({ value }) => (value === undefined || value === '' ? value : Number(value)))
  @IsInt({ message: 'REPORT_MAX_BUILD_ATTEMPTS must be an integer' })
  @Min(1)
  @Max(100)
  REPORT_MAX_BUILD_ATTEMPTS = 6;

  /**
   * BullMQ `lockDuration` of report jobs, ms: a worker renews its lock every half of it; when a
   * worker dies its job's lock expires after this long and the stalled-job check of any live worker
   * puts the job back in the queue.
   */
  @Transform(({ value }) => (value === undefined || value === '' ? value : Number(value)))
  @IsInt({ message: 'REPORT_LOCK_DURATION_MS must be an integer' })
  @Min(500)
  REPORT_LOCK_DURATION_MS = 30000;

  /** BullMQ `stalledInterval`: milliseconds between two stalled-job checks of a worker. */
  @Transform(({ value }) => (value === undefined || value === '' ? value : Number(value)))
  @IsInt({ message: 'REPORT_STALLED_INTERVAL_MS must be an integer' })
  @Min(100)
  REPORT_STALLED_INTERVAL_MS = 30000;

  /**
   * BullMQ `maxStalledCount`: how many times a job whose worker died is put back in the queue before
   * BullMQ fails it (the relay may still re-enqueue it, up to REPORT_MAX_BUILD_ATTEMPTS builds).
   */
  @Transform(({ value }) => (value === undefined || value === '' ? value : Number(value)))
  @IsInt({ message: 'REPORT_MAX_STALLED_COUNT must be an integer' })
  @Min(0)
  @Max(10)
  REPORT_MAX_STALLED_COUNT = 2;

  /**
   * Secret that signs access tokens (HS256). Required in production (32+ characters): the process
   * refuses to start without it. Outside production, when unset, a random secret is generated once
   * and kept in the database (`signing_secret`), so every process on that database agrees; there is
   * no default value.
   */
  @IsOptional()
  @IsString()
  JWT_SECRET?: string;

  /** Lifetime of an access token, seconds. */
  @Transform(({ value }) => (value === undefined || value === '' ? value : Number(value)))
  @IsInt({ message: 'ACCESS_TOKEN_TTL_SECONDS must be an integer' })
  @Min(60)
  @Max(86400)
  ACCESS_TOKEN_TTL_SECONDS = 900;

  /** Lifetime of a refresh token (a session), days. */
  @Transform(({ value }) => (value === undefined || value === '' ? value : Number(value)))
  @IsInt({ message: 'REFRESH_TOKEN_TTL_DAYS must be an integer' })
  @Min(1)
  @Max(90)
  REFRESH_TOKEN_TTL_DAYS = 14;

  /** Login attempts allowed per email (and 4x that per client address) per minute. */
  @Transform(({ value }) => (value === undefined || value === '' ? value : Number(value)))
  @IsInt({ message: 'LOGIN_ATTEMPTS_PER_MINUTE must be an integer' })
  @Min(1)
  @Max(1000)
  LOGIN_ATTEMPTS_PER_MINUTE = 5;

  /** Password given to the seeded demo users (`npm run demo`, `seed-demo-users`); default in the README. */
  @IsOptional()
  @IsString()
  DEMO_PASSWORD?: string;

  /**
   * Express `trust proxy`: empty (default) trusts no proxy, so the client address is the socket's;
   * behind a reverse proxy set it (e.g. `loopback`, `1`, or the proxy's address) so sign-in throttling
   * counts per real client instead of per proxy.
   */
  @IsOptional()
  @IsString()
  TRUST_PROXY = '';

  /**
   * `true` when the deployment serves the product over https (directly or behind a TLS-terminating
   * proxy): only then do responses ask browsers to upgrade insecure requests and send HSTS. Default
   * `false`, so an office serving the product over plain http on its own network gets working pages
   * (Swagger UI, the queue dashboard). Cookies are Secure whenever the request itself is https.
   */
  @Transform(({ value }) => {
    if (typeof value !== 'string') return value;
    if (/^(true|1|yes)$/i.test(value)) return true;
    if (/^(false|0|no)$/i.test(value)) return false;
    return value;
  })
  @IsBoolean({ message: 'SERVES_HTTPS must be true or false' })
  SERVES_HTTPS = false;

  /**
   * On SIGTERM/SIGINT a process closes its connections and stops; if closing takes longer than this
   * (PostgreSQL or Redis unreachable, a job still running) it exits anyway, code 1 (milliseconds).
   */
  @Transform(({ value }) => (value === undefined || value === '' ? value : Number(value)))
  @IsInt({ message: 'SHUTDOWN_TIMEOUT_MS must be an integer' })
  @Min(100)
  @Max(600000)
  SHUTDOWN_TIMEOUT_MS = 10000;

  /** The worker touches this file on every relay pass (docker-compose's health check reads its age). */
  @IsOptional()
  @IsString()
  WORKER_HEARTBEAT_FILE = '/tmp/rbm-worker-heartbeat';

  /** Comma-separated CORS origins; empty disables CORS. */
  @IsOptional()
  @IsString()
  CORS_ORIGINS = '';

  /**
   * API processes `npm run start:api` runs on this host (Node cluster, sharing the port): 1 (default)
   * runs the API in the started process itself; 0 starts one per CPU core. Every process is
   * stateless apart from its caches (docs/RULES.md, "Several processes").
   */
  @Transform(({ value }) => (value === undefined || value === '' ? value : Number(value)))
  @IsInt({ message: 'API_PROCESSES must be an integer' })
  @Min(0)
  @Max(64)
  API_PROCESSES = 1;

  /** Megabytes of serialised approved logframes each API process keeps in memory (0 turns the cache off). */
  @Transform(({ value }) => (value === undefined || value === '' ? value : Number(value)))
  @IsInt({ message: 'LOGFRAME_CACHE_MB must be an integer' })
  @Min(0)
  @Max(4096)
  LOGFRAME_CACHE_MB = 64;
}

/** Thrown when the environment holds an invalid variable; the message names every bad variable. */
export class ConfigValidationError extends Error {
  constructor(
    readonly variables: string[],
    details: string[],
  ) {
    super(`Invalid configuration: ${details.join('; ')}`);
  }
}

/**
 * Validates `env` (default `process.env`) into an {@link AppConfig}.
 * Unknown variables are ignored; empty strings fall back to the default.
 * @throws ConfigValidationError naming each bad variable.
 */
export function validateConfig(env: Record<string, unknown> = process.env): AppConfig {
  const known = Object.keys(new AppConfig());
  const picked: Record<string, unknown> = {};
  for (const key of known) {
    const value = env[key];
    if (value !== undefined && value !== '') picked[key] = value;
  }
  const config = plainToInstance(AppConfig, picked);
  const errors = validateSync(config, { skipMissingProperties: false });
  if (config.NODE_ENV === 'production' && (config.JWT_SECRET ?? '').length < 32) {
    errors.push(
      Object.assign(new ValidationError(), {
        property: 'JWT_SECRET',
        constraints: { required: 'JWT_SECRET must be set to 32 or more characters in production' },
      }),
    );
  }
  if (errors.length > 0) {
    throw new ConfigValidationError(
      errors.map((e) => e.property),
      errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join(', ')}`),
    );
  }
  return config;
}

/**
 * Validates the environment or ends the process with exit code 1, printing the bad variables.
 * Used by every process entry point (api, worker, cli) at boot.
 */
export function loadConfigOrExit(env: Record<string, unknown> = process.env): AppConfig {
  try {
    return validateConfig(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
