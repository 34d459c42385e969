import { existsSync } from 'node:fs';
import { builtToolWorker } from './paths';

/** Integration tests run the built tool worker, exactly as the app does; `npm test` builds first. */
export default function requireBuild(): void {
  if (!existsSync(builtToolWorker)) {
    throw new Error(`Missing ${builtToolWorker}: run \`npm run build\` before the tests (\`npm test\` does it for you).`);
  }
}
