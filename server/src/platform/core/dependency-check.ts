/** The state of one dependency, as `/ready` reports it. */
export interface DependencyCheck {
  status: 'ok' | 'down' | 'not_configured';
  latency_ms?: number;
  detail?: string;
}

/**
 * Runs a probe with a deadline and reports its latency. Never throws: a failure or a timeout is
 * reported as `down` with the reason.
 */
export async function probe(run: () => Promise<unknown>, timeoutMs: number): Promise<DependencyCheck> {
  const started = performance.now();
  try {
    await withDeadline(run(), timeoutMs);
    return { status: 'ok', latency_ms: Math.round((performance.now() - started) * 10) / 10 };
  } catch (error) {
    return { status: 'down', detail: error instanceof Error ? error.message : 'unreachable' };
  }
}

/** Settles as `promise` does, or rejects once `timeoutMs` have passed without an answer. */
export function withDeadline<T>(promise: Promise<T>, timeoutMs: number, what = 'no answer'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} within ${timeoutMs} ms`)), timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
}
