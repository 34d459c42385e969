import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToolAnnotations } from '../../src/shared/domain/tool-call';
import { PolicySource } from '../../src/core/policy/policy-source';

/** A home folder used as the workspace, as README allows ("a workspace that holds the data folder, say your home"). */
const home = realpathSync(mkdtempSync(join(tmpdir(), 'portcullis-home-secrets-')));
const savedHome = process.env.HOME;
const readOnly: ToolAnnotations = { readOnlyHint: true, openWorldHint: false };

describe("the home folder's keys, sign-ins and histories, with the home folder as the workspace", () => {
  let policy: PolicySource;
  const decide = (tool: string, args: Record<string, unknown>) => policy.evaluate({ tool: { name: tool, annotations: tool === 'fs.read' ? readOnly : {} }, arguments: args, server: 'builtin' });
  beforeAll(() => {
    process.env.HOME = home;
    mkdirSync(join(home, 'notes'), { recursive: true });
    writeFileSync(join(home, '.bash_history'), 'export OPENAI_API_KEY=sk-canary\n');
    symlinkSync(join(home, '.bash_history'), join(home, 'notes', 'history.txt'));
    policy = new PolicySource({ file: join(home, 'no-policy.yaml'), workspace: home });
  });
  afterAll(() => {
    process.env.HOME = savedHome;
  });

  it.each([
    '.bash_history', '.zsh_history', '.local/share/fish/fish_history', '.config/sops/age/keys.txt', '.my.cnf',
    '.config/rclone/rclone.conf', '.mozilla/firefox/x.default/logins.json', '.config/google-chrome/Default/Login Data',
    '.m2/settings.xml', '.config/op/config', '.claude/.credentials.json', '.thunderbird/x/key4.db',
    // a link in the workspace to one of them, whatever its name
    'notes/history.txt',
  ])('fs.read of %s is denied, where the shipped policy let it run unasked', (path) => {
    expect(decide('fs.read', { path })).toMatchObject({ effect: 'deny', ruleId: 'deny.home-secrets' });
  });

  it('denies writing there too; deny.secrets still names the files it names; ordinary files are read as before', () => {
    expect(decide('fs.write', { path: '.bash_history', content: '' })).toMatchObject({ effect: 'deny', ruleId: 'deny.home-secrets' });
    expect(decide('fs.read', { path: '.ssh/id_ed25519' })).toMatchObject({ effect: 'deny', ruleId: 'deny.secrets' });
    expect(decide('fs.read', { path: 'notes/todo.md' })).toMatchObject({ effect: 'allow' });
    expect(decide('fs.read', { path: '.config/app/settings.json' })).toMatchObject({ effect: 'allow' });
  });

  it("leaves a server's tools to its sandbox, which hides these places unless mcp.json's allowRead gives one back", () => {
    expect(policy.evaluate({ tool: { name: 'rclone.read_config', annotations: readOnly }, arguments: { path: join(home, '.config/rclone/rclone.conf') }, server: 'rclone' })).toMatchObject({ effect: 'allow' });
  });

  it('leaves alone a workspace inside such a place (an app kept in ~/.var/app): the workspace stays the tools\' own', () => {
    const workspace = join(home, '.var', 'app', 'org.example.Portcullis', 'data', 'workspace');
    mkdirSync(workspace, { recursive: true });
    const inside = new PolicySource({ file: join(home, 'no-policy.yaml'), workspace });
    expect(inside.evaluate({ tool: { name: 'fs.read', annotations: readOnly }, arguments: { path: 'notes.md' }, server: 'builtin' })).toMatchObject({ effect: 'allow' });
  });
});
