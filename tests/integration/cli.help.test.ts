import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cliBin } from '../helpers/paths';
import { tempDir } from '../helpers/temp-dir';

const run = promisify(execFile);

describe('portcullis COMMAND --help', () => {
  it.each(['chat', 'serve', 'tools', 'policy'])('%s --help prints that command\'s usage and succeeds', async (command) => {
    const { stdout, stderr } = await run(process.execPath, [cliBin, command, '--help']);
    expect(stdout).toContain(`portcullis ${command}`);
    expect(stderr).not.toMatch(/Unknown option/);
  });

  it('tools --help says what tools list reports, that beside a running Portcullis it is that one\'s state, and what --approve means there', async () => {
    const { stdout } = await run(process.execPath, [cliBin, 'tools', '--help']);
    const said = stdout.replace(/\s+/g, ' ');
    expect(said).toContain('whether it is held back for a changed definition, and each server\'s state, why it failed, its grants and what its sandbox refused or could not apply, as its row on the Tools & servers page says them. Beside a running Portcullis (serve, or the desktop app) it asks that one, so the state shown is its own; alone it starts each server itself.');
    expect(said).toContain('--approve ask waits for the person\'s answer in its window, none denies without asking, and all or a list is refused');
    expect(said).toContain('or approved only for the tools a list of names and globs matches and denied for the rest, unasked (--approve "github.get_*,memory.read_graph"; a !glob takes tools out: "memory.*,!memory.delete_entities")');
    expect(said).toContain('Beside a running Portcullis, approve, reject and import are made by that one: they hold there at once (no restart).');
  });

  it('prompts, resources, traces and chat --help say what they do beside a running Portcullis, and traces list how to find a trace', async () => {
    const help = async (command: string) => (await run(process.execPath, [cliBin, command, '--help'])).stdout.replace(/\s+/g, ' ');
    expect(await help('prompts')).toContain('Beside a running Portcullis (serve, or the desktop app) both ask that one: its servers, no second copy');
    expect(await help('resources')).toContain('the read is yours, as alone (not a script\'s, which its policy decides)');
    expect(await help('traces')).toContain('portcullis traces list [--limit N] [--conversation ID] [--tool NAME] [--json] [--data-dir D] Lists the newest finished traces');
    expect(await help('chat')).toContain('Beside a running Portcullis on the folder (serve, or the desktop app) the turn is that one\'s');
    expect(await help('chat')).toContain('--approve ask waits for the person\'s answer in its window, none denies without asking, and all or a list is refused');
    expect(await help('chat')).toContain('[--approve none|all|ask|TOOLS]');
    expect(await help('chat')).toContain('a !glob takes tools out: "memory.*,!memory.delete_entities"');
    expect(await help('keys')).toContain('a !glob takes tools out: "memory.*,!memory.delete_entities"');
    expect(await help('policy')).toContain('(beside a running Portcullis, that one\'s decision: its servers, workspace and rules)');
  }, 60_000); // nine CLI processes one after the other: over 20 s on a loaded machine

  it('an option the command does not have is said in its words, with its usage (exit 2)', async () => {
    const failed = await run(process.execPath, [cliBin, 'chat', '--foo', 'hi']).catch((error: { code: number; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 2 });
    const { stderr } = failed as { stderr: string };
    expect(stderr).toMatch(/^portcullis chat has no option --foo; its options are below\. \(Text that starts with "-" goes after --: portcullis chat -- "--foo"\.\)\n\nportcullis chat \[--json\]/);
    const keys = (await run(process.execPath, [cliBin, 'keys', 'create', '--nmae', 'x']).catch((error: { stderr: string }) => error)) as { stderr: string };
    expect(keys.stderr).toMatch(/^portcullis keys has no option --nmae; its options are below\.\n\n/);
  });

  it('a command without its subcommand, or with one it does not have, says which there are (exit 2), and makes no data folder', async () => {
    const dataDir = join(tempDir(), 'not-made');
    const said = async (...args: string[]) => {
      const failed = (await run(process.execPath, [cliBin, ...args, '--data-dir', dataDir]).catch((error: { code: number; stderr: string }) => error)) as { code: number; stderr: string };
      expect(failed.code).toBe(2);
      return failed.stderr.split('\n')[0];
    };
    expect(await said('keys')).toBe('Say "keys list", "keys create --name N --scope S", "keys update <id or name>" or "keys revoke <id or name>".');
    expect(await said('keys', 'lst')).toBe('Unknown keys command "lst"; use "create", "list", "update" or "revoke".');
    expect(await said('secrets')).toBe('Say "secrets list", "secrets set NAME", "secrets delete NAME" or "secrets scrub".');
    expect(await said('secrets', 'get')).toBe('Unknown secrets command "get"; use "list", "set", "delete" or "scrub".');
    // A name the keychain would refuse: said naming it, before the value is read.
    expect(await said('secrets', 'set', 'bad name')).toBe('"bad name" is not a secret name. A secret name is 1–200 letters, digits, ".", "_", ":" or "-", starting with a letter or digit, e.g. provider.openai.');
    expect(await said('secrets', 'delete', 'a/b')).toMatch(/^"a\/b" is not a secret name\./);
    expect(await said('policy')).toBe('Say "policy check FILE", "policy explain --tool T", "policy rules" or "policy revoke RULE_ID".');
    expect(await said('policy', 'show')).toBe('Unknown policy command "show"; use "check", "explain", "rules" or "revoke".');
    expect(await said('audit')).toBe('Say "audit verify" or "audit list".');
    expect(await said('audit', 'verify', 'x')).toBe('audit verify takes no names: portcullis audit verify.');
    expect(await said('keys', 'list', 'x')).toBe('keys list takes no names: it lists every key.');
    expect(await said('policy', 'rules', 'x')).toBe('policy rules takes no names: it lists every "always allow" rule.');
    expect(await said('tools', 'list', 'fs')).toBe('tools list takes no names: it lists every tool (--json for a script to pick from).');
    expect(existsSync(dataDir)).toBe(false);
  }, 60_000);

  it('an option put before the command is said with the line as it should be; help COMMAND is that command\'s usage', async () => {
    const first = async (...args: string[]) => {
      const failed = (await run(process.execPath, [cliBin, ...args]).catch((error: { code: number; stderr: string }) => error)) as { code: number; stderr: string };
      return { code: failed.code, said: failed.stderr.split('\n')[0] };
    };
    expect(await first('--data-dir', '/tmp/my data', 'tools', 'list', '--json')).toEqual({ code: 2, said: "The command comes first, its options after it: portcullis tools list --data-dir '/tmp/my data' --json" });
    expect(await first('--json')).toEqual({ code: 2, said: '--json is an option: name the command first, its options after it (portcullis COMMAND --help lists them).' });
    expect(await first('frob')).toEqual({ code: 2, said: 'Unknown command "frob".' });
    const { stdout } = await run(process.execPath, [cliBin, 'help', 'traces']);
    expect(stdout).toMatch(/^portcullis traces list /);
  }, 60_000);

  it('-h after other arguments asks too; after -- it is a message like any other', async () => {
    await expect(run(process.execPath, [cliBin, 'tools', 'list', '-h'])).resolves.toMatchObject({ stdout: expect.stringContaining('portcullis tools list') });
    await expect(run(process.execPath, [cliBin, 'route', '--json', '--', '--help'])).resolves.toMatchObject({ stdout: expect.stringContaining('"intent"') });
  });
});
