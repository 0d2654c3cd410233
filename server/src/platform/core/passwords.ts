/**
 * Password hashing with argon2id (OWASP parameters: 19 MiB, 2 iterations). Hashes embed their
 * parameters, so raising the cost later keeps old hashes verifiable.
 */
import argon2 from 'argon2';

const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | null = null;

/** Spends the time a real verification takes, so an unknown email answers as slowly as a known one. */
export async function verifyAgainstNothing(password: string): Promise<false> {
  dummyHash ??= hashPassword('relais-timing-equaliser');
  await verifyPassword(await dummyHash, password);
  return false;
}
