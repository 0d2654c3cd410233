/**
 * The HTTP framework is imported in one folder only (ADR 0019): `server/src/http/` assembles
 * Express; route handlers and the platform see `HttpRequest` and `HttpReply`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SERVER = path.resolve(import.meta.dirname, '../../server/src');
const FRAMEWORK = /from\s+'(express|cors|body-parser|fastify[^']*|@fastify\/[^']+)'/;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return name === 'generated' ? [] : sources(file);
    return file.endsWith('.ts') ? [file] : [];
  });
}

describe('the framework boundary', () => {
  it('only server/src/http/ imports the HTTP framework', () => {
    const outside = sources(SERVER)
      .filter((file) => !file.startsWith(path.join(SERVER, 'http') + path.sep))
      .filter((file) => FRAMEWORK.test(readFileSync(file, 'utf8')))
      .map((file) => path.relative(SERVER, file));
    expect(outside).toEqual([]);
  });

  it('the boundary check sees an import when there is one', () => {
    expect(FRAMEWORK.test("import express from 'express';")).toBe(true);
    expect(
      sources(path.join(SERVER, 'http')).some((file) => FRAMEWORK.test(readFileSync(file, 'utf8'))),
    ).toBe(true);
  });
});
