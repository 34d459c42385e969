import { useEffect } from 'react';
import { offeringKey, offeringLabel, type Offering } from './offerings';

export interface OfferingPickerProps {
  id: string;
  /** Opened by `/` (prompts and resources) or by `@` (resources). */
  kind: 'slash' | 'at';
  /** The prompts and resources that match what follows the `/`; null while they load. */
  matches: Offering[] | null;
  active: number;
  error: string | null;
  problems: string[];
  onPick(offering: Offering): void;
}

/** The option element of the picker's `index`th match, for the message box's aria-activedescendant. */
export const offeringOptionId = (pickerId: string, index: number) => `${pickerId}-option-${index}`;

/**
 * The composer's `/` list (the MCP servers' prompts and resources) or `@` list (their resources) that match what was typed. The message box keeps
 * the keyboard (↑ ↓ choose, Enter or Tab pick, Esc closes); a click picks too.
 */
export function OfferingPicker({ id, kind, matches, active, error, problems, onPick }: OfferingPickerProps) {
  const what = kind === 'at' ? 'resources' : 'prompts and resources';
  // The entry chosen with ↑ ↓ stays in sight in a long list.
  useEffect(() => {
    document.getElementById(offeringOptionId(id, active))?.scrollIntoView({ block: 'nearest' });
  }, [id, active]);
  return (
    <div className="prompt-picker" data-testid="prompt-picker">
      {error ? (
        <p role="alert">{error}</p>
      ) : matches === null ? (
        <p className="muted">Asking the MCP servers for their {what}…</p>
      ) : matches.length === 0 ? (
        <p className="muted">No MCP server offers a {kind === 'at' ? 'resource' : 'prompt or resource'} by that name. Enter sends the text as it is.</p>
      ) : (
        // A region that scrolls is reachable by keyboard on its own too; the message box drives it all the same.
        <ul role="listbox" id={id} aria-label={`MCP ${what}`} tabIndex={0}>
          {matches.map((offering, index) => (
            <li
              key={offeringKey(offering)}
              id={offeringOptionId(id, index)}
              role="option"
              aria-selected={index === active}
              className={index === active ? 'active' : undefined}
              // Keep the focus in the message box: the list is driven from there.
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => onPick(offering)}
            >
              <span className="prompt-name">{offeringLabel(offering)}</span>{' '}
              <span className="muted">{offering.kind === 'resource' ? 'resource ' : ''}from {offering.server}</span>
              {offering.description && <span className="prompt-description muted">{offering.description}</span>}
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
