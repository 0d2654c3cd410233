import { type FieldError, ValidationError } from './errors';

/** Refuses a name that is not an IANA time zone, naming the field that carried it. */
export function assertTimeZone(zone: string | undefined, where: Pick<FieldError, 'in' | 'field'>): void {
  if (zone === undefined) return;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    throw new ValidationError(`${zone} is not an IANA time zone.`, {
      errors: [{ ...where, message: 'must be an IANA time zone such as Europe/Paris' }],
    });
  }
}
