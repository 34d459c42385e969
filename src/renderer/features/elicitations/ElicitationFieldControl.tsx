import { useId } from 'react';
import type { ElicitationField, ElicitationRequest } from '../../../shared/domain/elicitation';
import { UNREADABLE_NUMBER, type FormValue } from './elicitation-form';

export interface ElicitationFieldControlProps {
  entry: ElicitationRequest['fields'][number];
  value: FormValue;
  /** The field's problem, once it is worth showing (touched, or a submit was tried). */
  problem: string | undefined;
  disabled: boolean;
  onChange: (value: FormValue) => void;
  /** The person has been in this field: its problems may show from now on. */
  onTouched: () => void;
}

const INPUT_TYPES: Record<NonNullable<ElicitationField['format']>, string> = {
  email: 'email',
  uri: 'url',
  date: 'date',
  'date-time': 'datetime-local',
};

/**
 * One field a server asks for, as the control that fits it: text (typed by its format), a number, a yes/no, a
 * choice from a list, or several choices. Its label is the server's title (else its name), its description the
 * help text, and its problem is said next to it.
 */
export function ElicitationFieldControl({ entry, value, problem, disabled, onChange, onTouched }: ElicitationFieldControlProps) {
  const id = useId();
  const { name, required, field } = entry;
  const helpId = `${id}-help`;
  const problemId = `${id}-problem`;
  const describedBy = [field.description ? helpId : null, problem ? problemId : null].filter(Boolean).join(' ') || undefined;
  const label = (
    <>
      {field.title ?? name}
      {required && <span className="elicitation-required"> (required)</span>}
    </>
  );
  const common = {
    id,
    name,
    disabled,
    'aria-describedby': describedBy,
    'aria-invalid': problem ? true : undefined,
    onBlur: onTouched,
  };
  const help = field.description && (
    <p id={helpId} className="elicitation-help muted">
      {field.description}
    </p>
  );
  const problemLine = problem && (
    <p id={problemId} className="elicitation-problem" data-testid={`elicitation-problem-${name}`}>
      {problem}
    </p>
  );
  // A choice counts as touched at once; typed text only once the person leaves it, so as not to scold mid-word.
  const change = (next: FormValue, touched = true) => {
    onChange(next);
    if (touched) onTouched();
  };

  if (field.type === 'boolean') {
    return (
      <div className="elicitation-field elicitation-check">
        <input {...common} type="checkbox" checked={value === true} onChange={(event) => change(event.target.checked)} />
        <label htmlFor={id}>{label}</label>
        {help}
        {problemLine}
      </div>
    );
  }

  if (field.type === 'array') {
    const chosen = Array.isArray(value) ? value : [];
    // Several choices: one checkbox each, grouped under the field's label.
    if (field.options) {
      return (
        <fieldset className="elicitation-field elicitation-choices" aria-describedby={describedBy}>
          <legend>{label}</legend>
          {field.options.map((option) => (
            <label key={option.value} className="elicitation-choice">
              <input
                type="checkbox"
                name={name}
                value={option.value}
                disabled={disabled}
                aria-invalid={problem ? true : undefined}
                checked={chosen.includes(option.value)}
                onChange={(event) => change(event.target.checked ? [...chosen, option.value] : chosen.filter((v) => v !== option.value))}
                onBlur={onTouched}
              />
              {option.label}
            </label>
          ))}
          {help}
          {problemLine}
        </fieldset>
      );
    }
    // A list without choices (MCP allows none, but a server may try): one entry per line.
    return (
      <div className="elicitation-field">
        <label htmlFor={id}>{label} (one per line)</label>
        <textarea {...common} rows={3} value={typeof value === 'string' ? value : chosen.join('\n')} onChange={(event) => change(event.target.value, false)} />
        {help}
        {problemLine}
      </div>
    );
  }

  let control;
  if (field.type === 'number' || field.type === 'integer') {
    // Uncontrolled: the browser keeps what was typed even when it cannot read it as a number ("1e").
    control = (
      <input
        {...common}
        type="number"
        inputMode={field.type === 'integer' ? 'numeric' : 'decimal'}
        step={field.type === 'integer' ? 1 : 'any'}
        min={field.minimum}
        max={field.maximum}
        required={required}
        defaultValue={typeof value === 'string' ? value : ''}
        onChange={(event) => change(event.target.validity.badInput ? UNREADABLE_NUMBER : event.target.value)}
      />
    );
  } else if (field.options) {
    const text = typeof value === 'string' ? value : '';
    control = (
      <select {...common} required={required} value={text} onChange={(event) => change(event.target.value)}>
        {(text === '' || !required) && <option value="">{required ? 'Choose…' : 'Not given'}</option>}
        {field.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    );
  } else {
    control = (
      <input
        {...common}
        type={field.format ? INPUT_TYPES[field.format] : 'text'}
        required={required}
        autoComplete="off"
        spellCheck={field.format ? false : undefined}
        value={typeof value === 'string' ? value : ''}
        onChange={(event) => change(event.target.value, false)}
      />
    );
  }
  return (
    <div className="elicitation-field">
      <label htmlFor={id}>{label}</label>
      {control}
      {help}
      {problemLine}
    </div>
  );
}
