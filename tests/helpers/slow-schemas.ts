import { schemaCheck } from './schema-check';

/** `$defs` d0…d(n-1), each naming the next twice: one check of one string walks 2^n of them (at 60, always stopped). */
export function doubling(n: number): Record<string, unknown> {
  const defs: Record<string, unknown> = { [`d${n}`]: { type: 'string' } };
  for (let i = 0; i < n; i++) defs[`d${i}`] = { allOf: [{ $ref: `#/$defs/d${i + 1}` }, { $ref: `#/$defs/d${i + 1}` }] };
  return { type: 'object', $defs: defs, properties: { a: { $ref: '#/$defs/d0' } } };
}

/** A 21 KB schema naming one 500-keyword $def 500 times: Ajv inlines each, and took 84 s and 2.8 GB to compile it. */
export function inlinedOften(): Record<string, unknown> {
  const leaf = { allOf: Array.from({ length: 500 }, (_, i) => ({ minLength: i })) };
  return { type: 'object', $defs: { leaf }, properties: { a: { allOf: Array.from({ length: 500 }, () => ({ $ref: '#/$defs/leaf' })) } } };
}

/** Lets the event loop turn once (a timer's or another test's work), so that what is timed next is the check alone. */
export const nextRun = () => new Promise((done) => setImmediate(done));

/** How many letters before a '!' make one test of ^(\p{L}+)+$ take at least `ms` on this machine (each adds ~×2). */
export async function lettersTaking(validate: (input: unknown) => { valid: boolean }, ms: number): Promise<number> {
  for (let n = 18; n < 40; n++) {
    await nextRun();
    const started = performance.now();
    schemaCheck(validate, [`${'a'.repeat(n)}!`]);
    if (performance.now() - started >= ms) return n;
  }
  throw new Error('no length was slow enough');
}
