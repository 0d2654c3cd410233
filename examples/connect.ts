/**
 * How the examples reach a Relais server: `RELAIS_URL` (default the local `npm start`), signed in
 * as `RELAIS_EMAIL` / `RELAIS_PASSWORD` (default the demo data's manager).
 */
import { createRelaisClient, type RelaisClient } from '../sdk/src';

export const baseUrl = process.env.RELAIS_URL ?? 'http://127.0.0.1:3000';

export async function signIn(): Promise<RelaisClient> {
  const relais = createRelaisClient({ baseUrl });
  await relais.auth.login(
    process.env.RELAIS_EMAIL ?? 'manager@relais.demo',
    process.env.RELAIS_PASSWORD ?? 'relais-demo-password',
  );
  return relais;
}

export const print = (line: string) => process.stdout.write(`${line}\n`);
