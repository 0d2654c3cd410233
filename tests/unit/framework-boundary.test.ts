/**
 * The HTTP framework is imported in one folder only (ADR 0019): `server/src/http/` assembles
 * Express; route handlers and the platform see `HttpRequest` and `HttpReply`. Route handlers get
 * their request typed from the spec (`RouteRequest<'op'>`), so route files need no casts.
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

  it('route files cast nothing: their requests are typed from the spec', () => {
    const routeFiles = sources(SERVER).filter((file) => file.endsWith('-routes.ts'));
    expect(routeFiles.length).toBeGreaterThan(10);
    const casts = routeFiles.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, index) =>
          /\bas (never|unknown as|any)\b/.test(line) ? [`${path.relative(SERVER, file)}:${index + 1}`] : [],
        ),
    );
    expect(casts).toEqual([]);
  });
});
