import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cliBin } from '../helpers/paths';
import { tempDir } from '../helpers/temp-dir';

const run = promisify(execFile);

/**
 * Each command's --help, its words on one line. The processes run at once: each is mostly Node loading the app
 * (~0.7 s of CPU), so one after the other they took over 60 s on a machine at load 25 on 2 cores.
 */
const helps = (...commands: string[]): Promise<string[]> =>
  Promise.all(commands.map(async (command) => (await run(process.execPath, [cliBin, command, '--help'])).stdout.replace(/\s+/g, ' ')));

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
    const [prompts, resources, traces, chat, keys, policy] = await helps('prompts', 'resources', 'traces', 'chat', 'keys', 'policy');
    expect(prompts).toContain('Beside a running Portcullis (serve, or the desktop app) both ask that one: its servers, no second copy');
    expect(resources).toContain('the read is yours, as alone (not a script\'s, which its policy decides)');
    expect(traces).toContain('portcullis traces list [--limit N] [--conversation ID] [--tool NAME] [--json] [--data-dir D] Lists the newest finished traces');
    expect(chat).toContain('Beside a running Portcullis on the folder (serve, or the desktop app) the turn is that one\'s');
    expect(chat).toContain('--approve ask waits for the person\'s answer in its window, none denies without asking, and all or a list is refused');
    expect(chat).toContain('[--approve none|all|ask|TOOLS]');
    expect(chat).toContain('a !glob takes tools out: "memory.*,!memory.delete_entities"');
    expect(keys).toContain('a !glob takes tools out: "memory.*,!memory.delete_entities"');
    expect(policy).toContain('(beside a running Portcullis, that one\'s decision: its servers, workspace and rules)');
    expect(policy).toContain('An allow also says what a conversation that read untrusted content meets instead (ASK by taint.override).');
    // explain reads the data folder's policy and the workspace it names; rules and revoke the data folder's rules.
    expect(policy).toContain('[--tainted] [--json] [--data-dir D] [--workspace W]');
    expect(policy).toContain('portcullis policy revoke RULE_ID [--data-dir D]');
  }, 60_000);

  it('an option the command does not have is said in its words, with its usage (exit 2)', async () => {
    const [failed, keys] = await Promise.all([
      run(process.execPath, [cliBin, 'chat', '--foo', 'hi']).catch((error: { code: number; stderr: string }) => error),
      run(process.execPath, [cliBin, 'keys', 'create', '--nmae', 'x']).catch((error: { stderr: string }) => error) as Promise<{ stderr: string }>,
    ]);
    expect(failed).toMatchObject({ code: 2 });
    const { stderr } = failed as { stderr: string };
    expect(stderr).toMatch(/^portcullis chat has no option --foo; its options are below\. \(Text that starts with "-" goes after --: portcullis chat -- "--foo"\.\)\n\nportcullis chat \[--json\]/);
    expect(keys.stderr).toMatch(/^portcullis keys has no option --nmae; its options are below\.\n\n/);
  });

  it('a command without its subcommand, or with one it does not have, says which there are (exit 2), and makes no data folder', async () => {
    const dataDir = join(tempDir(), 'not-made');
    const said = async (...args: string[]) => {
      const failed = (await run(process.execPath, [cliBin, ...args, '--data-dir', dataDir]).catch((error: { code: number; stderr: string }) => error)) as { code: number; stderr: string };
      return { code: failed.code, said: failed.stderr.split('\n')[0] };
    };
    const expected: Array<[string[], string | RegExp]> = [
      [['keys'], 'Say "keys list", "keys create --name N --scope S", "keys update <id or name>" or "keys revoke <id or name>".'],
      [['keys', 'lst'], 'Unknown keys command "lst"; use "create", "list", "update" or "revoke".'],
      [['secrets'], 'Say "secrets list", "secrets set NAME", "secrets delete NAME" or "secrets scrub".'],
      [['secrets', 'get'], 'Unknown secrets command "get"; use "list", "set", "delete" or "scrub".'],
      // A name the keychain would refuse: said naming it, before the value is read.
      [['secrets', 'set', 'bad name'], '"bad name" is not a secret name. A secret name is 1–200 letters, digits, ".", "_", ":" or "-", starting with a letter or digit, e.g. provider.openai.'],
      [['secrets', 'delete', 'a/b'], /^"a\/b" is not a secret name\./],
      [['policy'], 'Say "policy check FILE", "policy explain --tool T", "policy rules" or "policy revoke RULE_ID".'],
      [['policy', 'show'], 'Unknown policy command "show"; use "check", "explain", "rules" or "revoke".'],
      [['audit'], 'Say "audit verify" or "audit list".'],
      [['audit', 'verify', 'x'], 'audit verify takes no names: portcullis audit verify.'],
      [['keys', 'list', 'x'], 'keys list takes no names: it lists every key.'],
      [['policy', 'rules', 'x'], 'policy rules takes no names: it lists every "always allow" rule.'],
      [['tools', 'list', 'fs'], 'tools list takes no names: it lists every tool (--json for a script to pick from).'],
    ];
    const answers = await Promise.all(expected.map(([args]) => said(...args)));
    expected.forEach(([args, words], i) => {
      expect(answers[i], args.join(' ')).toEqual({ code: 2, said: typeof words === 'string' ? words : expect.stringMatching(words) });
    });
    expect(existsSync(dataDir)).toBe(false);
  }, 60_000);

  it('an option put before the command is said with the line as it should be; help COMMAND is that command\'s usage', async () => {
    const first = async (...args: string[]) => {
      const failed = (await run(process.execPath, [cliBin, ...args]).catch((error: { code: number; stderr: string }) => error)) as { code: number; stderr: string };
      return { code: failed.code, said: failed.stderr.split('\n')[0] };
    };
    const [misplaced, option, unknown, { stdout }] = await Promise.all([
      first('--data-dir', '/tmp/my data', 'tools', 'list', '--json'),
      first('--json'),
      first('frob'),
      run(process.execPath, [cliBin, 'help', 'traces']),
    ]);
    expect(misplaced).toEqual({ code: 2, said: "The command comes first, its options after it: portcullis tools list --data-dir '/tmp/my data' --json" });
    expect(option).toEqual({ code: 2, said: '--json is an option: name the command first, its options after it (portcullis COMMAND --help lists them).' });
    expect(unknown).toEqual({ code: 2, said: 'Unknown command "frob".' });
    expect(stdout).toMatch(/^portcullis traces list /);
  }, 60_000);

  it('-h after other arguments asks too; after -- it is a message like any other', async () => {
    await Promise.all([
      expect(run(process.execPath, [cliBin, 'tools', 'list', '-h'])).resolves.toMatchObject({ stdout: expect.stringContaining('portcullis tools list') }),
      expect(run(process.execPath, [cliBin, 'route', '--json', '--', '--help'])).resolves.toMatchObject({ stdout: expect.stringContaining('"intent"') }),
    ]);
  });
});
