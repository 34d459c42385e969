import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findDefaultPolicyFile } from '../../src/core/policy/policy-source';
import { parsePolicy } from '../../src/core/policy/policy-parser';
import { secretFileTest } from '../../src/core/policy/secret-files';
import { findWorkspaceSecrets, sharedWorkspaceSecrets } from '../../src/core/sandbox/workspace-secrets';
import type { PolicyRule } from '../../src/shared/domain/policy';
import { tempDir } from '../helpers/temp-dir';

const shipped = (): readonly PolicyRule[] => {
  const parsed = parsePolicy(readFileSync(findDefaultPolicyFile()!, 'utf8'));
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.policy.rules;
};

function workspaceWith(files: string[]): string {
  const workspace = tempDir();
  for (const file of files) {
    mkdirSync(dirname(join(workspace, file)), { recursive: true });
    writeFileSync(join(workspace, file), 'x');
  }
  return workspace;
}

const relative = (workspace: string, paths: string[]) => paths.map((p) => p.slice(workspace.length + 1)).sort();

describe("the workspace's secret files, as the policy's deny.secrets calls them", () => {
  it('are its .env files (.env.example too: the shipped policy lists .env.*), direnv and Terraform state, keys and credentials, any case, not other files', async () => {
    const workspace = workspaceWith(['.env', 'sub/.ENV.local', '.env.example', 'a/b/server.pem', 'id_rsa.pub', 'notes.md', 'env.md', 'src/.envrc', 'infra/terraform.tfstate', 'infra/main.tf', '.aws/config']);
    const found = await findWorkspaceSecrets(workspace, secretFileTest(shipped(), { workspace, home: '/nonexistent', ignoreCase: false }));
    expect(relative(workspace, found.paths)).toEqual(['.aws', '.env', '.env.example', 'a/b/server.pem', 'id_rsa.pub', 'infra/terraform.tfstate', 'src/.envrc', 'sub/.ENV.local']);
    expect(found.complete).toBe(true);
  });

  it("follow the person's own policy: what it no longer lists is not hidden, and with no deny.secrets none is", async () => {
    const workspace = workspaceWith(['.env', '.env.local', 'key.pem']);
    const context = { workspace, home: '/nonexistent', ignoreCase: false };
    const onlyEnv: PolicyRule[] = [{ id: 'deny.secrets', effect: 'deny', reason: 'r', match: { args: { path: { glob: ['**/.env'] } } } }];
    expect(relative(workspace, (await findWorkspaceSecrets(workspace, secretFileTest(onlyEnv, context))).paths)).toEqual(['.env']);
    expect((await findWorkspaceSecrets(workspace, secretFileTest(shipped().filter((r) => r.id !== 'deny.secrets'), context))).paths).toEqual([]);
  });

  it('are looked for once for servers starting together under the same policy, afresh after a moment or a policy change', async () => {
    const workspace = workspaceWith(['.env']);
    let now = 0;
    const look = sharedWorkspaceSecrets(() => now);
    const isSecret = secretFileTest(shipped(), { workspace, home: '/nonexistent', ignoreCase: false });
    expect((await look(workspace, isSecret)).paths).toHaveLength(1);
    writeFileSync(join(workspace, 'key.pem'), 'x');
    now = 100;
    expect((await look(workspace, isSecret)).paths).toHaveLength(1);
    expect((await look(workspace, secretFileTest(shipped(), { workspace, home: '/nonexistent', ignoreCase: false }))).paths).toHaveLength(2);
    now = 10_000;
    expect((await look(workspace, isSecret)).paths).toHaveLength(2);
  });

  it('are looked for outside node_modules, .git and virtualenvs, not through a link to a folder, within bounds that say when they stopped it', async () => {
    const outside = workspaceWith(['.env']);
    const workspace = workspaceWith(['node_modules/pkg/.env', '.git/.env', '.venv/lib/site-packages/x/.env', 'a/b/c/d/.env', 'x1', 'x2', 'x3']);
    symlinkSync(outside, join(workspace, 'linked'));
    const isSecret = secretFileTest(shipped(), { workspace, home: '/nonexistent', ignoreCase: false });
    expect(relative(workspace, (await findWorkspaceSecrets(workspace, isSecret)).paths)).toEqual(['a/b/c/d/.env']);
    expect(await findWorkspaceSecrets(workspace, isSecret, { depth: 3, entries: 100, found: 10 })).toEqual({ paths: [], complete: false });
    expect((await findWorkspaceSecrets(workspace, isSecret, { depth: 10, entries: 5, found: 10 })).complete).toBe(false);
  });

  it('let other work run while they are looked for (the look goes in slices), and one look under way serves every server starting meanwhile', async () => {
    const workspace = workspaceWith([...Array.from({ length: 2_000 }, (_, i) => `src/f${i}.ts`), 'deep/a/.env']);
    let matched = 0;
    const slowMatcher = (path: string) => {
      matched++;
      const until = performance.now() + 0.05; // a policy's many globs, matched on the main process
      while (performance.now() < until);
      return path.endsWith('.env');
    };
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const look = sharedWorkspaceSecrets();
    const [first, second] = await Promise.all([look(workspace, slowMatcher), look(workspace, slowMatcher)]);
    clearInterval(timer);
    expect(relative(workspace, first.paths)).toEqual(['deep/a/.env']);
    expect(second).toBe(first);
    expect(matched).toBe(2_004); // one look: every entry once
    expect(ticks).toBeGreaterThan(3);
  });

  it("fail when the policy's matcher fails, rather than hide nothing on a guess", async () => {
    const workspace = workspaceWith(['.env']);
    await expect(findWorkspaceSecrets(workspace, () => {
      throw new Error('bad glob');
    })).rejects.toThrow('bad glob');
  });
});
