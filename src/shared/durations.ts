/** A limit as a sentence says it: "800 ms", "30 s", "1.5 s", "2 min", "2.5 min". */
export function limitInWords(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Number((ms / 1_000).toFixed(1))} s`;
  return `${Number((ms / 60_000).toFixed(1))} min`;
}
