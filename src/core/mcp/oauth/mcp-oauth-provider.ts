import { randomBytes } from 'node:crypto';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { SecretStore } from '../../secrets/secret-store';

export interface RegisteredClient {
  clientId?: string;
  clientSecret?: string;
  scopes?: string;
}

/**
 * One remote server's OAuth client (the SDK runs the flow: discovery, registration, PKCE, refresh). Its tokens and
 * its registration are kept in the OS keychain (`mcp-oauth.<server>.tokens` / `.client`); where there is none (or
 * it fails), only in memory, so the person signs in again at the next start: never in a plain file. They never
 * reach the config file, the page, logs or traces. The sign-in URL waits in `signInUrl` for the person.
 */
export class McpOAuthProvider implements OAuthClientProvider {
  signInUrl: string | null = null;
  /** The SDK started a sign-in for this server (it answered 401); reset at each connection attempt. */
  attempted = false;
  /** The state the current sign-in was started with: only a callback carrying it is taken. */
  expectedState = '';
  private verifier = '';
  private readonly memory = new Map<string, string>();

  /** Whether it holds tokens (saved, or found when the transport asked): the person can sign out. */
  signedIn = false;

  constructor(
    private readonly server: string,
    readonly redirectUrl: string,
    private readonly secrets?: SecretStore,
    /** A client the person registered (`oauth` in mcp.json, its secret resolved); without it, one registers itself. */
    private readonly client: RegisteredClient = {},
  ) {}

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'Portcullis',
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      ...(this.client.scopes ? { scope: this.client.scopes } : {}),
    };
  }

  state(): string {
    this.expectedState = randomBytes(16).toString('base64url');
    return this.expectedState;
  }

  async clientInformation(): Promise<OAuthClientInformationMixed | undefined> {
    this.attempted = true; // only the SDK's auth() asks for it
    const { clientId, clientSecret } = this.client;
    if (clientId) return { client_id: clientId, ...(clientSecret ? { client_secret: clientSecret } : {}) };
    const client = await this.read<OAuthClientInformationMixed & { redirect_uris?: string[] }>('client');
    // Registered for another port's callback (an earlier run of the app): register again.
    return client && (!client.redirect_uris || client.redirect_uris.includes(this.redirectUrl)) ? client : undefined;
  }

  async saveClientInformation(client: OAuthClientInformationMixed): Promise<void> {
    if (!this.client.clientId) await this.write('client', client); // a registered client is the config's, as it is
  }

  async tokens(): Promise<OAuthTokens | undefined> {
    const tokens = await this.read<OAuthTokens>('tokens');
    this.signedIn = tokens !== undefined;
    return tokens;
  }

  async saveTokens(tokens: OAuthTokens): Promise<void> {
    this.signInUrl = null;
    this.signedIn = true;
    await this.write('tokens', tokens);
  }

  /** The URL comes from the server's metadata: a link for the page only if it is a web address. */
  redirectToAuthorization(url: URL): void {
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`its sign-in page is not a web address (${url.protocol})`);
    this.signInUrl = url.toString();
  }

  saveCodeVerifier(verifier: string): void {
    this.verifier = verifier;
  }

  codeVerifier(): string {
    return this.verifier;
  }

  async invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): Promise<void> {
    if (scope === 'all' || scope === 'tokens') {
      this.signedIn = false;
      await this.remove('tokens');
    }
    if (scope === 'all' || scope === 'client') await this.remove('client');
    if (scope === 'all' || scope === 'verifier') this.verifier = '';
  }

  private key(what: string): string {
    return `mcp-oauth.${this.server}.${what}`;
  }

  private async read<T>(what: string): Promise<T | undefined> {
    const text = this.memory.get(what) ?? (await this.fromKeychain((secrets) => secrets.get(this.key(what))));
    if (!text) return undefined;
    try {
      return JSON.parse(text) as T;
    } catch {
      return undefined;
    }
  }

  private async write(what: string, value: unknown): Promise<void> {
    const text = JSON.stringify(value);
    const kept = await this.fromKeychain((secrets) => secrets.set(this.key(what), text).then(() => true));
    if (kept) this.memory.delete(what);
    else this.memory.set(what, text);
  }

  private async remove(what: string): Promise<void> {
    this.memory.delete(what);
    await this.fromKeychain((secrets) => secrets.delete(this.key(what)));
  }

  /** The keychain's answer, or undefined when there is none or it fails (then memory serves). */
  private async fromKeychain<T>(use: (secrets: SecretStore) => Promise<T>): Promise<T | undefined> {
    if (!this.secrets) return undefined;
    try {
      return await use(this.secrets);
    } catch {
      return undefined;
    }
  }
}
