import { ESLint } from 'eslint';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths';

const eslint = new ESLint({ cwd: repoRoot });

async function restrictedImports(file: string, code: string): Promise<number> {
  const [result] = await eslint.lintText(code, { filePath: join(repoRoot, file) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').length;
}

describe('the layer rules of DESIGN.md §2 fail lint on a wrong import', () => {
  it.each([
    ['src/shared/x.ts', "import { createRuntime } from '../core/runtime/create-runtime';"],
    ['src/shared/x.ts', "import { readFileSync } from 'node:fs';"],
    ['src/core/x.ts', "import { app } from 'electron';"],
    ['src/core/x.ts', "import { startHeadlessServer } from '../server/headless-server';"],
    ['src/renderer/x.ts', "import { openDatabase } from '../core/storage/database';"],
    ['src/renderer/x.ts', "import { readFileSync } from 'node:fs';"],
    ['src/preload/x.ts', "import { requestContract } from '../shared/api/contract';\nimport { z } from 'zod';"],
    ['src/server/x.ts', "import { app } from 'electron';"],
    ['src/cli/x.ts', "import { App } from '../renderer/App';"],
  ])('%s: %s', async (file, code) => {
    expect(await restrictedImports(file, `${code}\nexport {};\n`)).toBeGreaterThan(0);
  });

  it.each([
    ['src/core/x.ts', "import { AppError } from '../shared/errors';"],
    ['src/renderer/x.ts', "import type { Message } from '../shared/domain/message';"],
    ['src/main/x.ts', "import { createRuntime } from '../core/runtime/create-runtime';"],
    ['src/preload/x.ts', "import { REQUEST_CHANNELS } from '../shared/api/channels';"],
  ])('allows %s: %s', async (file, code) => {
    expect(await restrictedImports(file, `${code}\nexport {};\n`)).toBe(0);
  });
});
