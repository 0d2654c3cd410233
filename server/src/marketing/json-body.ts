/**
 * Webhook bodies are parsed with lossless-json: a number that JavaScript cannot hold exactly
 * (Mailjet's message ids exceed 2^53) stays a LosslessNumber that prints with every digit, both
 * when an adapter reads it as text and when the event is stored as raw JSON.
 */
import { isSafeNumber, LosslessNumber, parse, stringify } from 'lossless-json';
import { PayloadError } from './email-events';

export function parseJsonBody(raw: Buffer): unknown {
  try {
    return parse(raw.toString('utf8'), null, (value) =>
      isSafeNumber(value) ? Number.parseFloat(value) : new LosslessNumber(value),
    );
  } catch (error) {
    throw new PayloadError('', `the body is not valid JSON: ${(error as Error).message}`);
  }
}

/** JSON text of a parsed value, with large numbers exactly as received. */
export function jsonText(value: unknown): string {
  return stringify(value) ?? 'null';
}
