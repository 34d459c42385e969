/** Longer crash runs: `npx tsx tests/crash/run-crash-harness.ts --kills 2000` (npm run crash -- --kills 2000). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runCrashHarness } from './crash-harness';

const { values } = parseArgs({ options: { kills: { type: 'string', default: '200' }, seed: { type: 'string', default: '1' }, dir: { type: 'string' } } });
const kills = Number(values.kills);
if (!Number.isInteger(kills) || kills < 1) throw new Error(`--kills takes a positive whole number, not "${values.kills}".`);
const dir = values.dir ?? mkdtempSync(join(tmpdir(), 'portcullis-crash-'));
void runCrashHarness({
  kills, dir, seed: Number(values.seed),
  onProgress: (done) => { if (done % 100 === 0) process.stderr.write(`${done}/${kills} kills\n`); },
}).then((result) => {
  console.log(JSON.stringify({ ...result, database: join(dir, 'crash.db') }));
  process.exitCode = result.failures.length === 0 ? 0 : 1;
});
