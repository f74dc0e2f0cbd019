import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sdgServiceOn } from '#libs/sdg';
import { startTestStack, type TestStack } from './support/test-stack.js';

describe('SDG reference data', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => stack?.close());

  it('loads the official framework idempotently: 17 goals, 169 targets, 251 indicator codes, 235 distinct indicators', async () => {
    // startTestStack loaded it once; a second load must change nothing.
    const again = await sdgServiceOn(stack.dataSource).load();
    expect(again).toEqual({ goals: 17, targets: 169, indicatorCodes: 251, distinctIndicators: 235 });
    const [{ n }] = await stack.dataSource.query(
      `SELECT count(*)::int AS n FROM sdg_indicator WHERE code <> primary_code`,
    );
    expect(n).toBe(251 - 235);
  });

  it('lists goals and gives a goal with its targets', async () => {
    const goals = await stack.http().get('/sdg/goals').expect(200);
    expect(goals.body).toHaveLength(17);
    expect(goals.body[15]).toMatchObject({ code: '16', targetCount: 12 });
    const goal = await stack.http().get('/sdg/goals/16').expect(200);
    expect(goal.body.targets.map((t: { code: string }) => t.code)).toEqual([
      '16.1',
      '16.2',
      '16.3',
      '16.4',
      '16.5',
      '16.6',
      '16.7',
      '16.8',
      '16.9',
      '16.10',
      '16.a',
      '16.b',
    ]);
  });

  it('reads a target with its indicators and accepts 1.A as 1.a', async () => {
    const target = await stack.http().get('/sdg/targets/16.4').expect(200);
    expect(target.body.indicators.map((i: { code: string }) => i.code)).toEqual(['16.4.1', '16.4.2']);
    const lettered = await stack.http().get('/sdg/targets/1.A').expect(200);
    expect(lettered.body.code).toBe('1.a');
  });

  it('stores a repeated indicator once per listing, pointing at its first listing', async () => {
    const res = await stack.http().get('/sdg/indicators/11.5.1').expect(200);
    expect(res.body).toMatchObject({ code: '11.5.1', targetCode: '11.5', primaryCode: '1.5.1' });
    expect(res.body.alsoListedAs).toEqual(['1.5.1', '13.1.1']);
  });

  it('searches by code and by words', async () => {
    const byCode = await stack.http().get('/sdg/search').query({ q: '16.4' }).expect(200);
    expect(byCode.body.targets.map((t: { code: string }) => t.code)).toEqual(['16.4']);
    expect(byCode.body.indicators.map((i: { code: string }) => i.code)).toEqual(['16.4.1', '16.4.2']);
    const goal16 = await stack.http().get('/sdg/search').query({ q: '16', limit: 200 }).expect(200);
    const codes: string[] = goal16.body.indicators.map((i: { code: string }) => i.code);
    expect(codes.slice(0, 5)).toEqual(['16.1.1', '16.1.2', '16.1.3', '16.1.4', '16.2.1']);
    expect(codes.indexOf('16.2.1')).toBeLessThan(codes.indexOf('16.10.1'));
    const byWords = await stack.http().get('/sdg/search').query({ q: 'arms flows' }).expect(200);
    expect(byWords.body.targets.map((t: { code: string }) => t.code)).toEqual(['16.4']);
  });

  it('answers 404 for unknown codes and 400 for a bad query', async () => {
    const missing = await stack.http().get('/sdg/targets/99.9').expect(404);
    expect(missing.body).toEqual({
      statusCode: 404,
      error: 'NOT_FOUND',
      code: 'NOT_FOUND',
      params: { what: "SDG target '99.9'" },
      message: "SDG target '99.9' not found",
    });
    const bad = await stack.http().get('/sdg/search').query({ q: 'x', limit: 'lots' }).expect(400);
    expect(bad.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'limit' })]));
  });
});
