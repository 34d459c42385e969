import type { DetectedServer, ModelSettings, ModelTestResult } from '../../shared/domain/model-settings';
import { AppError } from '../../shared/errors';
import { serverAddressKey } from '../../shared/server-address-key';
import type { Clock } from '../clock';
import { KeyringChangedError } from '../secrets/keychain-unavailable';
import type { SecretStore } from '../secrets/secret-store';
import type { SettingsStore } from '../storage/stores/settings-store';
import { CHECK_THE_MODEL } from './ai-sdk-model';
import { probeCapabilities } from './capability-probe';
import { detectContextWindow } from './context-window';
import { detectLocalServers, isChatModel, listModels } from './local-server-detection';
import { defaultModelSelection, MODEL_SELECTION_KEY, ModelSelectionSchema, secretNameFor, type ModelSelection } from './model-selection';
import { createModelProvider } from './provider-factory';
import type { SwitchableModel } from './switchable-model';

/** Model settings: the chosen provider (settings table), hosted keys (keychain), detection and a live test. */
export class ModelSettingsService {
  constructor(
    private readonly deps: {
      settings: SettingsStore;
      secrets?: SecretStore;
      model: SwitchableModel;
      clock: Clock;
      detect?: () => Promise<DetectedServer[]>;
      /** Masks keychain secrets' values in what the page is shown (a server address may hold one); absent: as stored. */
      mask?: <T>(value: T) => T;
    },
  ) {}

  /** Applies the stored selection at start-up; a selection that cannot be built falls back to the built-in model. */
  load(): void {
    const selection = this.selection();
    try {
      this.deps.model.use(createModelProvider(selection, this.deps.secrets));
    } catch (error) {
      console.error('the stored model selection could not be used; using the built-in model', error);
    }
  }

  selection(): ModelSelection {
    return this.deps.settings.get(MODEL_SELECTION_KEY, ModelSelectionSchema, defaultModelSelection);
  }

  async get(): Promise<ModelSettings> {
    const keychain = await this.keychainKeys();
    return this.mask({
      selection: this.selection(),
      active: { id: this.deps.model.id, description: this.deps.model.description },
      hostedKeys: { anthropic: keychain.names.includes(secretNameFor.anthropic), openai: keychain.names.includes(secretNameFor.openai) },
      keychainAvailable: keychain.available,
      keyringChanged: keychain.keyringChanged,
    });
  }

  /**
   * The names the keychain holds; when it does not answer (KEYCHAIN_UNAVAILABLE), none, and whether that is for want
   * of a keychain (a headless Linux without a Secret Service) or a keyring changed under this Portcullis (a restart mends it).
   */
  private async keychainKeys(): Promise<{ names: string[]; available: boolean; keyringChanged: boolean }> {
    if (!this.deps.secrets) return { names: [], available: false, keyringChanged: false };
    try {
      return { names: await this.deps.secrets.list(), available: true, keyringChanged: false };
    } catch (error) {
      const unavailable = error instanceof AppError && error.code === 'KEYCHAIN_UNAVAILABLE';
      return { names: [], available: !unavailable, keyringChanged: error instanceof KeyringChangedError };
    }
  }

  private mask<T>(value: T): T {
    return this.deps.mask ? this.deps.mask(value) : value;
  }

  /** The page sends back the server address it was shown, masked: that stands for the stored one, not for a new address. */
  private asStored(selection: ModelSelection): ModelSelection {
    const stored = this.selection();
    if (selection.provider !== 'openai-compatible' || stored.provider !== 'openai-compatible') return selection;
    return selection.baseUrl !== stored.baseUrl && selection.baseUrl === this.mask(stored.baseUrl) ? { ...selection, baseUrl: stored.baseUrl } : selection;
  }

  async set(shown: ModelSelection, apiKey?: string): Promise<ModelSettings> {
    const selection = this.asStored(shown);
    if (apiKey !== undefined) {
      if (selection.provider !== 'anthropic' && selection.provider !== 'openai') {
        throw new AppError('VALIDATION_FAILED', 'Only the hosted providers (Anthropic, OpenAI) take an API key.');
      }
      if (!this.deps.secrets) throw new AppError('SECRET_MISSING', 'The OS keychain is not available, so the key cannot be stored safely. Nothing was saved.');
      await this.deps.secrets.set(secretNameFor[selection.provider], apiKey);
    }
    const provider = createModelProvider(selection, this.deps.secrets);
    this.deps.settings.set(MODEL_SELECTION_KEY, ModelSelectionSchema, selection, this.deps.clock.now());
    this.deps.model.use(provider);
    return this.get();
  }

  /**
   * The local servers on their usual ports, and the server at `baseUrl` (the address typed or saved: another port,
   * another machine) with its models, when it answers and is not one of those: LM Studio's model ids are easy to get
   * wrong by hand, and one of its list is picked with a click.
   */
  async detect(baseUrl?: string): Promise<DetectedServer[]> {
    const typed = baseUrl === undefined ? null : this.typedAddress(baseUrl);
    const [found, answered] = await Promise.all([(this.deps.detect ?? (() => detectLocalServers()))(), typed ? modelsAt(typed) : null]);
    if (!answered || found.some((server) => sameAddress(server.baseUrl, answered.baseUrl))) return found;
    return [...found, this.mask({ kind: 'typed', name: 'At the server address below', baseUrl: answered.baseUrl, models: answered.models.filter(isChatModel) })];
  }

  /** An http(s) address typed in, or the stored one it stands for when the page sent it back masked; null for anything else. */
  private typedAddress(baseUrl: string): string | null {
    const stored = this.selection();
    const address = stored.provider === 'openai-compatible' && baseUrl === this.mask(stored.baseUrl) ? stored.baseUrl : baseUrl.trim();
    try {
      return ['http:', 'https:'].includes(new URL(address).protocol) ? address.replace(/\/+$/, '') : null;
    } catch {
      return null;
    }
  }

  /**
   * Sends the model two tiny requests (a native tool call, a prompted JSON one) and says what works; with the
   * `apiKey` typed in, if one is, so that a key is tried before it is saved.
   */
  async test(shown: ModelSelection = this.selection(), apiKey?: string): Promise<ModelTestResult> {
    const selection = this.asStored(shown);
    if (selection.provider === 'builtin') {
      return {
        ok: true,
        toolCalling: true,
        jsonOutput: true,
        recommendedToolMode: 'native',
        message: 'The built-in model is always available (files, web pages and memories; no open chat).',
        context: null,
      };
    }
    const native = createModelProvider(selection.provider === 'openai-compatible' ? { ...selection, toolMode: 'native' } : selection, this.deps.secrets, apiKey);
    const prompted = createModelProvider(selection.provider === 'openai-compatible' ? { ...selection, toolMode: 'prompted' } : selection, this.deps.secrets, apiKey);
    // What the server says, even when the person set a figure: the two may differ, and the page shows both.
    const serverContext = selection.provider === 'openai-compatible' ? detectContextWindow(selection.baseUrl, selection.model) : null;
    const [caps, context] = await Promise.all([probeCapabilities(native, prompted, AbortSignal.timeout(60_000)), serverContext]);
    const ok = caps.toolCalling || caps.jsonOutput;
    const message = caps.toolCalling
      ? 'The model answered and calls tools natively.'
      : caps.jsonOutput
        ? 'The model answered but does not call tools natively; use the prompted JSON mode for it.'
        : caps.error
          ? unreachable(caps.error, selection)
          : 'The model answered, but called no tool, natively or as prompted JSON: Portcullis cannot use it to act.';
    return { ok, toolCalling: caps.toolCalling, jsonOutput: caps.jsonOutput, recommendedToolMode: caps.recommendedToolMode, message, context };
  }
}

/** A model whose requests failed: what went wrong, and where to look, rather than blaming its tool calling. */
function unreachable(error: string, selection: ModelSelection): string {
  const where = selection.provider === 'openai-compatible' ? selection.baseUrl : 'the provider';
  const hint = /\b404\b/.test(error)
    ? ` Check the address (an OpenAI-compatible server's usually ends in /v1) and the model's name.`
    : /\b(401|403)\b/.test(error)
      ? ' Check the API key.'
      : /connect|ECONNREFUSED|ENOTFOUND|bad port|fetch failed|timed? ?out/i.test(error)
        ? ` Is the server running at ${where}?`
        : '';
  // The hint says what to check, here on the Model card: the chat's "check … in Settings → Model" would say it twice.
  const said = hint ? error.replace(` ${CHECK_THE_MODEL}`, '') : error;
  return `The model did not answer: ${/[.!?]$/.test(said) ? said : `${said}.`}${hint}`;
}

/**
 * The models of the server at an address typed in, and the address that lists them. LM Studio shows its server as
 * http://localhost:1234, and Ollama's is known as http://localhost:11434, while their OpenAI-compatible API is under
 * /v1: an address with no path that lists nothing is asked again with /v1, which then is the address to save.
 */
async function modelsAt(address: string): Promise<{ baseUrl: string; models: string[] } | null> {
  const models = await listModels(address);
  if (models) return { baseUrl: address, models };
  if (new URL(address).pathname !== '/') return null;
  const withV1 = `${address}/v1`;
  const underV1 = await listModels(withV1);
  return underV1 ? { baseUrl: withV1, models: underV1 } : null;
}

/** The same server however its address was typed: a trailing slash, localhost for 127.0.0.1. */
function sameAddress(a: string, b: string): boolean {
  return serverAddressKey(a) === serverAddressKey(b);
}
