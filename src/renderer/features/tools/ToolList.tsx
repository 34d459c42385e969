import { useId, useState } from 'react';
import { counted } from '../../../shared/counted';
import type { ToolInfo } from '../../../shared/domain/tool-catalog';
import { describeAnnotations } from '../../lib/annotations';

export interface ToolListProps {
  /** Every tool but the held-back ones, built-ins first. */
  tools: readonly ToolInfo[];
  /** The servers in the page's order, so that their groups follow it. */
  serverOrder: readonly string[];
  onUseInChat: (text: string) => void;
  onSetEnabled: (name: string, enabled: boolean) => void;
}

/** Every word typed is somewhere in the tool's name, server or description. */
function matches(tool: ToolInfo, words: readonly string[]): boolean {
  const text = `${tool.name} ${tool.server ?? 'built-in'} ${tool.description}`.toLowerCase();
  return words.every((word) => text.includes(word));
}

/** The tools of each source (built-in, then each server), in `serverOrder`. */
function groupsOf(tools: readonly ToolInfo[], serverOrder: readonly string[]): Array<{ server: string | null; tools: ToolInfo[] }> {
  const order = [null, ...serverOrder];
  const groups = new Map<string | null, ToolInfo[]>();
  for (const tool of tools) groups.set(tool.server, [...(groups.get(tool.server) ?? []), tool]);
  const rank = (server: string | null) => (order.includes(server) ? order.indexOf(server) : order.length);
  return [...groups].sort(([a], [b]) => rank(a) - rank(b)).map(([server, list]) => ({ server, tools: list }));
}

/** One tool: what it may do, what it is for, its arguments one click away, and what the person can do with it. */
function ToolRow({ tool, onUseInChat, onSetEnabled }: { tool: ToolInfo } & Pick<ToolListProps, 'onUseInChat' | 'onSetEnabled'>) {
  // A description the row cuts short (two lines at most) is there in full with the arguments.
  const long = tool.description.length > 160 || tool.description.includes('\n');
  return (
    <li data-testid={`tool-${tool.name}`} className={tool.turnedOff ? 'tool-row muted' : 'tool-row'}>
      <div className="tool-row-head">
        <code>{tool.name}</code>
        <span className="tool-row-actions">
          {!tool.turnedOff && (
            <button type="button" className="link-button" onClick={() => onUseInChat(tool.callExample)} aria-label={`Use in chat: ${tool.name}`}>
              Use in chat
            </button>
          )}
          {tool.server && (
            <button type="button" className="link-button" onClick={() => onSetEnabled(tool.name, tool.turnedOff)} aria-label={`${tool.turnedOff ? 'Turn on' : 'Turn off'} ${tool.name}`}>
              {tool.turnedOff ? 'Turn on' : 'Turn off'}
            </button>
          )}
        </span>
      </div>
      <div className="tool-facts muted" data-testid="tool-facts">
        {describeAnnotations(tool.annotations)}
        {tool.pinState === 'pinned' ? '; definition pinned' : ''}
        {tool.turnedOff ? '; turned off' : ''}
      </div>
      {tool.description && <p className="tool-description" data-testid="tool-description">{tool.description}</p>}
      {(long || tool.parameters.length > 0) && (
        <details className="tool-details">
          {/* Named with the tool: every tool has one, and a list of the page's controls shows them out of context. */}
          <summary aria-label={`Details · ${tool.parameters.length === 0 ? 'no arguments' : counted(tool.parameters.length, 'argument')} of ${tool.name}`}>
            Details · {tool.parameters.length === 0 ? 'no arguments' : counted(tool.parameters.length, 'argument')}
          </summary>
          {long && <p className="tool-description-full">{tool.description}</p>}
          {tool.parameters.length > 0 && (
            <dl className="facts tool-parameters" aria-label={`Arguments of ${tool.name}`}>
              {tool.parameters.map((p) => (
                <div key={p.name} className="tool-parameter">
                  <dt>
                    <code>{p.name}</code>
                  </dt>
                  <dd>
                    {p.type}
                    {p.required ? ', required' : ''}
                    {p.description && <span className="muted">: {p.description}</span>}
                  </dd>
                </div>
              ))}
            </dl>
          )}
        </details>
      )}
    </li>
  );
}

/** Every tool, grouped by where it comes from, with a filter: a person with many servers finds one by name or purpose. */
export function ToolList({ tools, serverOrder, onUseInChat, onSetEnabled }: ToolListProps) {
  const [filter, setFilter] = useState('');
  const countId = useId();
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  const shown = tools.filter((tool) => matches(tool, words));
  return (
    <section aria-label="Tools" className="tool-list-section">
      <h3>Tools</h3>
      <div className="tool-filter">
        <input
          type="search"
          className="search-input"
          aria-label="Filter tools"
          aria-describedby={countId}
          placeholder="Filter by name, server or what it does"
          value={filter}
          onChange={(event) => setFilter(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Escape' && filter) {
              event.preventDefault();
              event.stopPropagation();
              setFilter('');
            }
          }}
        />
        <span id={countId} className="muted" role="status" data-testid="tool-count">
          {words.length === 0 ? `${tools.length} tools` : `${shown.length} of ${tools.length} tools`}
        </span>
      </div>
      {shown.length === 0 && words.length > 0 && <p className="muted">No tool matches “{filter.trim()}”.</p>}
      {groupsOf(shown, serverOrder).map((group) => (
        <section key={group.server ?? ''} aria-label={group.server ? `Tools of ${group.server}` : 'Built-in tools'} className="tool-group">
          <h4>
            {group.server ?? 'Built-in'} <span className="muted">· {group.tools.length}</span>
          </h4>
          <ul className="tool-list">
            {group.tools.map((tool) => (
              <ToolRow key={tool.name} tool={tool} onUseInChat={onUseInChat} onSetEnabled={onSetEnabled} />
            ))}
          </ul>
        </section>
      ))}
    </section>
  );
}
