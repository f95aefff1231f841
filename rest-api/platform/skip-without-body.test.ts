import type { Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { skipWithoutBody } from './skip-without-body.js';

function enters(headers: Record<string, string | undefined>): boolean {
  let parsed = false;
  let passed = false;
  skipWithoutBody((_req, _res, next) => {
    parsed = true;
    next();
  })({ headers } as Request, {} as Response, () => (passed = true));
  expect(passed).toBe(true);
  return parsed;
}

describe('skipWithoutBody', () => {
  it.each([{ 'content-length': '12' }, { 'content-length': '0' }, { 'transfer-encoding': 'chunked' }])('parses a request with a body: %j', (headers) => {
    expect(enters(headers)).toBe(true);
  });

  it.each([{}, { 'content-length': 'twelve' }])('passes a request without a body straight on: %j', (headers) => {
    expect(enters(headers)).toBe(false);
  });
});
