import { mkdirSync, mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ToolAnnotations } from '../../src/shared/domain/tool-call';
import { PolicySource } from '../../src/core/policy/policy-source';
import { PATH_ARGUMENT_GLOB } from '../../src/core/policy/path-argument-names';

/** The shipped default policy (resources/policy.default.yaml) against the files that usually hold credentials. */
const root = realpathSync(mkdtempSync(join(tmpdir(), 'portcullis-default-secrets-')));
const workspace = join(root, 'workspace');
const elsewhere = join(root, 'project');
mkdirSync(workspace, { recursive: true });
mkdirSync(elsewhere, { recursive: true });
const policy = new PolicySource({ file: join(root, 'no-policy.yaml'), workspace });

const readOnly: ToolAnnotations = { readOnlyHint: true, openWorldHint: false };
const decide = (tool: string, args: Record<string, unknown>, server = tool.startsWith('fs.') ? 'builtin' : 'files') =>
  policy.evaluate({ tool: { name: tool, annotations: readOnly }, arguments: args, server });

describe('the shipped default policy keeps credential files from the agent', () => {
  it('is the shipped file', () => {
    expect(policy.source).toMatch(/policy\.default\.yaml$/);
  });

  // What an MCP server's sandbox already hides (read-denials.ts), and key files by other names than id_rsa.
  it.each([
    '.netrc', '.git-credentials', '.npmrc', '.pypirc', '.pgpass', '.vault-token', 'id_ed25519', 'id_ecdsa', 'id_dsa',
    'backup/id_ed25519', 'cert.p12', 'cert.pfx', '.config/gh/hosts.yml', '.docker/config.json', '.kube/config',
    '.aws/config', '.gnupg/pubring.kbx', '.password-store/mail.gpg', '.local/share/keyrings/login.keyring',
    // direnv's exports and Terraform's state hold keys and passwords in plain text.
    '.envrc', 'infra/.envrc', 'terraform.tfstate', 'infra/terraform.tfstate.backup',
  ])('fs.read of %s is denied by deny.secrets', (path) => {
    expect(decide('fs.read', { path })).toMatchObject({ effect: 'deny', ruleId: expect.stringMatching(/^deny\.secrets/) });
  });

  it('still lets ordinary files be read', () => {
    for (const path of ['notes/todo.md', 'npmrc-notes.md', 'id_rsa-howto.md.txt.bak/../readme.md', '.gitignore']) {
      expect(decide('fs.read', { path }), path).toMatchObject({ effect: 'allow' });
    }
  });

  // A filesystem server's read_multiple_files ({paths}), a coding agent's Read ({file_path}), move_file ({source}).
  it.each([
    ['files.read_multiple_files', { paths: ['notes/a.md', '.env'] }],
    ['agent.Read', { file_path: '.env' }],
    ['files.move_file', { source: '.env', destination: 'notes/env.txt' }],
    ['files.move_file', { source: 'notes/env.txt', destination: '.env' }],
  ])('%s %j is denied whatever the argument is called', (tool, args) => {
    expect(decide(tool, args)).toMatchObject({ effect: 'deny', ruleId: expect.stringMatching(/^deny\.secrets/) });
  });

  // A filesystem-like server's resources, read by the model's read_resource or a script's resources.read.
  it.each([`file://${elsewhere}/.env`, `file://${elsewhere}/.%65nv`, `file://${workspace}/deploy/server.pem`, `file://localhost${elsewhere}/.aws/credentials`])(
    'files.read_resource of %s is denied by deny.secrets',
    (uri) => {
      expect(decide('files.read_resource', { uri })).toMatchObject({ effect: 'deny', ruleId: 'deny.secrets' });
    },
  );

  it('still lets other resources be read: a file URI of an ordinary file, another scheme', () => {
    for (const uri of [`file://${elsewhere}/README.md`, 'test://static/resource/1', 'https://example.com/.well-known/x']) {
      expect(decide('files.read_resource', { uri }), uri).toMatchObject({ effect: 'allow' });
    }
  });

  it('names in its path rules the argument names the taint classifier reads as paths', () => {
    const file = parse(readFileSync(policy.source, 'utf8')) as { rules: Array<{ id: string; match: { args?: Record<string, { glob?: string[] }> } }> };
    const pathRules = file.rules.filter((rule) => Object.values(rule.match.args ?? {}).some((matcher) => matcher.glob));
    expect(pathRules.map((rule) => rule.id)).toEqual(['deny.secrets', 'ask.git-internals']);
    for (const rule of pathRules) expect(Object.keys(rule.match.args ?? {}), rule.id).toEqual([PATH_ARGUMENT_GLOB]);
  });

  it('keeps a .env outside the workspace (an MCP server\'s folder) from being read too', () => {
    expect(decide('files.read_text_file', { path: join(elsewhere, '.env') })).toMatchObject({ effect: 'deny', ruleId: 'deny.secrets' });
    expect(decide('files.read_text_file', { path: join(elsewhere, 'deploy', 'server.pem') })).toMatchObject({ effect: 'deny', ruleId: 'deny.secrets' });
    expect(decide('files.read_text_file', { path: join(elsewhere, 'README.md') })).toMatchObject({ effect: 'allow' });
  });
});
