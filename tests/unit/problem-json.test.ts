import { describe, expect, it } from 'vitest';
import { AppError, NotFoundError, PROBLEM_BASE_URI } from '../../server/src/platform/errors';
import { toAppError } from '../../server/src/platform/problem-json';

describe('toAppError', () => {
  it('keeps an AppError with its own status, type and title', () => {
    const error = toAppError(new NotFoundError('Person 42 not found'));
    expect(error).toMatchObject({ status: 404, type: `${PROBLEM_BASE_URI}not-found`, title: 'Not found' });
  });

  it.each([
    ['FST_ERR_CTP_BODY_TOO_LARGE', 413, 'payload-too-large'],
    ['FST_ERR_CTP_INVALID_MEDIA_TYPE', 415, 'unsupported-media-type'],
    ['FST_ERR_CTP_INVALID_CONTENT_LENGTH', 400, 'bad-request'],
    ['FST_ERR_BAD_URL', 400, 'bad-request'],
  ])('answers Fastify refusal %s with %i, never 500', (code, status, slug) => {
    const error = toAppError(Object.assign(new Error('refused'), { code, statusCode: status }));
    expect(error).toMatchObject({ status, type: `${PROBLEM_BASE_URI}${slug}` });
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
