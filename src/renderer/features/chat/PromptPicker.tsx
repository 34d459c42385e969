import type { McpPrompt } from '../../../shared/domain/mcp-prompt';
import { promptLabel } from './usePrompts';

export interface PromptPickerProps {
  id: string;
  /** The prompts that match what follows the `/`; null while they load. */
  matches: McpPrompt[] | null;
  active: number;
  error: string | null;
  problems: string[];
  onPick(prompt: McpPrompt): void;
}

/** The option element of the picker's `index`th match, for the message box's aria-activedescendant. */
export const promptOptionId = (pickerId: string, index: number) => `${pickerId}-option-${index}`;

/**
 * The composer's `/` list: the MCP servers' prompts that match what was typed. The message box keeps the keyboard
 * (↑ ↓ choose, Enter or Tab pick, Esc closes); a click picks too.
 */
export function PromptPicker({ id, matches, active, error, problems, onPick }: PromptPickerProps) {
  return (
    <div className="prompt-picker" data-testid="prompt-picker">
      {error ? (
        <p role="alert">{error}</p>
      ) : matches === null ? (
        <p className="muted">Asking the MCP servers for their prompts…</p>
      ) : matches.length === 0 ? (
        <p className="muted">No MCP server offers a prompt by that name. Enter sends the text as it is.</p>
      ) : (
        <ul role="listbox" id={id} aria-label="MCP prompts">
          {matches.map((prompt, index) => (
            <li
              key={`${prompt.server}/${prompt.name}`}
              id={promptOptionId(id, index)}
              role="option"
              aria-selected={index === active}
              className={index === active ? 'active' : undefined}
              // Keep the focus in the message box: the list is driven from there.
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => onPick(prompt)}
            >
              <span className="prompt-name">{promptLabel(prompt)}</span> <span className="muted">from {prompt.server}</span>
              {prompt.description && <span className="prompt-description muted">{prompt.description}</span>}
            </li>
          ))}
        </ul>
      )}
      {problems.map((problem) => (
        <p key={problem} className="muted prompt-problem">
          {problem}
        </p>
      ))}
    </div>
  );
}
