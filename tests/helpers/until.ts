/**
 * Polls `read` every 25 ms until `ok` holds, and returns that value; fails after `withinMs` (15 s unless told) with
 * `what` and the last value.
 */
export async function until<T>(what: string, read: () => T | Promise<T>, ok: (value: T) => boolean, withinMs = 15_000): Promise<T> {
  for (let waited = 0; ; waited += 25) {
    const value = await read();
    if (ok(value)) return value;
    if (waited > withinMs) throw new Error(`${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
