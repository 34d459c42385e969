import { counted } from '../shared/counted';
import type { McpServerStatusInfo, SandboxGrants, UnwritableFolder } from '../shared/domain/tool-catalog';
import { hiddenSecrets } from '../shared/hidden-secrets';
import { waitingForDomains } from '../shared/waiting-for-domains';

/** Where a read grant came from, in the words of the Tools & servers page. */
const READ_BECAUSE: Partial<Record<string, string>> = { allowRead: 'its allowRead', arguments: 'named in its arguments', environment: 'named in its env' };

/** A server's state as its row says it: a failed start waiting for the person's decision on a host is not "failed". */
export function serverStateWords(server: McpServerStatusInfo): string {
  const waitingFor = waitingForDomains(server);
  return waitingFor.length > 0 ? `waiting for your decision on ${waitingFor.join(', ')}` : server.state;
}

/**
 * What `tools list` prints under a server's line, as its row on the Tools & servers page says it: what its sandbox
 * lets it read, write and reach (or why it runs outside one), the hosts it refused and the folders it may not write
 * with how to grant them, its sandbox's note, another app's approval fields left unused, where to sign in, when its
 * breaker lets a call through, and a failed server's last output and next restart (and, while it starts again, why it
 * failed). `now` (epoch ms) says how far off a restart or the breaker's retry is.
 */
export function serverDetailLines(server: McpServerStatusInfo, now: number): string[] {
  const lines: string[] = [];
  // Tried again after failing: why it failed last time, which its state line no longer says.
  if (server.state === 'starting' && server.previousError) lines.push(`  starting again; its last start failed: ${server.previousError}`);
  // Running again after failing: its state line says "connected" for a server that crashes soon after each start.
  if (server.state === 'connected' && server.lastFailure) {
    lines.push(`  ${server.transport === 'stdio' ? 'restarted' : 'tried again'} ${counted(server.restarts, 'time')} after failing; the last time: ${server.lastFailure}`);
  }
  if (server.signInUrl) lines.push(`  sign in to ${server.name} in your browser: ${server.signInUrl} (it connects once you are back)`);
  const breaker = breakerLine(server, now);
  if (breaker) lines.push(breaker);
  const grants = server.sandboxGrants;
  if (grants) lines.push(...grantLines(grants));
  else if (server.sandboxed === false && server.sandboxNote) lines.push(`  NOT sandboxed: ${server.sandboxNote}`);
  if (server.refusedHosts.length > 0) {
    const allow = server.refusedHosts.map((host) => `"Allow ${host}"`).join(', ');
    lines.push(`  its sandbox refused to let it reach: ${server.refusedHosts.join(', ')}: ${allow} on the Tools & servers page allows it, or "sandbox": { "allowedDomains": [...] } of ${server.name} in mcp.json.`);
  }
  // The row's "Keep it stopped", from here.
  if (waitingForDomains(server).length > 0) lines.push(`  to keep it stopped: portcullis tools keep-stopped ${server.name}`);
  for (const folder of server.unwritableFolders) lines.push(`  ${unwritableLine(server.name, folder)}`);
  // A sandboxed server's note (an allowWrite that gives nothing, a process limit this machine cannot apply…): the row
  // says it below its grants; an unsandboxed one's is its "NOT sandboxed" line above.
  if (server.sandboxed !== false && server.sandboxNote) lines.push(`  ${server.sandboxNote}`);
  for (const note of server.ignoredApprovals) lines.push(`  ${note}`);
  if (server.state === 'failed') {
    // Its last three lines that say something (a Node stack trace ends "}", "", "Node.js v24…"), unless the error
    // already quotes all it says ("it exited with code 1 after writing …").
    const output = server.stderrTail.split('\n').map((line) => line.trim()).filter((line) => line !== '').slice(-3);
    if (output.some((line) => !server.error?.includes(line))) lines.push(`  its last output: ${output.join(' | ')}`);
    if (server.nextRestartAt !== null) {
      const next = server.transport === 'stdio' ? 'restarts' : 'reconnects';
      const tried = server.restarts > 0 ? ` (${server.transport === 'stdio' ? 'restarted' : 'tried again'} ${counted(server.restarts, 'time')} so far)` : '';
      lines.push(`  ${next} in ${Math.max(0, Math.ceil((server.nextRestartAt - now) / 1000))} s${tried}`);
    }
  }
  return lines;
}

/** What its sandbox lets it read, write and reach, its limits, the secret files hidden from it and its SSH agent. */
function grantLines(grants: SandboxGrants): string[] {
  const named = grants.readable.filter((g) => READ_BECAUSE[g.from]).map((g) => `${g.path} (${READ_BECAUSE[g.from]})`);
  const home = grants.home === 'private' ? [] : ['your home folder but credentials'];
  const reads = ['the system', 'the workspace', ...home, ...named].join(', ');
  const writes = `${grants.writable.length > 0 ? grants.writable.join(', ') : 'nothing of yours'}${grants.packageCache ? ' (and its package cache)' : ''}`;
  const network = grants.domains.length > 0 ? grants.domains.join(', ') : 'none';
  const limits = [grants.memoryMb !== null && `${grants.memoryMb} MB of memory`, grants.cpuSeconds !== null && `${grants.cpuSeconds} s of CPU`, grants.maxProcesses !== null && `${grants.maxProcesses} processes`].filter(Boolean);
  const lines = [`  sandbox: reads ${reads}; writes ${writes}; network ${network}; limits ${limits.length > 0 ? limits.join(', ') : 'none can be applied on this machine'}`];
  const secrets = hiddenSecrets(grants);
  if (secrets) {
    const shown = secrets.hidden.length > 5 ? [...secrets.hidden.slice(0, 5), `and ${secrets.hidden.length - 5} more`] : secrets.hidden;
    const which = shown.length > 0 ? `${secrets.summary} (${shown.join(', ')})` : "none of the workspace's secret files";
    const given = secrets.allowed.length > 0 ? `; it reads ${secrets.allowed.join(', ')} (its allowRead)` : '';
    lines.push(`  hidden from it: ${which}${given}, as they were when it started`);
  }
  if (grants.sshAgent) lines.push('  SSH agent: yours: it may ask it to sign with your keys (its "sshAgent": true in mcp.json)');
  return lines;
}

/** Its circuit breaker while it holds calls back, as the row's note says it; nothing while calls go through. */
function breakerLine({ breaker, breakerRetryAt }: McpServerStatusInfo, now: number): string | null {
  if (breaker === 'closed') return null;
  const remaining = (breakerRetryAt ?? 0) - now;
  return `  calls paused after failing in a row: ${breaker === 'open' && remaining > 0 ? `the next call goes through in ${Math.ceil(remaining / 1000)} s` : 'the next call tries it again'}`;
}

function unwritableLine(server: string, { folder, seen, environment, notOffered }: UnwritableFolder): string {
  if (environment?.problem) return `its env's ${environment.variable} names ${environment.path}, but ${environment.problem}. ${notOffered ?? ''}`.trim();
  const why = seen === 'refused' ? 'a write there was refused' : seen === 'named' ? 'named in its arguments' : `its env's ${environment?.variable ?? 'variable'} names ${environment?.path ?? 'a file there'}`;
  const grant = notOffered ?? `"Allow ${server} to write ${folder}" on the Tools & servers page grants it, or "sandbox": { "allowWrite": [...] } of ${server} in mcp.json.`;
  return `may not write ${folder} (${why}): ${grant}`;
}
