import { Injectable, type OnModuleInit, SetMetadata } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ReportJobName } from '#libs/queue';

const JOB_HANDLER = 'rbm:job-handler';

/** A job handler: takes the job's data, returns the job's result. */
export type JobHandlerFn = (data: unknown) => Promise<unknown>;

/**
 * Marks a provider method as the handler of a job name (immich's job decorators). The worker
 * discovers every marked method at start ({@link JobHandlerRegistry}); a job name without exactly
 * one handler stops the start.
 */
export const JobHandler = (name: ReportJobName): MethodDecorator => SetMetadata(JOB_HANDLER, name);

/**
 * The handler map from the marked methods found on provider instances.
 * @param found each marked method: its job name, the provider's class name and method name, the bound function
 * @throws Error naming every job name without a handler, and every name with two
 */
export function jobHandlerMap(
  found: { name: string; owner: string; handler: JobHandlerFn }[],
  names: readonly string[] = Object.values(ReportJobName),
): Map<string, JobHandlerFn> {
  const map = new Map<string, JobHandlerFn>();
  const owners = new Map<string, string>();
  const problems: string[] = [];
  for (const { name, owner, handler } of found) {
    const first = owners.get(name);
    if (first) problems.push(`job ${name} has two handlers (${first} and ${owner})`);
    else if (!names.includes(name)) problems.push(`${owner} handles ${name}, which is not a job name`);
    else {
      map.set(name, handler);
      owners.set(name, owner);
    }
  }
  const missing = names.filter((name) => !map.has(name));
  if (missing.length) problems.unshift(`No handler for job(s): ${missing.join(', ')}`);
  if (problems.length) throw new Error(`The worker refuses to start: ${problems.join('; ')}`);
  return map;
}

/** Discovers the `@JobHandler` methods of every provider when the worker module starts. */
@Injectable()
export class JobHandlerRegistry implements OnModuleInit {
  private handlers = new Map<string, JobHandlerFn>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  /** @throws Error when a job name has no handler or two (the worker does not start) */
  onModuleInit(): void {
    const found: { name: string; owner: string; handler: JobHandlerFn }[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const fn = instance[method];
        if (typeof fn !== 'function') continue;
        const name = this.reflector.get<string | undefined>(JOB_HANDLER, fn as () => unknown);
        if (name)
          found.push({
            name,
            owner: `${instance.constructor.name}.${method}`,
            handler: (data) => Promise.resolve((fn as (data: unknown) => unknown).call(instance, data)),
          });
      }
    }
    this.handlers = jobHandlerMap(found);
  }

  /**
   * The handler of a job name.
   * @throws Error for a name without one (never after a successful start: every name has one)
   */
  handler(name: string): JobHandlerFn {
    const handler = this.handlers.get(name);
    if (!handler) throw new Error(`No handler for job ${name}`);
    return handler;
  }
}
