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
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      run(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { status: 'ok', latency_ms: Math.round((performance.now() - started) * 10) / 10 };
  } catch (error) {
    return { status: 'down', detail: error instanceof Error ? error.message : 'unreachable' };
  } finally {
    clearTimeout(timer);
  }
}
