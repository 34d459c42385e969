import { useState, type RefObject } from 'react';
import type { ToolInfo } from '../../../shared/domain/tool-catalog';
import { isHeldBack } from '../../../shared/held-tools-approval';
import { describeAnnotations } from '../../lib/annotations';
import { escapeCloses } from '../../lib/escape-closes';
import { LineDiff } from '../../lib/LineDiff';
import { GrantHistory } from './GrantHistory';
import { ImportServers } from './ImportServers';
import { McpConfigEditor } from './McpConfigEditor';
import { ServerRow } from './ServerRow';
import { ToolList } from './ToolList';
import { useToolCatalog } from './useToolCatalog';
import { WebAccess } from './WebAccess';
import type { WebAccessDraft } from './web-access-opener';

export interface ToolsPageProps {
  onClose: () => void;
  headingRef: RefObject<HTMLHeadingElement | null>;
  /** Puts a call of a tool in the message box, to fill in and send. */
  onUseInChat: (text: string) => void;
  /** A domain a refused fetch's card offered: typed into Web access, which takes the focus. */
  webAccessDraft?: WebAccessDraft | null;
}


type Definition = NonNullable<ToolInfo['change']>['offered'];

/**
 * A definition as the person reads it, so that two of them diff line by line. What it says it does (its
 * annotations) is part of it: a tool that turns itself "read-only" would run without asking.
 */
function definitionText({ description, inputSchema, annotations }: Definition): string {
  const says = annotations ? `It says it is: ${describeAnnotations(annotations)}${annotations.title ? `; titled "${annotations.title}"` : ''}\n\n` : '';
  return `${description}\n\n${says}Input schema:\n${JSON.stringify(inputSchema, null, 2)}`;
}

/**
 * A tool held back because its server changed it (what changed, as a diff against what the person approved), or
 * added it after the person approved its tools (what it says it is, whole).
 */
function HeldTool({ tool, onDecide }: { tool: ToolInfo; onDecide: (decision: 'approve' | 'reject') => void }) {
  const { change } = tool;
  const added = tool.pinState === 'new';
  // Only a definition shown here, by its hash, can be approved (one with none has nothing waiting in the pins).
  const approve = change?.hash ? (
    <button type="button" onClick={() => onDecide('approve')}>
      {added ? 'Approve the new tool' : 'Approve the new definition'}
    </button>
  ) : null;
  const diff = change?.approved ? (
    <LineDiff before={definitionText(change.approved)} after={definitionText(change.offered)} testId={`held-diff-${tool.name}`} />
  ) : change ? (
    // Reachable by keyboard: a long definition scrolls.
    <pre className="tool-held-definition" data-testid={`held-definition-${tool.name}`} tabIndex={0} aria-label={`What ${tool.name} says it is`}>
      {definitionText(change.offered)}
    </pre>
  ) : (
    <p>
      Now: <q>{tool.description}</q>
    </p>
  );
  if (change?.rejected) {
    return (
      <details className="tool-held" data-testid={`held-${tool.name}`}>
        <summary>
          <strong>{tool.name}</strong>: {added ? 'you rejected this tool its server added' : 'you rejected its new definition'}; it stays held back.
        </summary>
        {diff}
        {approve}
      </details>
    );
  }
  return (
    <div className="tool-held" data-testid={`held-${tool.name}`}>
      <p>
        <strong>{tool.name}</strong>{' '}
        {added && change?.pinsLost
          ? 'is held back until you approve it: the record of the tools you approved was lost (said above), so none is trusted again unseen. What it says it is:'
          : added
          ? `is new: the ${tool.server ?? ''} server added it after you approved its tools, so it is held back until you approve it. What it says it is:`
          : 'changed its definition and is held back. Changes since you approved it:'}
      </p>
      {diff}
      <div className="server-actions">
        {approve}
        <button type="button" onClick={() => onDecide('reject')}>
          Reject: keep it held back
        </button>
      </div>
    </div>
  );
}

/** Tools & servers: each MCP server's state (with its error), sandbox and breaker, mcp.json to edit, and every tool with its pin. */
export function ToolsPage({ onClose, headingRef, onUseInChat, webAccessDraft = null }: ToolsPageProps) {
  const { catalog, error, decideChange, approveTogether, controlServer, allowDomain, allowWrite, setToolEnabled, refresh, fileVersion, fileChanged } = useToolCatalog();
  /** Bumped when the editor saved it. */
  const [saves, setSaves] = useState(0);
  const held = catalog?.tools.filter(isHeldBack) ?? [];
  return (
    <aside className="trace-panel tools-page" aria-label="Tools and servers" data-testid="tools-page" {...escapeCloses(onClose)}>
      <div className="trace-header">
        <h2 ref={headingRef} tabIndex={-1}>
          Tools &amp; servers
        </h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close tools and servers">
          ×
        </button>
      </div>
      {error && (
        <p className="trace-error" role="alert">
          {error}
        </p>
      )}
      {catalog?.problems.map((problem) => (
        <p key={problem} className="trace-error" role="alert">
          {problem}
        </p>
      ))}
      {held.length > 0 && (
        <section aria-label="Changed or added tools">
          <h3>Changed or added since you approved them</h3>
          {held.map((tool) => (
            <HeldTool key={tool.name} tool={tool} onDecide={(decision) => void decideChange(tool.name, decision, tool.change?.hash ?? '')} />
          ))}
        </section>
      )}
      <section aria-label="MCP servers">
        <h3>MCP servers</h3>
        {catalog && catalog.servers.length === 0 && (
          <p className="muted" data-testid="no-servers">
            {/* A file that cannot be read starts none of its servers: it has some, and the fix is in that file. The
                others' problems (http-fetch.json, the pin file) say nothing of the servers. */}
            {catalog.problems.some((problem) => /mcp\.json|^MCP server/.test(problem)) ? 'None started: mcp.json has the problem said above. Fix it in Edit mcp.json below.' : 'No MCP servers yet: add them below.'}
          </p>
        )}
        <ul className="server-list">
          {catalog?.servers.map((server) => (
            <ServerRow
              key={server.name}
              server={server}
              held={held.filter((tool) => tool.server === server.name)}
              onControl={(action) => void controlServer(server.name, action)}
              onApproveTogether={(tools) => void approveTogether(server.name, tools)}
              onAllowDomain={(domain) => void allowDomain(server.name, domain)}
              onAllowWrite={(folder) => void allowWrite(server.name, folder)}
            />
          ))}
        </ul>
      </section>
      {/* Right below the servers, where "No MCP servers yet: add them below" points: adding them comes first. */}
      <ImportServers onImported={fileChanged} fileVersion={fileVersion + saves} />
      <McpConfigEditor
        onSaved={() => {
          refresh();
          setSaves((n) => n + 1);
        }}
        fileVersion={fileVersion}
      />
      <WebAccess refreshedAt={catalog} draft={webAccessDraft} />
      <GrantHistory refreshedAt={catalog} />
      {catalog && (
        <ToolList
          tools={catalog.tools.filter((t) => !isHeldBack(t))}
          serverOrder={catalog.servers.map((server) => server.name)}
          onUseInChat={onUseInChat}
          onSetEnabled={(name, enabled) => void setToolEnabled(name, enabled)}
        />
      )}
    </aside>
  );
}
