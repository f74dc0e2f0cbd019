import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';

type Service = {
  restart?: string;
  healthcheck?: { test: string[]; interval?: string; retries?: number };
  depends_on?: Record<string, { condition: string }>;
  stop_grace_period?: string;
};

/** There is no container engine on this machine: the compose file is checked by parsing it. */
describe('docker-compose.yml: restart policies and health checks', () => {
  const compose = parse(readFileSync(new URL('../docker-compose.yml', import.meta.url), 'utf8')) as {
    services: Record<string, Service>;
  };
  const services = compose.services;

  it('restarts every long-running service, and the one-shot migration only on failure', () => {
    expect(
      Object.fromEntries(Object.entries(services).map(([name, service]) => [name, service.restart ?? null])),
    ).toEqual({
      postgres: 'unless-stopped',
      redis: 'unless-stopped',
      migrate: 'on-failure',
      api: 'unless-stopped',
      worker: 'unless-stopped',
    });
  });

  it('gives every long-running service a health check, and waits for healthy dependencies', () => {
    for (const name of ['postgres', 'redis', 'api', 'worker']) {
      const check = services[name].healthcheck;
      expect({ name, test: Array.isArray(check?.test) && check!.test.length > 1 }).toEqual({ name, test: true });
      expect({ name, retries: (check?.retries ?? 0) >= 3 }).toEqual({ name, retries: true });
    }
    expect(services.api.healthcheck!.test.join(' ')).toContain('http://127.0.0.1:3000/health');
    expect(services.worker.healthcheck!.test.join(' ')).toContain('/tmp/rbm-worker-heartbeat');
    expect(services.migrate.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    for (const name of ['api', 'worker'])
      expect(services[name].depends_on).toEqual({
        migrate: { condition: 'service_completed_successfully' },
        redis: { condition: 'service_healthy' },
      });
  });

  it('lets the API and the worker finish their bounded shutdown (SHUTDOWN_TIMEOUT_MS 10 s) before a kill', () => {
    for (const name of ['api', 'worker']) expect(services[name].stop_grace_period).toBe('15s');
  });
});
