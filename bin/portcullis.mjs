#!/usr/bin/env node
// The `portcullis` command: a thin launcher for the built CLI in out/main/cli.js.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(`Portcullis needs Node 22.12 or newer; this is ${process.version}. Run \`. scripts/toolchain.sh\` to use the project's Node 24.`);
  process.exit(1);
}
const cli = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
if (!existsSync(cli)) {
  console.error('Portcullis is not built yet. Run `npm run build` first.');
  process.exit(1);
}
const { main } = createRequire(import.meta.url)(cli);
process.exitCode = await main(process.argv.slice(2));
