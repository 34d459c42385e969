import { useEffect, useId, useRef, useState, type RefObject } from 'react';
import { CONTEXT_TOKENS, ContextTokensSchema, type ContextWindow, type ModelSelection } from '../../../shared/domain/model-settings';
import { escapeCloses } from '../../lib/escape-closes';
import { formatCount } from '../../lib/format';
import { apiKeyKeychainWords } from './keychain-problem';
import { modelNameAfterSwitch, MODEL_PLACEHOLDER } from './model-name-per-provider';
import { addressAfterDetection, DEFAULT_SERVER_ADDRESS, unansweredAddress } from './server-address';
import { useModelSettings } from './useModelSettings';

type Provider = ModelSelection['provider'];

const PROVIDERS: { value: Provider; label: string }[] = [
  { value: 'builtin', label: 'Built-in (offline: files, web pages and memories)' },
  { value: 'openai-compatible', label: 'Local server (Ollama, llama.cpp, LM Studio, vLLM)' },
  { value: 'anthropic', label: 'Anthropic (hosted)' },
  { value: 'openai', label: 'OpenAI (hosted)' },
];

/** Settings → Model: choose and test a provider and model, and see the local servers found on their usual ports. */
export function ModelSettingsPanel({ onClose, onSaved, headingRef }: { onClose: () => void; onSaved?: () => void; headingRef?: RefObject<HTMLHeadingElement | null> }) {
  const model = useModelSettings();
  const ids = useId();
  const [provider, setProvider] = useState<Provider>('builtin');
  const [baseUrl, setBaseUrl] = useState(DEFAULT_SERVER_ADDRESS);
  const [modelName, setModelName] = useState('');
  // What was typed in the Model field for each provider, so that switching carries no local model's name to a hosted API.
  const typedNames = useRef<Partial<Record<Provider, string>>>({});
  const [toolMode, setToolMode] = useState<'native' | 'prompted'>('native');
  const [contextTokens, setContextTokens] = useState('');
  const [vision, setVision] = useState(false);
  const [apiKey, setApiKey] = useState('');
  const [saved, setSaved] = useState(false);

  // The form starts from what is saved.
  useEffect(() => {
    const selection = model.settings?.selection;
    if (!selection) return;
    setProvider(selection.provider);
    if (selection.provider === 'openai-compatible') {
      setBaseUrl(selection.baseUrl);
      setToolMode(selection.toolMode);
      setContextTokens(selection.contextTokens === undefined ? '' : String(selection.contextTokens));
      setVision(selection.vision === true);
    }
    if (selection.provider !== 'builtin') setModelName(selection.model);
  }, [model.settings?.selection]);

  // A server found on its usual port fills in the address the person has not chosen yet (LM Studio's, not Ollama's);
  // a saved local server's address stays, even while that server is down.
  const savedLocal = model.settings?.selection.provider === 'openai-compatible';
  useEffect(() => {
    if (!savedLocal) setBaseUrl((current) => addressAfterDetection(current, model.servers));
  }, [model.servers, savedLocal]);

  // A model that calls tools only as prompted JSON gets that mode from its Test (README: weak models get prompted
  // JSON calls), rather than a message asking the person to find the setting: Save then keeps it.
  const [toolModeSet, setToolModeSet] = useState(false);
  useEffect(() => {
    const result = model.testResult;
    const promptedOnly = result !== null && !result.toolCalling && result.jsonOutput;
    if (promptedOnly && provider === 'openai-compatible') setToolMode('prompted');
    setToolModeSet(promptedOnly && provider === 'openai-compatible');
  }, [model.testResult, provider]);

  const context = parseContextTokens(contextTokens);
  const unanswered = unansweredAddress(model.asked, model.servers);
  const addressError = serverAddressError(baseUrl);
  const draft = (): ModelSelection => {
    if (provider === 'builtin') return { provider };
    if (provider === 'openai-compatible') {
      return {
        provider,
        baseUrl: baseUrl.trim(),
        model: modelName.trim(),
        toolMode,
        ...(context.tokens !== undefined ? { contextTokens: context.tokens } : {}),
        ...(vision ? { vision } : {}),
      };
    }
    return { provider, model: modelName.trim() };
  };
  const local = provider === 'openai-compatible';
  const incomplete = provider !== 'builtin' && (modelName.trim() === '' || (local && (baseUrl.trim() === '' || addressError !== null || context.error !== null)));
  const busy = model.busy !== null;
  const hosted = provider === 'anthropic' || provider === 'openai';
  const keySet = hosted && model.settings?.hostedKeys[provider];
  const keychainWords = model.settings ? apiKeyKeychainWords(model.settings) : null;
  const typedKey = hosted ? apiKey.trim() : '';
  // Said here, in words: the host would refuse a shorter one as an invalid input.
  const keyError = typedKey !== '' && typedKey.length < 8 ? 'An API key is at least 8 characters long; check that it was pasted whole.' : null;

  return (
    <section
      className="settings-panel"
      role="dialog"
      aria-modal="false"
      aria-labelledby={`${ids}-title`}
      data-testid="model-settings"
      {...escapeCloses(onClose)}
      // "Saved." and the test's result speak of the form as it was then: any edit after it makes them untrue.
      onChange={() => (setSaved(false), model.clearTest())}
    >
      <header className="settings-header">
        <h2 id={`${ids}-title`} ref={headingRef} tabIndex={-1}>Model</h2>
        <button type="button" className="icon-button" aria-label="Close model settings" onClick={onClose}>
          ×
        </button>
      </header>
      <p className="muted" data-testid="active-model">
        In use: {model.settings?.active.description ?? '…'}
      </p>

      <fieldset className="settings-group">
        <legend>Provider</legend>
        {PROVIDERS.map((p) => (
          <label key={p.value} className="settings-radio">
            {/* Until the saved choice has loaded, a choice made here would be overwritten by it. */}
            <input
              type="radio"
              name={`${ids}-provider`}
              value={p.value}
              checked={provider === p.value}
              disabled={model.settings === null}
              onChange={() => {
                const next = modelNameAfterSwitch(typedNames.current, provider, p.value, modelName, model.settings?.selection);
                typedNames.current = next.typed;
                setModelName(next.name);
                setProvider(p.value);
              }}
            />{' '}
            {p.label}
          </label>
        ))}
      </fieldset>

      {provider === 'openai-compatible' && (
        <div className="settings-group">
          <h3 className="settings-subheading">Detected local servers</h3>
          {model.servers === null || model.detecting ? (
            <p className="muted">Looking on the usual ports…</p>
          ) : model.servers.length === 0 ? (
            <p className="muted" data-testid="no-servers">None found on ports 11434, 8080, 1234 or 8000. Start one, or enter its address below and Look again for its models.</p>
          ) : (
            <ul className="server-list" data-testid="server-list">
              {model.servers.map((server) => (
                <li key={server.baseUrl}>
                  <strong>{server.name}</strong> <span className="muted">{server.baseUrl}</span>
                  <span className="server-models">
                    {server.models.map((m) => (
                      <button key={m} type="button" className="example" onClick={() => (setBaseUrl(server.baseUrl), setModelName(m), setSaved(false), model.clearTest())}>
                        {m}
                      </button>
                    ))}
                  </span>
                </li>
              ))}
            </ul>
          )}
          {!model.detecting && unanswered !== null && (
            <p className="settings-error" data-testid="address-unanswered">
              Nothing at {unanswered.address} answered with its models{unanswered.v1Too ? ' (nor under /v1)' : ''}. Check that the server is
              running and listening there, and the address: an OpenAI-compatible server&apos;s usually ends in /v1, as LM Studio&apos;s
              http://127.0.0.1:1234/v1.
            </p>
          )}
          {/* aria-disabled while it looks, as Test and Save below: a disabled button drops the keyboard to the page. */}
          {/* The address typed is asked too: a server on another port or machine lists its models to pick from. */}
          <button type="button" onClick={() => !model.detecting && void model.detect(addressError === null && baseUrl.trim() !== '' ? baseUrl.trim() : undefined)} aria-disabled={model.detecting || undefined}>
            Look again
          </button>
          <label className="settings-field">
            Server address{' '}
            <input
              type="text"
              value={baseUrl}
              onChange={(e) => setBaseUrl(e.target.value)}
              aria-invalid={addressError !== null}
              aria-describedby={addressError ? `${ids}-address-error` : undefined}
            />
          </label>
          {addressError && (
            <p id={`${ids}-address-error`} className="settings-error">
              {addressError}
            </p>
          )}
          <label className="settings-field">
            Tool calls
            <select value={toolMode} onChange={(e) => setToolMode(e.target.value as 'native' | 'prompted')}>
              <option value="native">Native (the model calls tools itself)</option>
              <option value="prompted">Prompted JSON (for models without tool calling)</option>
            </select>
          </label>
          <label className="settings-field">
            Context window (tokens)
            <input
              type="text"
              inputMode="numeric"
              value={contextTokens}
              onChange={(e) => setContextTokens(e.target.value)}
              placeholder="Ask the server"
              aria-describedby={`${ids}-context-help`}
              aria-invalid={context.error !== null}
            />
          </label>
          <p id={`${ids}-context-help`} className={context.error ? 'settings-error' : 'muted'}>
            {context.error ??
              'Earlier turns are sent only as far as they fit. Leave empty to ask the server (Ollama, llama.cpp, LM Studio and vLLM say); enter it when the server does not.'}
          </p>
          <label className="settings-radio">
            <input type="checkbox" checked={vision} onChange={(e) => setVision(e.target.checked)} disabled={toolMode === 'prompted'} />
            <span>
              The model sees images (a vision model, e.g. Qwen2.5-VL, Gemma 3, LLaVA): images tools return this turn are sent to it, after the
              tools' results, said to be theirs. Leave it off for a text model, which a server may refuse images for.
            </span>
          </label>
        </div>
      )}

      {provider !== 'builtin' && (
        <label className="settings-field">
          Model <input type="text" value={modelName} onChange={(e) => setModelName(e.target.value)} placeholder={MODEL_PLACEHOLDER[provider]} />
        </label>
      )}
      {hosted && (
        <label className="settings-field">
          API key {keySet ? <span className="muted">(a key is stored in your OS keychain; enter one to replace it)</span> : null}
          <input
            type="password"
            autoComplete="off"
            value={apiKey}
            onChange={(e) => setApiKey(e.target.value)}
            aria-invalid={keyError !== null}
            aria-describedby={keyError ? `${ids}-key-error` : undefined}
          />
        </label>
      )}
      {/* Said before a key is pasted, not after Save: without a keychain none can be kept (README: secrets live there only). */}
      {hosted && keychainWords && (
        <p className="settings-error" data-testid="no-keychain-for-key">
          {keychainWords}
        </p>
      )}
      {keyError && (
        <p id={`${ids}-key-error`} className="settings-error">
          {keyError}
        </p>
      )}

      <div className="settings-actions">
        {/* While one runs both wait as aria-disabled, not disabled: a disabled button drops the keyboard focus to the page. */}
        <button
          type="button"
          disabled={incomplete || keyError !== null || (hosted && !keySet && typedKey === '')}
          aria-disabled={busy || undefined}
          onClick={() => !busy && void model.test(draft(), typedKey || undefined)}
        >
          {model.busy === 'testing' ? 'Testing…' : 'Test'}
        </button>
        <button
          type="button"
          className="primary"
          disabled={incomplete || keyError !== null}
          aria-disabled={busy || undefined}
          onClick={() => !busy && void model.save(draft(), typedKey || undefined).then((ok) => (setSaved(ok), ok && (setApiKey(''), onSaved?.())))}
        >
          {model.busy === 'saving' ? 'Saving…' : 'Save'}
        </button>
        {saved && <span role="status">Saved.</span>}
      </div>
      {/* Disabled buttons say nothing of why: the one thing they wait for most often is a model's name. */}
      {provider !== 'builtin' && modelName.trim() === '' && (
        <p className="muted" data-testid="model-needed">
          Test and Save wait for a model: {local ? 'pick one of a server found above, or type its name' : 'type its name'}.
        </p>
      )}
      {model.testResult && (
        <p role="status" data-testid="model-test-result" className={model.testResult.ok ? '' : 'settings-error'}>
          {model.testResult.message}
        </p>
      )}
      {toolModeSet && (
        <p className="muted" data-testid="tool-mode-set">
          Tool calls is now Prompted JSON, as the test found; Save keeps it.
        </p>
      )}
      {/* Where nothing answered, the server said nothing of its context either: the note would only be noise. */}
      {model.testResult && local && (model.testResult.ok || model.testResult.context) && (
        <p className="muted" data-testid="model-context">
          {describeServerContext(model.testResult.context, context.tokens)}
        </p>
      )}
      {model.error && (
        <p role="alert" className="settings-error">
          {model.error}
        </p>
      )}
    </section>
  );
}

/** The server address: said wrong here, in words, rather than refused by the host as an invalid input. */
function serverAddressError(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed === '') return null; // Empty is only incomplete: Test and Save wait for it.
  let protocol = '';
  try {
    protocol = new URL(trimmed).protocol;
  } catch {
    // Not a URL at all; said below.
  }
  return protocol === 'http:' || protocol === 'https:' ? null : 'The server address is a URL starting with http:// or https://, e.g. http://127.0.0.1:11434/v1.';
}

/** The context field: empty means ask the server; otherwise a whole number of tokens the schema accepts. */
function parseContextTokens(text: string): { tokens: number | undefined; error: string | null } {
  const trimmed = text.trim().replace(/[,_\s]/g, '');
  if (trimmed === '') return { tokens: undefined, error: null };
  const parsed = ContextTokensSchema.safeParse(Number(trimmed));
  if (!parsed.success) {
    return {
      tokens: undefined,
      error: `The context window is a whole number of tokens, from ${formatCount(CONTEXT_TOKENS.min)} to ${formatCount(CONTEXT_TOKENS.max)} (or empty, to ask the server).`,
    };
  }
  return { tokens: parsed.data, error: null };
}

function describeServerContext(server: ContextWindow | null, set: number | undefined): string {
  if (!server) {
    return set === undefined
      ? 'The server did not say how large the model’s context is. If it is small, enter it in Context window, or the server may cut off the start of long conversations.'
      : `The server did not say how large the model’s context is; your figure, ${formatCount(set)} tokens, is used.`;
  }
  const said = `The server says the context window is ${formatCount(server.tokens)} tokens (${server.source}).`;
  return set === undefined || set === server.tokens ? said : `${said} Your figure, ${formatCount(set)}, is used.`;
}
