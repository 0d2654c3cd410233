/**
 * Webhook bodies are parsed with lossless-json: a number that JavaScript cannot hold exactly
 * (Mailjet's message ids exceed 2^53) stays a LosslessNumber that prints with every digit, both
 * when an adapter reads it as text and when the event is stored as raw JSON.
 */
import { isSafeNumber, LosslessNumber, parse, stringify } from 'lossless-json';
import { PayloadError } from './email-events';

/**
 * Parses a webhook body. `lossless` (the default) keeps large numbers exact; Relais's own format
 * has no numbers, so its endpoint takes the faster native parser.
 */
export function parseJsonBody(raw: Buffer, options: { lossless?: boolean } = {}): unknown {
  try {
    const text = raw.toString('utf8');
    if (options.lossless === false) return JSON.parse(text);
    return parse(text, null, (value) =>
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
