import { describe, expect, it } from '@jest/globals';
import { ConfigValidationError, validateConfig } from './app-config.js';

describe('validateConfig', () => {
  it('gives local defaults for an empty environment', () => {
    const config = validateConfig({});
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/rbm');
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.PORT).toBe(3000);
  });

  it('names every bad variable', () => {
    let caught: unknown;
    try {
      validateConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', REDIS_URL: 'redis://h:1' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigValidationError);
    expect((caught as ConfigValidationError).variables.sort()).toEqual(['DATABASE_URL', 'PORT']);
    expect((caught as Error).message).toContain('PORT must be an integer');
  });

  it('bounds the worker heap at 512 MB by default, 0 turning it off, and refuses a bound below 128 MB', () => {
    expect(validateConfig({}).WORKER_HEAP_MB).toBe(512);
    expect(validateConfig({ WORKER_HEAP_MB: '0' }).WORKER_HEAP_MB).toBe(0);
    expect(validateConfig({ WORKER_HEAP_MB: '768' }).WORKER_HEAP_MB).toBe(768);
    expect(() => validateConfig({ WORKER_HEAP_MB: '64' })).toThrow(
      /WORKER_HEAP_MB must be 0 \(V8 default\) or at least 128/,
    );
  });

  it('converts numeric strings', () => {
    expect(validateConfig({ PORT: '8080' }).PORT).toBe(8080);
  });

  it('requires a long JWT_SECRET in production only', () => {
    expect(() => validateConfig({ NODE_ENV: 'production' })).toThrow(
      /JWT_SECRET must be set to 32 or more characters in production/,
    );
    expect(validateConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }).JWT_SECRET).toBe('x'.repeat(32));
    expect(validateConfig({}).JWT_SECRET).toBeUndefined();
  });

  it('reads SERVES_HTTPS as a boolean, false by default, and names a bad value', () => {
    expect(validateConfig({}).SERVES_HTTPS).toBe(false);
    expect(validateConfig({ SERVES_HTTPS: 'true' }).SERVES_HTTPS).toBe(true);
    expect(validateConfig({ SERVES_HTTPS: '0' }).SERVES_HTTPS).toBe(false);
    expect(() => validateConfig({ SERVES_HTTPS: 'maybe' })).toThrow(/SERVES_HTTPS must be true or false/);
  });
});
