import { resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '..', '..');
export const builtToolWorker = resolve(repoRoot, 'out', 'main', 'tool-worker.js');
export const builtSpanWriter = resolve(repoRoot, 'out', 'main', 'span-writer.js');
export const cliBin = resolve(repoRoot, 'bin', 'portcullis.mjs');
