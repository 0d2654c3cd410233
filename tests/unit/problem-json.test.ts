import { describe, expect, it } from 'vitest';
import { AppError, NotFoundError, PROBLEM_BASE_URI } from '../../server/src/platform/errors';
import { toAppError } from '../../server/src/platform/problem-json';

describe('toAppError', () => {
  it('keeps an AppError with its own status, type and title', () => {
    const error = toAppError(new NotFoundError('Person 42 not found'));
    expect(error).toMatchObject({ status: 404, type: `${PROBLEM_BASE_URI}not-found`, title: 'Not found' });
  });

  it('answers invalid JSON with a validation problem on the body', () => {
    const error = toAppError(
      Object.assign(new SyntaxError('Unexpected token'), { type: 'entity.parse.failed', status: 400 }),
    );
    expect(error.status).toBe(400);
    expect(error.errors).toEqual([{ in: 'body', field: '', message: 'is not valid JSON' }]);
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
