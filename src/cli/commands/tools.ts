import { constants as osConstants } from 'node:os';
import { OtherAppIdSchema } from '../../shared/domain/mcp-import';
import { dataFolderPaths } from '../../core/config/data-paths';
import { builtinToolCatalog } from '../../core/tools/builtin-tool-catalog';
import type { Runtime } from '../../core/runtime/create-runtime';
import { CliUsageError, type CommandContext } from '../command';
import { createNodeRuntime } from '../node-runtime';
import { recordedOwnerPid } from '../../core/runtime/data-folder-owner';
import { namespaceOf } from '../../core/tools/tool-definition';
import { shownHash } from '../../shared/shown-hash';
import { directCallOutcome } from '../../core/tools/direct-call-outcome';
import { unknownToolOutcome } from '../../core/tools/unknown-tool-message';
import { serverToolCount } from '../../shared/server-tool-count';
import { MAX_ARGUMENT_DEPTH, type DirectCallOutcome } from '../../shared/domain/direct-call';
import { nestsDeeperThan } from '../../shared/json-depth';
import type { RequestChannel } from '../../shared/api/channels';
import type { RequestInput, RequestOutput } from '../../shared/api/contract';
import type { ToolCatalog } from '../../shared/domain/tool-catalog';
import { isHeldBack } from '../../shared/held-tools-approval';
import { toolKindWord } from '../../shared/tool-kind';
import { besideRunningPortcullis, whyUnreachable, type RunningApi } from '../running-portcullis';
import { hasDataFolder } from '../stored-data';
import { callOutcomeLines } from '../call-outcome-lines';
import { settleSaying } from '../settle-saying';
import { serverDetailLines, serverStateWords } from '../server-details';
import { approvalGateFor, approveWords, parseApproveOption, type ApproveOption, type ScriptApproval } from '../approve-option';
import { approveHeldTools, isToolGlob } from './approve-held';

export const toolsHelp = `portcullis tools list [--json] [--data-dir D] [--workspace W]
  Lists every tool (built-in and from the MCP servers in <data-dir>/mcp.json) with its server, annotations,
  sandbox status and whether it is held back for a changed definition, and each server's state, why it failed,
  its grants and what its sandbox refused or could not apply, as its row on the Tools & servers page says them.
  Beside a running Portcullis (serve, or the desktop app) it asks that one, so the state shown is its own; alone it
  starts each server itself.
portcullis tools call NAME --args JSON [--approve none|all|ask|TOOLS] [--json] [--data-dir D] [--workspace W]
  Calls one tool through the whole governed path (validation, policy, approval, sandbox) and prints the outcome
  and the trace id (\`portcullis traces show ID\` prints its steps). Calls that need approval are denied (--approve
  none, the default), approved (--approve all), or approved only for the tools a list of names and globs matches
  and denied for the rest, unasked (--approve "github.get_*,memory.read_graph"; a !glob takes tools out:
  "memory.*,!memory.delete_entities"). Beside a running Portcullis the
  call is that one's (its servers, records and trace): --approve ask waits for the person's answer in its window,
  none denies without asking, and all or a list is refused (a command does not approve in the person's place);
  alone, ask is refused (no one to ask).
  Exits 0 when the call succeeded, 1 when it was denied or failed (--json: "outcome" says which), 2 for a mistake
  in the command.
portcullis tools approve NAME --hash H [--json] [--data-dir D]
  Re-approves an MCP tool held back because its server changed its name, description or input schema, or
  approves one its server added after you approved its tools. H names the definition you approve: \`tools list\`
  prints the whole command beside what changed. A server that changed it again since is refused (exit 1): look
  again, as nothing you have not seen is approved.
portcullis tools approve 'SERVER.*' [--hash H] [--json] [--data-dir D]
  After tool-pins.json and its copy were lost (every tool held back): with a glob, lists the held-back tools it
  names that may be approved together, each with its definition's hash, and the command that approves that list
  (H is the list's hash); with it, approves each and prints it with its hash. A tool whose definition changed from
  one you approved, one its server added later and one you rejected are listed apart, to approve one by one above.
  A server that changed or added a tool since you looked gets the list refused (exit 1).
portcullis tools reject NAME [--json] [--data-dir D]
  Refuses that new definition: the tool stays held back, and is no longer listed as waiting for you.
portcullis tools keep-stopped SERVER [--json] [--data-dir D]
  A server its sandbox refused a host as it started waits for your decision on it (\`tools list\`: "waiting for your
  decision on HOST"); this keeps it stopped, as the row's "Keep it stopped" does: it is not started again until
  you restart it or allow the host. Only a running Portcullis holds a server waiting, so it is done there.
portcullis tools import [APP] [--json] [--data-dir D]
  Without APP, lists the MCP servers set up in other apps on this machine (${OtherAppIdSchema.options.join(', ')}).
  With APP, adds that app's servers to mcp.json under their names (credentials to the OS keychain).
  Beside a running Portcullis, approve, reject and import are made by that one: they hold there at once (no restart).`;

export async function toolsCommand(context: CommandContext): Promise<number> {
  const [sub, ...rest] = context.positionals;
  if (sub === 'list') {
    if (rest.length > 0) throw new CliUsageError('tools list takes no names: it lists every tool (--json for a script to pick from).');
    return list(context);
  }
  if (sub === 'call') return call(context, rest);
  if (sub === 'approve' || sub === 'reject') return decide(context, sub, rest);
  if (sub === 'import') return importServers(context, rest);
  if (sub === 'keep-stopped') return keepStopped(context, rest);
  throw new CliUsageError(sub ? `Unknown tools command "${sub}"; use "list", "call", "approve", "reject", "keep-stopped" or "import".` : 'Say "tools list" or "tools call NAME".');
}

/**
 * The row's "Keep it stopped" (tools.controlServer's decline) for a server waiting for the person's decision on a host
 * its sandbox refused as it started. A server waits only in a running Portcullis (a command's own copy stops with the
 * command, and the next start tries it once and waits again), so it is asked of that one, never done alone.
 */
async function keepStopped(context: CommandContext, rest: string[]): Promise<number> {
  const [name] = rest;
  if (!name || rest.length > 1) throw new CliUsageError('Name the one server to keep stopped, e.g. portcullis tools keep-stopped downloader.');
  const beside = besideRunningPortcullis(context.values['data-dir']);
  if (beside.kind === 'alone') {
    throw new CliUsageError(`No Portcullis is running on this data folder, so no server waits for your decision: ${name} waits only in a running Portcullis (portcullis serve, or the desktop app), which tools list shows.`);
  }
  if (beside.kind === 'unreachable') {
    throw new CliUsageError(`Portcullis is running on this data folder${beside.pid ? ` (pid ${beside.pid})` : ''}, but ${beside.why}. Keep ${name} stopped on its Tools & servers page.`);
  }
  noteThrough(context, beside.api, `${name} is kept stopped there`);
  const { done, problems } = await beside.api.call<RequestOutput<'tools.controlServer'>>('tools.controlServer', { name, action: 'decline' });
  if (context.values.json) context.out(JSON.stringify({ server: name, keptStopped: done, problems }));
  else if (done) context.out(`${name} stays stopped: it is not started again until you restart it or allow the host it asked for.`);
  else context.out(problems.join('\n'));
  return done ? 0 : 1;
}

/**
 * Runs `fn` on a runtime started from the data dir, once its MCP servers are up (only `servers`, when the command
 * needs only those: a copy of each server beside a running app is one more that may fail on a lock or a port);
 * disposed after.
 */
export async function withRuntime<T>(context: CommandContext, approve: ScriptApproval, fn: (runtime: Runtime) => Promise<T>, servers?: readonly string[]): Promise<T> {
  const { values } = context;
  const runtime = createNodeRuntime({ dataDir: values['data-dir'], workspace: values.workspace, approvalGate: approvalGateFor(approve), ...(servers ? { mcp: servers } : {}) });
  noteSecondCopies(runtime);
  const ignoreSignals = stopOnSignal(runtime);
  try {
    await settleSaying(runtime.mcp);
    return await fn(runtime);
  } finally {
    ignoreSignals();
    await runtime.dispose();
  }
}

/**
 * A command ended by Ctrl+C (or SIGTERM, SIGHUP) stops its runtime first, as `serve` and `chat` do: its MCP servers
 * run in process groups of their own (`process-group.ts`), so the terminal's signal no longer reaches them, and
 * Node's default end runs no exit handler. Exits as the signal would have (128 + its number). Returns the undo.
 */
function stopOnSignal(runtime: Runtime): () => void {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const undo = () => {
    for (const signal of signals) process.off(signal, onSignal);
  };
  function onSignal(signal: NodeJS.Signals): void {
    undo(); // a second Ctrl+C ends it at once
    void runtime.dispose().finally(() => process.exit(128 + osConstants.signals[signal]));
  }
  for (const signal of signals) process.on(signal, onSignal);
  return undo;
}

/**
 * The MCP servers a tool name can come from: the one its namespace names (`everything.echo`), also as `mcp-<name>.…`
 * names it when a built-in namespace took its name. None for a name without a namespace.
 */
export function serversOfTool(name: string): string[] {
  const namespace = namespaceOf(name);
  if (namespace === '') return [];
  return namespace.startsWith('mcp-') ? [namespace, namespace.slice('mcp-'.length)] : [namespace];
}

/**
 * Beside a Portcullis it cannot reach a command runs on its own, and says so with why it cannot go through that one.
 * One that needs the tools starts its own copy of every MCP server: one that holds a lock or a port (a database, a
 * browser) fails here, or in the app. Said on stderr, so --json output stays whole.
 */
export function noteSecondCopies(runtime: Runtime): void {
  if (runtime.ownsDataFolder) return;
  const pid = recordedOwnerPid(runtime.paths.dataDir);
  const why = whyUnreachable(runtime.paths.dataDir);
  const copies = runtime.mcp.connections().length > 0
    ? "This command starts a second copy of each MCP server, and a server that holds a lock or a port may fail in one of them; the running one's servers are on its Tools & servers page."
    : 'This command runs on its own, not through it.';
  // A command may start a second runtime (`tools call` of a name its server does not account for): what it said
  // for the first is not said again.
  const parts = [`Portcullis is running on this data folder${pid ? ` (pid ${pid})` : ''}.`, copies, `${why.charAt(0).toUpperCase()}${why.slice(1)}.`].filter((part) => !saidBeside.has(part));
  for (const part of parts) saidBeside.add(part);
  if (parts.length > 0) console.error(`portcullis: ${parts.join(' ')}`);
}
const saidBeside = new Set<string>();

/** Said on stderr (--json stays whole) when a command goes through the running Portcullis rather than its own copies. */
export function noteThrough(context: CommandContext, api: RunningApi, what: string): void {
  console.error(`portcullis: through the Portcullis running on this data folder (pid ${api.pid}): ${what}.`);
  if (context.values.workspace !== undefined) console.error('portcullis: --workspace is not used: the running Portcullis works in its own workspace folder.');
}

/**
 * Why --approve all, or a list of tools, is refused beside a running Portcullis: its approvals are the person's, in its
 * window; a command approves only where no Portcullis runs on the folder. `where`: how the command's work runs there.
 */
export function approvesInPersonsPlace(api: RunningApi, where: string, approve: ScriptApproval): string {
  return `Portcullis is running on this data folder (pid ${api.pid}), and ${where}: its approvals are the person's, in its window, not a command's to give. Use --approve ask to wait for their answer there, or --approve none (the default) to have such calls denied without asking; ${approveWords(approve)} approves only where no Portcullis runs on the folder.`;
}

/**
 * Answers `channel` through the Portcullis running on the data folder when one serves a way in (saying so on stderr:
 * `what` is its), else in a runtime of this command's own, starting only `servers` when they are named.
 */
export function throughRunningOrOwn<C extends RequestChannel>(
  context: CommandContext,
  request: { channel: C; input: RequestInput<C>; what: string; servers?: readonly string[] },
  use: (ask: () => Promise<RequestOutput<C>>) => Promise<number>,
): Promise<number> {
  const { channel, input } = request;
  const beside = besideRunningPortcullis(context.values['data-dir']);
  if (beside.kind === 'reachable') {
    noteThrough(context, beside.api, request.what);
    return use(() => beside.api.call<RequestOutput<C>>(channel, input));
  }
  return withRuntime(context, 'none', (runtime) => use(() => runtime.handlers[channel](input as never) as Promise<RequestOutput<C>>), request.servers);
}

function list(context: CommandContext): Promise<number> {
  if (!hasDataFolder(context.values['data-dir'])) {
    const code = printCatalog(context, builtinToolCatalog());
    if (!context.values.json) context.out(`No MCP servers are set up in ${dataFolderPaths(context.values['data-dir']).dataDir}: it does not exist, so only the built-in tools are listed.`);
    return Promise.resolve(code);
  }
  return throughRunningOrOwn(context, { channel: 'tools.catalog', input: {}, what: 'the state shown is its own' }, async (ask) => printCatalog(context, await ask()));
}

/** The catalog as `tools list` prints it: the same JSON whether it came from this process or the running one. */
function printCatalog(context: CommandContext, { tools, servers, problems }: ToolCatalog): number {
  if (context.values.json) {
    context.out(JSON.stringify({ tools, servers, problems }));
    return 0;
  }
  for (const tool of tools) {
    const kind = toolKindWord(tool.annotations);
    const decide = `approve it as below, or \`portcullis tools reject ${tool.name}\``;
    const held =
      tool.pinState === 'changed'
        ? tool.change?.rejected ? ', HELD BACK: you rejected its new definition' : `, HELD BACK: its definition changed; ${decide}`
        : tool.pinState === 'new'
          ? tool.change?.rejected
            ? ', HELD BACK: you rejected this tool its server added'
            : tool.change?.pinsLost
              ? `, HELD BACK: the record of the tools you approved was lost, so it waits for your approval; ${decide}`
              : `, HELD BACK: its server added it after you approved its tools; ${decide}`
          : '';
    context.out(`${tool.name}  (${tool.server ?? 'built-in'}, ${kind}, ${tool.sandboxed ? (tool.offline ? 'sandboxed, no network' : 'sandboxed') : 'NOT sandboxed'}${tool.turnedOff ? ', TURNED OFF' : ''}${held})`);
    const { approved, offered } = tool.change ?? {};
    if (offered && !approved) context.out(`    it says: ${offered.description}`);
    if (approved && offered && approved.description !== offered.description) {
      context.out(`    approved: ${approved.description}\n    now:      ${offered.description}`);
    }
    if (approved && offered && JSON.stringify(approved.inputSchema) !== JSON.stringify(offered.inputSchema)) {
      context.out('    its input schema changed too (`--json` shows both)');
    }
    // A pin from before annotations counted has none to compare with.
    if (approved?.annotations && offered && JSON.stringify(approved.annotations) !== JSON.stringify(offered.annotations ?? {})) {
      context.out(`    what it says it does changed: ${JSON.stringify(approved.annotations)} → ${JSON.stringify(offered.annotations ?? {})}`);
    }
    // Approving names what was shown just above: a definition its server offers after this is not approved unseen.
    if (tool.change?.hash) context.out(`    to approve this definition: portcullis tools approve ${tool.name} --hash ${shownHash(tool.change.hash)}`);
  }
  for (const s of servers) {
    // As its row says it: "14 tools, 1 held back".
    const held = tools.filter((tool) => tool.server === s.name && isHeldBack(tool)).length;
    context.out(`server ${s.name}: ${serverStateWords(s)}${s.error ? ` (${s.error})` : ''}, ${serverToolCount(s)}${held > 0 ? `, ${held} held back` : ''}${s.offers.length > 0 ? ` (and ${s.offers.join(', ')})` : ''}${s.toolPrefix !== s.name ? ` named ${s.toolPrefix}.*` : ''}, breaker ${s.breaker}${s.outputTrusted ? ', output trusted' : ''}`);
    if (s.outputTrustNote) context.out(`  ${s.outputTrustNote}`);
    for (const warning of s.fieldWarnings) context.out(`  ${warning}`);
    for (const line of serverDetailLines(s, Date.now())) context.out(line);
  }
  for (const problem of problems) context.out(`problem: ${problem}`);
  return 0;
}

/**
 * Re-approves, or refuses, the new definition of a tool held back because its MCP server changed it. Beside a running
 * Portcullis the decision is made there (offered, or kept back, at once; no second copy of its server).
 */
async function decide(context: CommandContext, decision: 'approve' | 'reject', rest: string[]): Promise<number> {
  const [name] = rest;
  if (!name || rest.length > 1) throw new CliUsageError(`Name the one changed tool to ${decision}, e.g. portcullis tools ${decision} memory.read_graph.`);
  if (isToolGlob(name)) {
    if (decision === 'reject') throw new CliUsageError(`Name the one tool to reject, e.g. portcullis tools reject memory.read_graph: a glob approves together, and only tools held because their pins were lost.`);
    return approveTogether(context, name);
  }
  const hash = context.values.hash;
  // The definition approved is the one the person saw: named by its hash, never whatever waits at this instant.
  if (decision === 'approve' && (typeof hash !== 'string' || !/^[0-9a-fA-F]{16,64}$/.test(hash))) {
    throw new CliUsageError(`Name the definition of ${name} you approve with --hash: \`portcullis tools list\` shows it below the change, with the whole command (portcullis tools approve ${name} --hash …).`);
  }
  const print = (ok: boolean): number => {
    if (context.values.json) context.out(JSON.stringify({ tool: name, [decision === 'approve' ? 'approved' : 'rejected']: ok }));
    else if (!ok) context.out(`${name} has no changed or new definition waiting for a decision.`);
    else context.out(decision === 'approve' ? `${name}: the new definition is approved and the tool is offered again.` : `${name}: the new definition is rejected; the tool stays held back.`);
    return ok ? 0 : 1;
  };
  const what = 'the decision is its own and holds there at once';
  // Alone no server is started: the definition decided on is the one tool-pins.json holds as waiting, the one
  // `tools list` or the app showed, not one the server would offer this instant (unseen). A Portcullis running on
  // the folder without a way in takes the file up as it changes.
  if (decision === 'approve') {
    return throughRunningOrOwn(context, { channel: 'tools.approveChange', input: { name, hash: String(hash) }, what, servers: [] }, async (ask) => print((await ask()).approved));
  }
  return throughRunningOrOwn(context, { channel: 'tools.rejectChange', input: { name }, what, servers: [] }, async (ask) => print((await ask()).rejected));
}

/**
 * `tools approve 'server.*'` (approve-held.ts): the catalog it reviews and the approvals it makes are those of the
 * Portcullis running on the folder when it serves a way in, else of this command's own runtime, every server started
 * (a held tool is listed only by its running server).
 */
function approveTogether(context: CommandContext, pattern: string): Promise<number> {
  const beside = besideRunningPortcullis(context.values['data-dir']);
  if (beside.kind === 'reachable') {
    noteThrough(context, beside.api, 'the tools reviewed and approved are its own, and approved there at once');
    const { api } = beside;
    return approveHeldTools(context, pattern, {
      catalog: () => api.call<ToolCatalog>('tools.catalog', {}),
      approve: async (name, hash) => (await api.call<RequestOutput<'tools.approveChange'>>('tools.approveChange', { name, hash })).approved,
    });
  }
  return withRuntime(context, 'none', (runtime) =>
    approveHeldTools(context, pattern, {
      catalog: () => runtime.handlers['tools.catalog']({}),
      approve: async (name, hash) => (await runtime.handlers['tools.approveChange']({ name, hash })).approved,
    }),
  );
}

/**
 * Lists other apps' MCP servers, or adds one app's to mcp.json. Fails (1) when it was asked to add and added nothing.
 * Beside a running Portcullis it is that one's import: it starts the servers added at once.
 */
async function importServers(context: CommandContext, rest: string[]): Promise<number> {
  const [app, ...extra] = rest;
  const source = app === undefined ? undefined : OtherAppIdSchema.safeParse(app);
  if (extra.length > 0 || (source && !source.success)) throw new CliUsageError(`Name one app to import from: ${OtherAppIdSchema.options.join(', ')}.`);
  if (!source?.success) {
    return throughRunningOrOwn(context, { channel: 'tools.importSources', input: {}, what: 'the apps and servers it finds', servers: [] }, async (ask) => {
      const { sources } = await ask();
      if (context.values.json) context.out(JSON.stringify({ sources }));
      else if (sources.length === 0) context.out('No other app on this machine has MCP servers set up.');
      for (const s of context.values.json ? [] : sources) {
        const already = s.alreadyAdded.length > 0 ? `; already in mcp.json: ${s.alreadyAdded.join(', ')}` : '';
        context.out(`${s.id}  ${s.app} (${s.file}): ${s.servers.length > 0 ? s.servers.join(', ') : 'nothing new'}${already}`);
        for (const problem of s.problems) context.out(`    ${problem}`);
      }
      return 0;
    });
  }
  return throughRunningOrOwn(context, { channel: 'tools.importServers', input: { source: source.data }, what: 'it adds the servers to its mcp.json and starts them', servers: [] }, async (ask) => {
    const result = await ask();
    if (context.values.json) context.out(JSON.stringify(result));
    else {
      context.out(result.added.length > 0 ? `Added to mcp.json: ${result.added.join(', ')}.` : 'Nothing was added.');
      if (result.movedToKeychain.length > 0) context.out(`Moved to the OS keychain: ${result.movedToKeychain.join(', ')}.`);
      for (const why of result.skipped) context.out(`Left out: ${why}`);
    }
    return result.added.length > 0 ? 0 : 1;
  });
}

async function call(context: CommandContext, rest: string[]): Promise<number> {
  const [name, ...extra] = rest;
  if (!name || extra.length > 0) throw new CliUsageError('Name exactly one tool, e.g. portcullis tools call fs.list --args \'{"path":"."}\'.');
  const args = jsonArgs(context, '{"path":"."}');
  // A tool takes named arguments: a list or a lone value is the command's mistake, said before anything is called
  // or recorded (as policy explain says it).
  if (typeof args !== 'object' || args === null || Array.isArray(args)) throw new CliUsageError(`--args must be a JSON object, e.g. '{"path":"."}', not ${context.values.args}.`);
  const approve = parseApproveOption(context.values.approve);
  const beside = besideRunningPortcullis(context.values['data-dir']);
  if (beside.kind === 'reachable') return callThrough(context, beside.api, name, args as Record<string, unknown>, approve);
  if (approve === 'ask') {
    throw new CliUsageError(beside.kind === 'unreachable'
      ? `--approve ask waits for the answer in the running Portcullis${beside.pid ? ` (pid ${beside.pid})` : ''}, but ${beside.why}. Ask in its window by starting the call there, or use --approve none.`
      : 'No Portcullis is running on this data folder to ask in: --approve ask waits for the answer in its window. Start it (portcullis serve, or the desktop app), or use --approve none, all or a list of tools.');
  }
  const run = async (runtime: Runtime): Promise<number> => {
    const called = await runtime.callTool(name, args);
    // Masked as the stored call, its trace and the local API's answer are: a terminal's output is often kept (logs, CI).
    const masked = runtime.redactor.redactValue(called);
    const { record, traceId } = masked;
    // The same outcome a script gets from the local API's tools.call.
    if (context.values.json) context.out(JSON.stringify(directCallOutcome(masked)));
    else {
      // No decision: the call stopped before the policy (no such tool, its server down, its arguments wrong).
      for (const line of callOutcomeLines({ tool: record.toolName, decision: record.decision, status: record.status, error: record.error, result: record.result })) context.out(line);
      context.out(`(trace ${traceId})`);
    }
    return record.status === 'succeeded' ? 0 : 1;
  };
  // Only the server the name points at is started (a copy of every server beside a running app may fail on a lock
  // or a port); a name none of those accounts for is looked for among every server's tools, as `tools list` shows
  // them, and when still unknown is answered without a call: a typo leaves no conversation or trace behind.
  const known = (runtime: Runtime): boolean => runtime.listTools().some((tool) => tool.name === name) || runtime.mcp.whyAbsent(name) !== undefined;
  const called = await withRuntime(context, approve, async (runtime) => (known(runtime) ? run(runtime) : undefined), serversOfTool(name));
  if (called !== undefined) return called;
  return withRuntime(context, approve, async (runtime) => (known(runtime) ? run(runtime) : unknownTool(context, name, runtime.listTools().map((tool) => tool.name))));
}

/**
 * The call made by the Portcullis running on the folder: its servers, its records and trace, its approval (asked in
 * its window with --approve ask, denied without asking with none). A command never approves there: --approve all
 * would approve in the person's place, in the app they are using.
 */
async function callThrough(context: CommandContext, api: RunningApi, name: string, args: Record<string, unknown>, approve: ApproveOption): Promise<number> {
  if (approve !== 'none' && approve !== 'ask') throw new CliUsageError(approvesInPersonsPlace(api, 'this call goes through it', approve));
  noteThrough(context, api, approve === 'ask' ? 'the call is its own, and an approval it needs is asked in its window' : 'the call is its own');
  const outcome = await api.call<DirectCallOutcome>('tools.call', { name, arguments: args, ifAsked: approve === 'ask' ? 'wait' : 'deny' });
  if (context.values.json) context.out(JSON.stringify(outcome));
  else {
    for (const line of callOutcomeLines(outcome)) context.out(line);
    context.out(outcome.traceId ? `(trace ${outcome.traceId})` : '(nothing was called or recorded)');
  }
  return outcome.status === 'succeeded' ? 0 : 1;
}

/** A name no tool has, built-in or MCP: said as the gateway says it, with nothing recorded (no trace, no conversation). */
function unknownTool(context: CommandContext, name: string, known: readonly string[]): number {
  const outcome = unknownToolOutcome(name, known);
  if (context.values.json) context.out(JSON.stringify(outcome));
  else context.out(`[${name}] not judged → failed: ${outcome.error?.message ?? ''}\n(nothing was called or recorded)`);
  return 1;
}

/** `--args` as JSON ({} when absent); `example` shows the shape in the error. */
export function jsonArgs(context: CommandContext, example: string): unknown {
  if (context.values.args === undefined) return {};
  let args: unknown;
  try {
    args = JSON.parse(context.values.args);
  } catch (error) {
    throw new CliUsageError(`--args must be JSON, e.g. '${example}' (${(error as Error).message}).`);
  }
  // Nested thousands deep, they overflowed the stack where the call is written down (a RangeError and its stack).
  if (nestsDeeperThan(args, MAX_ARGUMENT_DEPTH)) throw new CliUsageError(`--args must not nest objects and arrays more than ${MAX_ARGUMENT_DEPTH} levels deep.`);
  return args;
}
