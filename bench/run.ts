/**
 * `npm run bench`: runs every bench/*.bench.ts (or those named on the command line) in its own process and
 * prints, last, one JSON object with all their results. Started by scripts/bench.mjs, it runs the benches' bundles
 * (built like out/main) from PORTCULLIS_BENCH_BUILT; started as `npx tsx bench/run.ts`, the .ts files through tsx.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = __dirname;
const built = process.env.PORTCULLIS_BENCH_BUILT;
const wanted = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort();

const results: Record<string, unknown> = {};
let failed = false;
for (const file of files) {
  const args = built ? [join(built, file.replace(/\.ts$/, '.js'))] : ['--import', 'tsx', join(dir, file)];
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = run.stdout.trim().split('\n');
  console.log(lines.slice(0, -1).join('\n'));
  try {
    results[file.replace('.bench.ts', '')] = JSON.parse(lines.at(-1) ?? '');
  } catch {
    failed = true;
    results[file.replace('.bench.ts', '')] = { error: `exit ${run.status}` };
  }
  if (run.status !== 0) failed = true;
}
console.log(JSON.stringify(results));
process.exitCode = failed ? 1 : 0;
