import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from '../apps/api/src/app.module.js';
import { configureApp } from '../apps/api/src/configure-app.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

/** Headers and cookies over plain http (the default) and for a deployment that serves https behind a proxy. */
describe('security headers and cookies, http and https', () => {
  let stack: TestStack;
  let httpsApi: INestApplication;
  beforeAll(async () => {
    stack = await startTestStack();
    // A second API on the same database, configured as an https deployment behind a local proxy.
    Object.assign(process.env, { SERVES_HTTPS: 'true', TRUST_PROXY: 'loopback' });
    try {
      httpsApi = configureApp(
        (await Test.createTestingModule({ imports: [AppModule] }).compile()).createNestApplication({ logger: false }),
      );
      await httpsApi.init();
    } finally {
      delete process.env.SERVES_HTTPS;
      delete process.env.TRUST_PROXY;
    }
  });
  afterAll(async () => {
    await httpsApi?.close();
    await stack?.close();
  });

  const dashboardCookie = async (app: INestApplication, proto?: string) => {
    let call = request(app.getHttpServer())
      .post('/admin/queue-dashboard/session')
      .set('Authorization', `Bearer ${stack.adminToken}`);
    if (proto) call = call.set('X-Forwarded-Proto', proto);
    const res = await call.expect(204);
    return String(res.headers['set-cookie']);
  };

  it('never asks a plain-http deployment to upgrade requests, so Swagger UI loads over http', async () => {
    const docs = await stack.http(null).get('/docs/').expect(200);
    const csp = String(docs.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(docs.headers['strict-transport-security']).toBeUndefined();
    const health = await stack.http(null).get('/health').expect(200);
    expect(String(health.headers['content-security-policy'])).not.toContain('upgrade-insecure-requests');
  });

  it('asks browsers to upgrade and sends HSTS when the deployment serves https', async () => {
    const res = await request(httpsApi.getHttpServer()).get('/health').expect(200);
    expect(String(res.headers['content-security-policy'])).toContain('upgrade-insecure-requests');
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });

  it('marks the queue dashboard cookie Secure only when the request is https', async () => {
    // Plain http: not Secure (a browser would drop a Secure cookie set over http).
    expect(await dashboardCookie(stack.api)).not.toMatch(/; Secure/);
    // X-Forwarded-Proto from an untrusted peer (TRUST_PROXY unset) is ignored.
    expect(await dashboardCookie(stack.api, 'https')).not.toMatch(/; Secure/);
    // Behind a trusted proxy (TRUST_PROXY=loopback) that says https: Secure.
    expect(await dashboardCookie(httpsApi, 'https')).toMatch(
      /^rbm_queue_dashboard=[^;]+; Max-Age=900; Path=\/admin\/queues; Expires=[^;]+; HttpOnly; Secure; SameSite=Strict$/,
    );
    expect(await dashboardCookie(httpsApi, 'http')).not.toMatch(/; Secure/);
  });
});
