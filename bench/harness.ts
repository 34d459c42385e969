import { performance } from 'node:perf_hooks';

/** Latency statistics of one measured operation, in microseconds. */
export interface Stats {
  name: string;
  iterations: number;
  p50: number;
  p99: number;
  mean: number;
}

export interface Comparison {
  name: string;
  project: Stats;
  baseline: Stats;
  /** project / baseline. */
  ratioP50: number;
  ratioP99: number;
  goal?: string;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Times `fn` `iterations` times after `warmup` untimed runs. */
export async function measure(name: string, fn: () => unknown, options: { iterations?: number; warmup?: number } = {}): Promise<Stats> {
  const iterations = options.iterations ?? 1_000;
  for (let i = 0; i < (options.warmup ?? Math.min(100, iterations)); i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) samples.push(await time(fn));
  return stats(name, samples);
}

function stats(name: string, samples: number[]): Stats {
  samples.sort((a, b) => a - b);
  return { name, iterations: samples.length, p50: percentile(samples, 50), p99: percentile(samples, 99), mean: samples.reduce((a, b) => a + b, 0) / samples.length };
}

async function time(fn: () => unknown): Promise<number> {
  const start = performance.now();
  await fn();
  return (performance.now() - start) * 1_000;
}

/**
 * Alternates the two sides call by call (baseline first on even calls, project first on odd ones), so that
 * noise lasting longer than one call (a busy neighbour, the scheduler parking a process) falls on both alike.
 * Rounds of hundreds of calls were not enough for sub-millisecond calls across processes here: the same
 * comparison swung by ±15% between runs.
 */
async function compareCallByCall(name: string, project: () => unknown, baseline: () => unknown, iterations: number): Promise<[Stats, Stats]> {
  for (let i = 0; i < Math.min(200, iterations); i++) await (i % 2 ? project() : baseline());
  const p: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < iterations; i++) {
    if (i % 2 === 0) {
      b.push(await time(baseline));
      p.push(await time(project));
    } else {
      p.push(await time(project));
      b.push(await time(baseline));
    }
  }
  return [stats(name, p), stats(`${name} (baseline)`, b)];
}

/**
 * Measures the project and its baseline side by side in one run, interleaving rounds (or single calls, with
 * `interleave: 'call'`) so that machine noise (the other core's load, CPU frequency) falls on both alike.
 */
export async function compare(
  name: string,
  project: () => unknown,
  baseline: () => unknown,
  options: { iterations?: number; rounds?: number; interleave?: 'round' | 'call'; goal?: string } = {},
): Promise<Comparison> {
  const compared = (p: Stats, b: Stats): Comparison => ({
    name, project: p, baseline: b, ratioP50: p.p50 / b.p50, ratioP99: p.p99 / b.p99, ...(options.goal ? { goal: options.goal } : {}),
  });
  if (options.interleave === 'call') return compared(...(await compareCallByCall(name, project, baseline, options.iterations ?? 1_000)));
  const rounds = options.rounds ?? 5;
  const perRound = Math.ceil((options.iterations ?? 1_000) / rounds);
  const projectSamples: Stats[] = [];
  const baselineSamples: Stats[] = [];
  for (let round = 0; round < rounds; round++) {
    baselineSamples.push(await measure(`${name} (baseline)`, baseline, { iterations: perRound }));
    projectSamples.push(await measure(name, project, { iterations: perRound }));
  }
  const merge = (label: string, all: Stats[]): Stats => ({
    name: label,
    iterations: all.reduce((n, s) => n + s.iterations, 0),
    p50: median(all.map((s) => s.p50)),
    p99: median(all.map((s) => s.p99)),
    mean: median(all.map((s) => s.mean)),
  });
  const p = merge(name, projectSamples);
  const b = merge(`${name} (baseline)`, baselineSamples);
  return compared(p, b);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const fmt = (us: number): string => (us >= 1_000 ? `${(us / 1_000).toFixed(2)} ms` : `${us.toFixed(1)} µs`);

/** Prints a table for people, then one JSON object as the last line for machines. */
export function report(title: string, comparisons: readonly Comparison[], extra: Record<string, unknown> = {}): void {
  console.log(`\n${title}`);
  console.log('| benchmark | project p50 | baseline p50 | ratio p50 | project p99 | baseline p99 | ratio p99 | goal |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const c of comparisons) {
    console.log(
      `| ${c.name} | ${fmt(c.project.p50)} | ${fmt(c.baseline.p50)} | ${c.ratioP50.toFixed(2)}× | ${fmt(c.project.p99)} | ${fmt(c.baseline.p99)} | ${c.ratioP99.toFixed(2)}× | ${c.goal ?? ''} |`,
    );
  }
  for (const [key, value] of Object.entries(extra)) console.log(`${key}: ${JSON.stringify(value)}`);
  console.log(JSON.stringify({ title, comparisons, ...extra }));
}
