import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { McpPrompt, McpPromptArgument } from '../../../shared/domain/mcp-prompt';
import { useApi } from '../../lib/api/ApiProvider';
import { describeError } from '../../lib/errors';
import { offeringLabel, type Offering } from './offerings';
import { usePromptCompletions } from './usePromptCompletions';

export interface OfferingFormProps {
  offering: Offering;
  /** The prompt filled in or the resource read, as its server gave it: for the message box, to read and edit before sending. */
  onInsert(text: string): void;
  onCancel(): void;
}

/** A picked prompt or resource: a prompt's arguments to fill in (none for some), then Insert (Enter) or Cancel (Esc). */
export function OfferingForm({ offering, onInsert, onCancel }: OfferingFormProps) {
  const api = useApi();
  const [values, setValues] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const label = offeringLabel(offering);
  const promptArguments = offering.kind === 'prompt' ? offering.arguments : [];
  // A prompt or resource that arrives after Cancel (a slow server) is dropped, not put in the box.
  const open = useRef(true);
  useEffect(() => () => void (open.current = false), []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setAsking(true);
    setError(null);
    try {
      // An argument left empty is not given: the server's own default applies.
      const args = Object.fromEntries(Object.entries(values).filter(([, value]) => value !== ''));
      const { text } =
        offering.kind === 'prompt'
          ? await api.invoke('prompts.get', { server: offering.server, name: offering.name, arguments: args })
          : await api.invoke('resources.read', { server: offering.server, uri: offering.uri });
      if (open.current) onInsert(text);
    } catch (err) {
      if (!open.current) return;
      setError(describeError(err));
      setAsking(false);
    }
  };

  return (
    <form
      className="prompt-form"
      aria-label={`${offering.kind === 'prompt' ? 'Prompt' : 'Resource'} ${label} from ${offering.server}`}
      data-testid="prompt-form"
      onSubmit={(event) => void submit(event)}
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return;
        event.preventDefault();
        onCancel();
      }}
    >
      <p>
        <strong>{label}</strong> <span className="muted">{offering.kind === 'resource' ? `resource ${offering.uri} ` : ''}from {offering.server}</span>
        {offering.description && <span className="muted"> · {offering.description}</span>}
      </p>
      {offering.kind === 'prompt' && offering.arguments.map((argument, index) => (
        <ArgumentField
          key={argument.name}
          prompt={offering}
          argument={argument}
          first={index === 0}
          values={values}
          onChange={(value) => setValues((current) => ({ ...current, [argument.name]: value }))}
        />
      ))}
      {error && (
        <p className="composer-error" role="alert">
          {error}
        </p>
      )}
      <div className="prompt-form-actions">
        <button type="submit" className="primary" disabled={asking} autoFocus={promptArguments.length === 0}>
          {asking ? 'Inserting…' : 'Insert'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** One argument's field, with the values its server suggests while it is being typed in. */
function ArgumentField(props: { prompt: McpPrompt; argument: McpPromptArgument; first: boolean; values: Record<string, string>; onChange(value: string): void }) {
  const { prompt, argument, first, values, onChange } = props;
  const id = useId();
  const [focused, setFocused] = useState(false);
  const value = values[argument.name] ?? '';
  const suggestions = usePromptCompletions(prompt, argument.name, value, values, focused);
  return (
    <label className="prompt-argument">
      <span>
        {argument.name}
        {argument.required ? ' (required)' : ''}
      </span>
      <input
        autoFocus={first}
        required={argument.required}
        value={value}
        list={suggestions.length > 0 ? `${id}-suggestions` : undefined}
        aria-describedby={argument.description ? `${id}-description` : undefined}
        onFocus={() => setFocused(true)}
        onBlur={() => setFocused(false)}
        onChange={(event) => onChange(event.target.value)}
      />
      {suggestions.length > 0 && (
        <datalist id={`${id}-suggestions`} data-testid={`suggestions-${argument.name}`}>
          {suggestions.map((suggestion) => (
            <option key={suggestion} value={suggestion} />
          ))}
        </datalist>
      )}
      {argument.description && (
        <span id={`${id}-description`} className="muted">
          {argument.description}
        </span>
      )}
    </label>
  );
}
