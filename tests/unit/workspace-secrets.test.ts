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
  it('are its .env files (.env.example too: the shipped policy lists .env.*), direnv and Terraform state, keys and credentials, any case, not other files', () => {
    const workspace = workspaceWith(['.env', 'sub/.ENV.local', '.env.example', 'a/b/server.pem', 'id_rsa.pub', 'notes.md', 'env.md', 'src/.envrc', 'infra/terraform.tfstate', 'infra/main.tf', '.aws/config']);
    const found = findWorkspaceSecrets(workspace, secretFileTest(shipped(), { workspace, home: '/nonexistent', ignoreCase: false }));
    expect(relative(workspace, found.paths)).toEqual(['.aws', '.env', '.env.example', 'a/b/server.pem', 'id_rsa.pub', 'infra/terraform.tfstate', 'src/.envrc', 'sub/.ENV.local']);
    expect(found.complete).toBe(true);
  });

  it("follow the person's own policy: what it no longer lists is not hidden, and with no deny.secrets none is", () => {
    const workspace = workspaceWith(['.env', '.env.local', 'key.pem']);
    const context = { workspace, home: '/nonexistent', ignoreCase: false };
    const onlyEnv: PolicyRule[] = [{ id: 'deny.secrets', effect: 'deny', reason: 'r', match: { args: { path: { glob: ['**/.env'] } } } }];
    expect(relative(workspace, findWorkspaceSecrets(workspace, secretFileTest(onlyEnv, context)).paths)).toEqual(['.env']);
    expect(findWorkspaceSecrets(workspace, secretFileTest(shipped().filter((r) => r.id !== 'deny.secrets'), context)).paths).toEqual([]);
  });

  it('are looked for once for servers starting together under the same policy, afresh after a moment or a policy change', () => {
    const workspace = workspaceWith(['.env']);
    let now = 0;
    const look = sharedWorkspaceSecrets(() => now);
    const isSecret = secretFileTest(shipped(), { workspace, home: '/nonexistent', ignoreCase: false });
    expect(look(workspace, isSecret).paths).toHaveLength(1);
    writeFileSync(join(workspace, 'key.pem'), 'x');
    now = 100;
    expect(look(workspace, isSecret).paths).toHaveLength(1);
    expect(look(workspace, secretFileTest(shipped(), { workspace, home: '/nonexistent', ignoreCase: false })).paths).toHaveLength(2);
    now = 10_000;
    expect(look(workspace, isSecret).paths).toHaveLength(2);
  });

  it('are looked for outside node_modules, .git and virtualenvs, not through a link to a folder, within bounds that say when they stopped it', () => {
    const outside = workspaceWith(['.env']);
    const workspace = workspaceWith(['node_modules/pkg/.env', '.git/.env', '.venv/lib/site-packages/x/.env', 'a/b/c/d/.env', 'x1', 'x2', 'x3']);
    symlinkSync(outside, join(workspace, 'linked'));
    const isSecret = secretFileTest(shipped(), { workspace, home: '/nonexistent', ignoreCase: false });
    expect(relative(workspace, findWorkspaceSecrets(workspace, isSecret).paths)).toEqual(['a/b/c/d/.env']);
    expect(findWorkspaceSecrets(workspace, isSecret, { depth: 3, entries: 100, found: 10 })).toEqual({ paths: [], complete: false });
    expect(findWorkspaceSecrets(workspace, isSecret, { depth: 10, entries: 5, found: 10 }).complete).toBe(false);
  });
});
