import { useState, type RefObject } from 'react';
import type { ToolInfo } from '../../../shared/domain/tool-catalog';
import { McpConfigEditor } from './McpConfigEditor';
import { ServerRow } from './ServerRow';
import { useToolCatalog } from './useToolCatalog';

export interface ToolsPageProps {
  onClose: () => void;
  headingRef: RefObject<HTMLHeadingElement | null>;
  /** Puts a call of a tool in the message box, to fill in and send. */
  onUseInChat: (text: string) => void;
}


function kind(tool: ToolInfo): string {
  if (tool.annotations.readOnlyHint) return 'read-only';
  return tool.annotations.destructiveHint ? 'destructive' : 'can change things';
}

type Change = NonNullable<ToolInfo['change']>;

/** What a held-back tool was when approved and what its server offers now: the description, and the schema if it moved. */
function DefinitionChange({ change }: { change: Change }) {
  const before = JSON.stringify(change.approved.inputSchema, null, 2);
  const after = JSON.stringify(change.offered.inputSchema, null, 2);
  return (
    <dl className="definition-change">
      {change.approved.description !== change.offered.description && (
        <>
          <dt>Approved description</dt>
          <dd>
            <q>{change.approved.description}</q>
          </dd>
          <dt>Description now</dt>
          <dd>
            <q>{change.offered.description}</q>
          </dd>
        </>
      )}
      {before !== after && (
        <>
          <dt>Approved input schema</dt>
          <dd>
            <pre>{before}</pre>
          </dd>
          <dt>Input schema now</dt>
          <dd>
            <pre>{after}</pre>
          </dd>
        </>
      )}
    </dl>
  );
}

/** Tools & servers: each MCP server's state (with its error), sandbox and breaker, mcp.json to edit, and every tool with its pin. */
export function ToolsPage({ onClose, headingRef, onUseInChat }: ToolsPageProps) {
  const { catalog, error, approveChange, controlServer, refresh } = useToolCatalog();
  const [configVersion, setConfigVersion] = useState(0);
  const held = catalog?.tools.filter((t) => t.pinState === 'changed') ?? [];
  return (
    <aside className="trace-panel tools-page" aria-label="Tools and servers" data-testid="tools-page">
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
        <section aria-label="Changed tools">
          <h3>Changed since you approved them</h3>
          {held.map((tool) => (
            <div key={tool.name} className="tool-held" data-testid={`held-${tool.name}`}>
              <p>
                <strong>{tool.name}</strong> changed its definition and is held back.
              </p>
              {tool.change ? <DefinitionChange change={tool.change} /> : <p>Now: <q>{tool.description}</q></p>}
              <button type="button" onClick={() => void approveChange(tool.name)}>
                Approve the new definition
              </button>
            </div>
          ))}
        </section>
      )}
      <section aria-label="MCP servers">
        <h3>MCP servers</h3>
        {catalog && catalog.servers.length === 0 && <p className="muted">No MCP servers yet: add them below.</p>}
        <ul className="server-list">
          {catalog?.servers.map((server) => (
            <ServerRow
              key={server.name}
              server={server}
              onControl={(action) => void controlServer(server.name, action).then(() => (action === 'enable' || action === 'disable') && setConfigVersion((v) => v + 1))}
            />
          ))}
        </ul>
      </section>
      <McpConfigEditor onSaved={refresh} fileVersion={configVersion} />
      <section aria-label="Tools">
        <h3>Tools</h3>
        <ul className="tool-list">
          {catalog?.tools
            .filter((t) => t.pinState !== 'changed')
            .map((tool) => (
              <li key={tool.name}>
                <code>{tool.name}</code> <span className="muted">({tool.server ?? 'built-in'}, {kind(tool)})</span>{' '}
                <button type="button" className="link-button" onClick={() => onUseInChat(tool.callExample)} aria-label={`Use ${tool.name} in chat`} title={tool.description}>
                  Use in chat
                </button>
              </li>
            ))}
        </ul>
      </section>
    </aside>
  );
}
