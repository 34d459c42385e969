import { counted } from '../shared/counted';
import type { McpServerStatusInfo, UnwritableFolder } from '../shared/domain/tool-catalog';

/** Where a read grant came from, in the words of the Tools & servers page. */
const READ_BECAUSE: Partial<Record<string, string>> = { allowRead: 'its allowRead', arguments: 'named in its arguments', environment: 'named in its env' };

/**
 * What `tools list` prints under a server's line, as its row on the Tools & servers page says it: what its sandbox
 * lets it read, write and reach (or why it runs outside one), the hosts it refused and the folders it may not write
 * with how to grant them, its sandbox's note, another app's approval fields left unused, and a failed server's last
 * output and next restart (and, while it starts again, why it failed). `now` (epoch ms) says how far off that restart is.
 */
export function serverDetailLines(server: McpServerStatusInfo, now: number): string[] {
  const lines: string[] = [];
  // Tried again after failing: why it failed last time, which its state line no longer says.
  if (server.state === 'starting' && server.previousError) lines.push(`  starting again; its last start failed: ${server.previousError}`);
  const grants = server.sandboxGrants;
  if (grants) {
    const named = grants.readable.filter((g) => READ_BECAUSE[g.from]).map((g) => `${g.path} (${READ_BECAUSE[g.from]})`);
    const home = grants.home === 'private' ? [] : ['your home folder but credentials'];
    const reads = ['the system', 'the workspace', ...home, ...named].join(', ');
    const writes = grants.writable.length > 0 ? grants.writable.join(', ') : 'nothing of yours';
    const network = grants.domains.length > 0 ? grants.domains.join(', ') : 'none';
    lines.push(`  sandbox: reads ${reads}; writes ${writes}; network ${network}`);
  } else if (server.sandboxed === false && server.sandboxNote) {
    lines.push(`  NOT sandboxed: ${server.sandboxNote}`);
  }
  if (server.refusedHosts.length > 0) {
    const allow = server.refusedHosts.map((host) => `"Allow ${host}"`).join(', ');
    lines.push(`  its sandbox refused to let it reach: ${server.refusedHosts.join(', ')}: ${allow} on the Tools & servers page allows it, or "sandbox": { "allowedDomains": [...] } of ${server.name} in mcp.json.`);
  }
  for (const folder of server.unwritableFolders) lines.push(`  ${unwritableLine(server.name, folder)}`);
  // A sandboxed server's note (an allowWrite that gives nothing, a process limit this machine cannot apply…): the row
  // says it below its grants; an unsandboxed one's is its "NOT sandboxed" line above.
  if (server.sandboxed !== false && server.sandboxNote) lines.push(`  ${server.sandboxNote}`);
  for (const note of server.ignoredApprovals) lines.push(`  ${note}`);
  if (server.state === 'failed') {
    const output = server.stderrTail.trim().split('\n').slice(-3).map((line) => line.trim());
    // The error already quotes a one-line output ("it exited with code 1 after writing …").
    if (output[0] && !(output.length === 1 && server.error?.includes(output[0]))) lines.push(`  its last output: ${output.join(' | ')}`);
    if (server.nextRestartAt !== null) {
      const next = server.transport === 'stdio' ? 'restarts' : 'reconnects';
      const tried = server.restarts > 0 ? ` (${server.transport === 'stdio' ? 'restarted' : 'tried again'} ${counted(server.restarts, 'time')} so far)` : '';
      lines.push(`  ${next} in ${Math.max(0, Math.ceil((server.nextRestartAt - now) / 1000))} s${tried}`);
    }
  }
  return lines;
}

function unwritableLine(server: string, { folder, seen, environment, notOffered }: UnwritableFolder): string {
  if (environment?.problem) return `its env's ${environment.variable} names ${environment.path}, but ${environment.problem}. ${notOffered ?? ''}`.trim();
  const why = seen === 'refused' ? 'a write there was refused' : seen === 'named' ? 'named in its arguments' : `its env's ${environment?.variable ?? 'variable'} names ${environment?.path ?? 'a file there'}`;
  const grant = notOffered ?? `"Allow ${server} to write ${folder}" on the Tools & servers page grants it, or "sandbox": { "allowWrite": [...] } of ${server} in mcp.json.`;
  return `may not write ${folder} (${why}): ${grant}`;
}
