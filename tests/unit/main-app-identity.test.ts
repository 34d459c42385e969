import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { APP_USER_MODEL_ID } from '../../src/main/app-identity';
import { repoRoot } from '../helpers/paths';

// A Windows toast ("Write 2 lines to notes.txt", a call waiting for approval) shows only for a process whose
// AppUserModelID is the one on the installer's shortcut: electron-builder puts appId there.
describe("the desktop app's AppUserModelID", () => {
  it("is electron-builder.yml's appId", () => {
    const config = parse(readFileSync(join(repoRoot, 'electron-builder.yml'), 'utf8')) as { appId?: string };
    expect(APP_USER_MODEL_ID).toBe(config.appId);
  });
});
