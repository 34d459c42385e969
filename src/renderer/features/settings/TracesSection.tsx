import { useId, useState, type FormEvent } from 'react';
import type { CaptureMode } from '../../../shared/domain/trace';
import { useApi } from '../../lib/api/ApiProvider';
import { describeError } from '../../lib/errors';
import { useTelemetryStatus } from '../traces/useTelemetryStatus';

const MODES: ReadonlyArray<{ value: CaptureMode; label: string }> = [
  { value: 'metadata', label: 'The shape of what tools and models were given and returned: names, sizes, types (default)' },
  { value: 'full', label: 'Also the content itself: arguments, results and messages, with secrets masked' },
  { value: 'off', label: 'Nothing of the content: timings, decisions and errors only' },
];

/** How often the counts (stored, sent, dropped) are asked again while the section is open. */
const REFRESH_MS = 3_000;

/** What traces keep of the content they cover, and the OpenTelemetry collector they are also sent to. */
export function TracesSection() {
  const api = useApi();
  const id = useId();
  const { status, setStatus } = useTelemetryStatus(REFRESH_MS);
  // What the person typed; until they type (and after a save) the field shows the collector as configured.
  const [typed, setTyped] = useState<string | null>(null);
  const endpoint = typed ?? status?.otlp.endpoint ?? '';
  const [error, setError] = useState<string | null>(null);

  const configure = async (change: { captureMode?: CaptureMode; otlpEndpoint?: string | null }) => {
    setError(null);
    try {
      setStatus(await api.invoke('telemetry.configure', change));
      setTyped(null);
    } catch (e) {
      setError(`Not changed. ${describeError(e)}`);
    }
  };
  const sendTo = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = endpoint.trim();
    // "localhost:4318" parses as a URL of the scheme "localhost:", to which nothing is ever sent.
    if (trimmed !== '' && !/^https?:\/\/./i.test(trimmed)) return setError('Not changed. The collector address starts with http:// or https://, e.g. http://127.0.0.1:4318.');
    void configure({ otlpEndpoint: trimmed === '' ? null : trimmed });
  };

  const otlp = status?.otlp;
  const dropped = status ? status.droppedSpans.store + status.droppedSpans.otlp : 0;
  return (
    <section className="settings-section" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>Traces</h3>
      <fieldset className="settings-group" disabled={!status}>
        <legend>What traces keep of the content</legend>
        {MODES.map((mode) => (
          <label key={mode.value} className="settings-radio">
            <input type="radio" name={`${id}-mode`} value={mode.value} checked={status?.captureMode === mode.value} onChange={() => void configure({ captureMode: mode.value })} />{' '}
            {mode.label}
          </label>
        ))}
      </fieldset>
      <form className="settings-form" onSubmit={sendTo} noValidate>
        <label htmlFor={`${id}-otlp`}>Also send them to an OpenTelemetry collector (OTLP/HTTP), e.g. http://127.0.0.1:4318</label>
        <input id={`${id}-otlp`} type="url" placeholder="No collector" value={endpoint} disabled={!status} onChange={(e) => setTyped(e.target.value)} />
        <span>
          <button type="submit" disabled={!status}>Save collector</button>{' '}
          {otlp?.endpoint && (
            <button type="button" onClick={() => void configure({ otlpEndpoint: null })}>
              Stop sending
            </button>
          )}
        </span>
      </form>
      <p role="status" className="muted" data-testid="traces-status">
        {status ? `${status.storedSpans} spans stored here` : 'Loading…'}
        {otlp?.tracesUrl ? `; ${otlp.exportedSpans} sent to ${otlp.tracesUrl}` : ''}
        {dropped > 0 ? `; ${dropped} dropped` : ''}
      </p>
      {otlp?.lastError && <p className="error-text" role="alert">The collector did not take the last batch: {otlp.lastError}</p>}
      {error && <p className="error-text" role="alert">{error}</p>}
    </section>
  );
}
