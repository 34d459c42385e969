// `npm run bench`: bundles bench/run.ts and every bench/*.bench.ts with esbuild the way electron-vite builds
// out/main (CommonJS, Node 24, packages left to node_modules, no keepNames, no source maps), then runs them with
// plain Node, passing the same arguments. Running the .ts files through tsx instead measures slower code: tsx
// always compiles with esbuild's keepNames, which wraps every named function in a `__name(…)` call the built app
// does not have (5–16% of the time the gateway adds to a call; docs/storage.md).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = join(root, 'bench');
// Under node_modules: neither committed, linted, type-checked nor packaged (electron-builder ships out/**). A folder
// per run, so that two runs at once do not replace each other's bundles.
const cache = join(root, 'node_modules', '.cache', 'portcullis-bench');
mkdirSync(cache, { recursive: true });
const outdir = mkdtempSync(join(cache, 'run-'));

/**
 * Gives each bundled source file the `__dirname` and `__filename` of its own .ts file, as under tsx: the benches
 * and the test helpers they import find the project from their own folder (`resolve(__dirname, '..')`: out/main's
 * tool worker and span writer, node_modules/.bin, bin/portcullis.mjs), and run.ts lists bench/*.bench.ts in its own.
 */
const ownFolder = {
  name: 'own-folder',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, ({ path }) => {
      const source = readFileSync(path, 'utf8');
      if (!/\b__(dirname|filename)\b/.test(source)) return undefined;
      return { contents: `const __dirname = ${JSON.stringify(dirname(path))}, __filename = ${JSON.stringify(path)};\n${source}`, loader: 'ts' };
    });
  },
};

await build({
  entryPoints: readdirSync(benchDir)
    .filter((f) => f === 'run.ts' || f.endsWith('.bench.ts'))
    .map((f) => join(benchDir, f)),
  outdir,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  // electron-vite's target for Electron 45 (its newest entry): nothing the sources use is lowered.
  target: 'node24.18',
  tsconfig: join(root, 'tsconfig.node.json'),
  packages: 'external',
  keepNames: false,
  sourcemap: false,
  minify: false,
  plugins: [ownFolder],
  logLevel: 'warning',
});

const run = spawnSync(process.execPath, [join(outdir, 'run.js'), ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, PORTCULLIS_BENCH_BUILT: outdir },
});
rmSync(outdir, { recursive: true, force: true });
process.exitCode = run.status ?? 1;
