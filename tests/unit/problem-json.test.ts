import { describe, expect, it } from 'vitest';
import { AppError, NotFoundError, PROBLEM_BASE_URI } from '../../server/src/platform/core/errors';
import { toAppError } from '../../server/src/platform/web/problem-json';

describe('toAppError', () => {
  it('keeps an AppError with its own status, type and title', () => {
    const error = toAppError(new NotFoundError('Person 42 not found'));
    expect(error).toMatchObject({ status: 404, type: `${PROBLEM_BASE_URI}not-found`, title: 'Not found' });
  });

  it.each([
    ['entity.too.large', 413, 'payload-too-large'],
    ['encoding.unsupported', 415, 'unsupported-media-type'],
    ['request.size.invalid', 400, 'bad-request'],
    ['request.aborted', 400, 'bad-request'],
  ])("answers the body reader's refusal %s with %i, never 500", (type, status, slug) => {
    const error = toAppError(Object.assign(new Error('refused'), { type, status, expose: true }));
    expect(error).toMatchObject({ status, type: `${PROBLEM_BASE_URI}${slug}` });
  });

  it('answers a path the router cannot decode with 400', () => {
    const error = toAppError(
      Object.assign(new URIError("Failed to decode param '%E0%A4%A'"), { status: 400 }),
    );
    expect(error).toMatchObject({ status: 400, type: `${PROBLEM_BASE_URI}bad-request` });
  });

  it.each([
    ['22P02', 400],
    ['23505', 409],
    ['23503', 409],
    ['57P01', 503],
    ['ECONNREFUSED', 503],
  ])('maps database code %s to %i, never 500', (code, status) => {
    expect(toAppError(Object.assign(new Error('db said no'), { code })).status).toBe(status);
  });

  it('hides the message of an unknown error', () => {
    const error = toAppError(new Error('password=hunter2 at /srv/app.js:12'));
    expect(error).toBeInstanceOf(AppError);
    expect(error.status).toBe(500);
    expect(error.message).not.toContain('hunter2');
  });
});

describe('toAppError with Objection-wrapped errors', () => {
  it('reads the PostgreSQL code from nativeError', () => {
    const wrapped = Object.assign(new Error('UniqueViolationError'), { nativeError: { code: '23505' } });
    expect(toAppError(wrapped).status).toBe(409);
  });
});
