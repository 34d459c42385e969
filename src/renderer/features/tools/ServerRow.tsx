import { useRef } from 'react';
import { counted } from '../../../shared/counted';
import type { McpServerStatusInfo, SandboxGrants, ToolInfo } from '../../../shared/domain/tool-catalog';
import type { ApprovedTogether } from '../../../shared/held-tools-approval';
import { useNow } from '../../lib/use-now';
import { ApproveHeldTools } from './ApproveHeldTools';
import { hiddenSecrets } from '../../../shared/hidden-secrets';
import { waitingForDomains } from '../../../shared/waiting-for-domains';
import { readPlaces } from './read-grant-words';
import { retryWords } from './retry-words';
import { serverFacts } from './server-facts';

export type ServerAction = 'restart' | 'enable' | 'disable' | 'signOut' | 'decline';

/** What each action does, as a sentence says it: "Could not turn off everything." */
export const ACTION_WORDS: Record<ServerAction, string> = { restart: 'restart', enable: 'turn on', disable: 'turn off', signOut: 'sign out of', decline: 'keep stopped' };

const listed = (items: readonly string[]) => items.map((item, index) => (
  <span key={item}>
    {index > 0 && ', '}
    <code>{item}</code>
  </span>
));

/** What a sandboxed server may read, write and reach, in a few lines: the person reads its whole reach at a glance. */
function Grants({ server, grants }: { server: string; grants: SandboxGrants }) {
  const limits = [
    grants.memoryMb !== null && `${grants.memoryMb} MB of memory`,
    grants.cpuSeconds !== null && `${grants.cpuSeconds} s of CPU`,
    grants.maxProcesses !== null && `${grants.maxProcesses} processes`,
  ].filter((limit): limit is string => limit !== false);
  const reads = readPlaces(grants);
  const secrets = hiddenSecrets(grants);
  return (
    <dl className="facts" aria-label={`What ${server} may do`}>
      <dt>Reads</dt>
      <dd data-testid={`reads-${server}`}>
        {reads.wholeHome ? (
          <>
            the system and your whole home folder but credentials: {reads.wholeHome}
          </>
        ) : (
          <>
            the system, the workspace{reads.writes && ', what it may write'}
            {reads.named.map(({ path, because }) => (
              <span key={path}>
                , <code>{path}</code> <span className="muted">({because})</span>
              </span>
            ))}
            {reads.runtimes.length > 0 && (
              <details>
                <summary>and where its runtimes live ({reads.runtimes.length})</summary>
                {listed(reads.runtimes)}
              </details>
            )}
            {/* A line of its own: run on after the list it read "the system, the workspace Nothing else of …". */}
            <span className="muted facts-note"> Nothing else of your home folder: add a folder to its &quot;allowRead&quot; in mcp.json, or &quot;readHome&quot;: true for all of it but credentials.</span>
          </>
        )}
      </dd>
      {secrets && (
        <>
          <dt>Hidden from it</dt>
          <dd data-testid={`hidden-secrets-${server}`}>
            {secrets.hidden.length > 0 ? (
              <details>
                <summary>{secrets.summary}</summary>
                {listed(secrets.hidden)}
              </details>
            ) : (
              "none of the workspace's secret files"
            )}
            {secrets.allowed.length > 0 && (
              <span>
                ; it reads {listed(secrets.allowed)} <span className="muted">(its allowRead)</span>
              </span>
            )}
            <span className="muted">
              {' '}
              What your policy calls secret files (<code>deny.secrets</code>: .env, keys…), as they were when it started: one made since is readable to it until it restarts. To let it read one, name the file in its &quot;allowRead&quot; in mcp.json.
            </span>
          </dd>
        </>
      )}
      <dt>Writes</dt>
      <dd>
        {grants.writable.length > 0 ? listed(grants.writable) : 'nothing of yours'}
        {grants.packageCache && <span className="muted"> (and its package cache)</span>}
      </dd>
      <dt>Network</dt>
      <dd>{grants.domains.length > 0 ? listed(grants.domains) : 'none'}</dd>
      {grants.sshAgent && (
        <>
          <dt>SSH agent</dt>
          <dd data-testid={`ssh-agent-${server}`}>
            yours: it may ask it to sign with your keys <span className="muted">(its &quot;sshAgent&quot;: true in mcp.json)</span>
          </dd>
        </>
      )}
      <dt>Limits</dt>
      <dd>{limits.length > 0 ? limits.join(', ') : 'none can be applied on this machine'}</dd>
    </dl>
  );
}

/**
 * When a failed server is started again, counting down, so the person can tell waiting from giving up. A remote
 * server is not restarted (it runs elsewhere): it is reconnected to.
 */
function RestartCountdown({ at, restarts, transport }: { at: number; restarts: number; transport: McpServerStatusInfo['transport'] }) {
  const remaining = at - useNow(1000);
  const words = retryWords(transport);
  const tried = restarts > 0 ? ` (${words.done} ${counted(restarts, 'time')} so far)` : '';
  return (
    <span data-testid="restart-countdown">
      {' '}· {remaining > 0 ? `${words.next} in ${Math.ceil(remaining / 1000)} s` : words.now}
      {tried}
    </span>
  );
}

/**
 * Its circuit breaker, said only when it holds calls back: after failed calls in a row, calls are refused at once
 * until the next one is let through to try the server again. Nothing is said while calls go through.
 */
function BreakerNote({ state, retryAt }: { state: McpServerStatusInfo['breaker']; retryAt: number | null }) {
  const remaining = (retryAt ?? 0) - useNow(1000);
  if (state === 'closed') return null;
  const next = state === 'open' && remaining > 0 ? `the next call goes through in ${Math.ceil(remaining / 1000)} s` : 'the next call tries it again';
  return (
    <p className="trace-error" data-testid="breaker-note">
      Calls paused after failing in a row: {next}.
    </p>
  );
}

/**
 * The folders a sandboxed server may read but not write that it tried to write in, that its arguments name, or that
 * hold a file its env names (its data file): each one click from being granted, or saying why it is not (the data
 * folder, home, a system or credentials folder…).
 */
function UnwritableFolders({ server, onAllowWrite }: { server: McpServerStatusInfo; onAllowWrite: (folder: string) => void }) {
  if (server.unwritableFolders.length === 0) return null;
  return (
    <ul className="unwritable-folders" aria-label={`Folders ${server.name} may not write`}>
      {server.unwritableFolders.map(({ folder, seen, notOffered, environment }) => (
        <li key={folder}>
          {seen === 'refused' ? (
            <>
              {server.name} was refused writing in <code>{folder}</code>.
            </>
          ) : seen === 'environment' && environment?.problem ? (
            <>
              Its env's {environment.variable} names <code>{environment.path}</code>, but {environment.problem}.
            </>
          ) : seen === 'environment' && environment ? (
            <>
              Its env's {environment.variable} names <code>{environment.path}</code>, which its sandbox does not let it write.
            </>
          ) : (
            <>
              Its arguments name <code>{folder}</code>, which its sandbox lets it read but not write.
            </>
          )}{' '}
          {notOffered ? (
            <span className="muted">{notOffered}</span>
          ) : (
            <button type="button" onClick={() => onAllowWrite(folder)}>
              Allow {server.name} to write {folder}
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}

/** One MCP server on the Tools & servers page: its state, what went wrong, its sandbox, and what can be done with it. */
export function ServerRow({
  server,
  held,
  onControl,
  onApproveTogether,
  onAllowDomain,
  onAllowWrite,
}: {
  server: McpServerStatusInfo;
  /** Its tools held back for a changed or added definition. */
  held: readonly ToolInfo[];
  onControl: (action: ServerAction) => void;
  /** Approves these of its held tools, each by the hash of the definition shown (after the person confirmed the list). */
  onApproveTogether: (tools: ApprovedTogether[]) => void;
  onAllowDomain: (domain: string) => void;
  onAllowWrite: (folder: string) => void;
}) {
  const lastOutput = server.stderrTail && (
    <pre className="muted server-output" aria-label={`Last output of ${server.name}`} tabIndex={0}>
      {server.stderrTail}
    </pre>
  );
  const facts = serverFacts(server, held.length);
  const waitingFor = waitingForDomains(server);
  // A grant's button goes away with what it granted, and the server restarts: the keyboard goes to the line that says
  // so ("Starting…", then what it may now do below it), not to the top of the page.
  const statusLine = useRef<HTMLSpanElement>(null);
  const thenStatus = (grant: (what: string) => void) => (what: string) => {
    grant(what);
    statusLine.current?.focus();
  };
  return (
    <li data-testid={`server-${server.name}`}>
      <span ref={statusLine} tabIndex={-1} data-testid={`server-status-${server.name}`}>
        <strong>{server.name}</strong> · {facts}
        {server.state === 'failed' && server.nextRestartAt !== null && <RestartCountdown at={server.nextRestartAt} restarts={server.restarts} transport={server.transport} />}
        {server.state === 'starting' && server.startingNote && <span className="muted" data-testid={`starting-note-${server.name}`}> · {server.startingNote}</span>}
      </span>
      <BreakerNote state={server.breaker} retryAt={server.breakerRetryAt} />
      {server.error && <p className="trace-error">{server.error}</p>}
      {/* Tried again after failing: what went wrong stays in sight, not only in the moments between two starts. */}
      {server.state === 'starting' && server.previousError && (
        <p className="trace-error" data-testid={`previous-error-${server.name}`}>
          Starting again; its last start failed: {server.previousError}
        </p>
      )}
      {/* Running again after failing: a server that crashes soon after each start would read as connected, said nothing of. */}
      {server.state === 'connected' && server.lastFailure && (
        <p className="field-warning" data-testid={`last-failure-${server.name}`}>
          {server.transport === 'stdio' ? 'Restarted' : 'Tried again'} {counted(server.restarts, 'time')} after failing; the last
          time: {server.lastFailure}
        </p>
      )}
      {/* A mistyped setting in mcp.json is not used: said where the person looks, with the field likely meant. */}
      {server.fieldWarnings.map((warning) => (
        <p key={warning} className="field-warning" data-testid="field-warning">
          {warning}
        </p>
      ))}
      {server.signInUrl && (
        <p>
          <a href={server.signInUrl} target="_blank" rel="noreferrer">
            Sign in to {server.name}
          </a>{' '}
          <span className="muted">in your browser; the server connects once you are back.</span>
        </p>
      )}
      {server.error || server.previousError
        ? lastOutput
        : lastOutput && (
            <details>
              <summary aria-label={`Last output of ${server.name}`}>Last output</summary>
              {lastOutput}
            </details>
          )}
      {server.instructions && (
        <details>
          {/* Named with the server, as Last output is: every server row has one. */}
          <summary aria-label={`Its instructions: ${server.name}`}>Its instructions</summary>
          <p className="muted">How the server says it should be used. The model is not given them: they are the server's words, not yours.</p>
          <pre className="server-instructions" aria-label={`Instructions of ${server.name}`} tabIndex={0}>
            {server.instructions}
          </pre>
        </details>
      )}
      {server.toolPrefix !== server.name && (
        <p className="muted">
          Its tools are named <code>{server.toolPrefix}.*</code>, so that they cannot be mistaken for the tools already named{' '}
          <code>{server.name}.*</code>.
        </p>
      )}
      {server.sandboxed && server.sandboxGrants && <Grants server={server.name} grants={server.sandboxGrants} />}
      {server.refusedHosts.length > 0 && (
        <div className="refused-hosts" data-testid={`refused-hosts-${server.name}`}>
          <p>
            {waitingFor.length > 0
              ? 'Its sandbox refused to let it reach these as it started, so it is not restarted until you decide: allow one and it starts again with the grant, or keep it stopped.'
              : 'Its sandbox refused to let it reach:'}
          </p>
          {server.refusedHosts.map((host) => (
            <button key={host} type="button" onClick={() => thenStatus(onAllowDomain)(host)} aria-label={`Allow ${host} for ${server.name}`}>
              Allow {host}
            </button>
          ))}
          {waitingFor.length > 0 && (
            <button type="button" onClick={() => thenStatus(() => onControl('decline'))(server.name)} aria-label={`Keep ${server.name} stopped, without ${waitingFor.join(', ')}`}>
              Keep it stopped
            </button>
          )}
        </div>
      )}
      <UnwritableFolders server={server} onAllowWrite={thenStatus(onAllowWrite)} />
      {server.sandboxNote && <p className="muted">{server.sandboxNote}</p>}
      {server.outputTrustNote && (
        <p className="muted" data-testid="output-trust-note">
          {server.outputTrustNote}
        </p>
      )}
      {server.ignoredApprovals.map((note) => (
        <p key={note} className="muted" data-testid="ignored-approvals">
          {note}
        </p>
      ))}
      <div className="server-actions">
        {server.enabled && (
          <button type="button" onClick={() => onControl('restart')} aria-label={`Restart ${server.name}`}>
            Restart
          </button>
        )}
        {server.signedIn && (
          <button type="button" onClick={() => onControl('signOut')} aria-label={`Sign out of ${server.name}`}>
            Sign out
          </button>
        )}
        <button type="button" onClick={() => onControl(server.enabled ? 'disable' : 'enable')} aria-label={`${server.enabled ? 'Turn off' : 'Turn on'} ${server.name}`}>
          {server.enabled ? 'Turn off' : 'Turn on'}
        </button>
        <ApproveHeldTools server={server.name} held={held} onApprove={onApproveTogether} />
      </div>
    </li>
  );
}
