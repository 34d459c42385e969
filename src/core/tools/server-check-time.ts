import { SCHEMA_CHECK_TIME_LIMIT_MS, withinSchemaTimeLimit } from './schema-check-time-limit';

/** The least time a server's compile or check gets, however slow its earlier ones were. */
export const LEAST_CHECK_TIME_MS = 100;

/**
 * How long a compile or check may take before it counts as slow: an ordinary check takes µs and a compile tens of ms,
 * a few times that on a busy machine, so an honest server's hardly ever does.
 */
export const SLOW_SCHEMA_RUN_MS = 250;

/**
 * How long a server's next compile or check of one of its schemas (an output schema against its answers, an input
 * schema against the model's arguments) may hold the process. Each one that held it for
 * `SLOW_SCHEMA_RUN_MS` or more (or up to its whole limit, once that is shorter), stopped (at this limit, or by its
 * patterns' own limits) or not (an answer made to take 1.9 s, just under the limit, would never be stopped), halves
 * it, down to `LEAST_CHECK_TIME_MS`; from then on every check of the server is watched, small ones too (their patterns
 * may still take a second). A turn of 16 calls to a tool whose every answer is stopped held the process ~5 s in all,
 * not ~30 s (answers made to take just under 250 ms: ~4 s). Not a refusal of the tool after one stop: an honest server
 * whose one odd answer was slow to check still has the next checked (each check still gets its whole pattern budget,
 * up to this limit); nor is the time given back after an answer checked quickly, which a server could send between
 * slow ones. Compiles count too: a server that lists its tools again after each call has each schema compiled again.
 * Output schemas: one per client, so a restart starts again from `SCHEMA_CHECK_TIME_LIMIT_MS`; input schemas: one per
 * server name for as long as Portcullis runs (ArgumentValidator), where the model's repeated calls met a 2 s hold each.
 */
export class ServerCheckTime {
  private limitMs = SCHEMA_CHECK_TIME_LIMIT_MS;
  private slow = 0;

  /** `until`: when the time is given back ("until the server restarts"), for the words of a stop. */
  constructor(private readonly until: string) {}

  /** `run()` (a compile, or a check that may skip the watchdog when `small`), timed: a slow one shortens the next. */
  run<T>(run: () => T, what: string, small = false): T {
    const started = performance.now();
    const limitMs = this.limitMs;
    try {
      if (small && this.slow === 0) return run();
      const why = this.slow === 0 ? undefined : `its server's schemas took ${SLOW_SCHEMA_RUN_MS} ms or more ${this.slow === 1 ? 'once' : `${this.slow} times`} before: each time halves the time the next compile or check gets, down to ${LEAST_CHECK_TIME_MS} ms, ${this.until}`;
      return withinSchemaTimeLimit(run, what, limitMs, why);
    } finally {
      if (performance.now() - started >= Math.min(SLOW_SCHEMA_RUN_MS, limitMs)) {
        this.slow += 1;
        this.limitMs = Math.max(LEAST_CHECK_TIME_MS, Math.floor(limitMs / 2));
      }
    }
  }
}
