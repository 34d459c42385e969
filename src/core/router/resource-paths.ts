import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Finds the project's `resources/` folder by walking up from this file: it sits at a different depth in the
 * sources (src/core/router), the build (out/main) and a packaged app.
 */
export function resourcesDir(start: string = __dirname): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'resources', 'intents.yaml'))) return join(dir, 'resources');
    if (dirname(dir) === dir) throw new Error(`resources/intents.yaml was not found above ${start}.`);
  }
}

export const defaultIntentCatalogueFile = (): string => join(resourcesDir(), 'intents.yaml');
