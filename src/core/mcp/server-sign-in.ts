import { auth } from '@modelcontextprotocol/sdk/client/auth.js';
import { messageOf } from '../../shared/errors';
import type { KeptOAuthClient } from './connection-transport';
import { isStdio, type McpServerConfig } from './mcp-config';
import type { OAuthCallbackServer } from './oauth/oauth-callback-server';
import { type Revocation, revokeTokens } from './oauth/revoke-tokens';

/** What signing in to a remote server needs of its connection. */
export interface SignInSite {
  readonly name: string;
  readonly config: McpServerConfig;
  /** Where sign-ins return; without it, no sign-in is waited for. */
  readonly callback: OAuthCallbackServer | undefined;
  /** Whether the attempt of `generation` no longer counts: the connection stopped, or started another since. */
  superseded(generation: number): boolean;
  /** The server is down for now, and why: it waits for the person, or their sign-in failed. */
  failed(reason: string): void;
  /** Connects again, once signed in. */
  connect(): Promise<void>;
}

/**
 * A remote server's OAuth sign-in: whether the person is signed in, where they sign in while the server waits for
 * them, the browser's return with a code, and signing out.
 */
export class ServerSignIn {
  /** The OAuth client, once the server asked for one (no Authorization header of the person's own), and its secret. */
  readonly client: KeptOAuthClient = { secrets: [] };

  constructor(private readonly site: SignInSite) {}

  get signedIn(): boolean {
    return this.client.provider?.signedIn ?? false;
  }

  /** Where the person signs in, once the server refused the tokens it has (or it has none); null otherwise. */
  get url(): string | null {
    return this.client.provider?.signInUrl ?? null;
  }

  /** Whether this connection tried to sign in: a failure to connect may then be the sign-in's. */
  get attempted(): boolean {
    return this.client.provider?.attempted === true;
  }

  /** Revokes this server's tokens where it allows that, and forgets them and its registration, in the keychain too. */
  async signOut(): Promise<Revocation> {
    const provider = this.client.provider;
    const { config } = this.site;
    if (!provider || isStdio(config)) return { kind: 'unsupported' };
    const tokens = await provider.tokens();
    const revocation = tokens ? await revokeTokens(config.url, tokens, await provider.clientInformation()) : ({ kind: 'unsupported' } as const);
    await provider.invalidateCredentials('all');
    return revocation;
  }

  /**
   * The server wants the person to sign in: no retries meanwhile (each would start another sign-in); once the
   * browser comes back with a code, it is exchanged for tokens and the server is connected.
   */
  waitForBrowser(generation: number): void {
    const provider = this.client.provider;
    const { name, config, callback } = this.site;
    if (!provider || !callback || isStdio(config)) return;
    const url = config.url;
    this.site.failed('it needs you to sign in: use Sign in on the Tools & servers page, then come back');
    callback
      .expect(name, provider.expectedState)
      .then(async (code) => {
        if (this.site.superseded(generation)) return;
        await auth(provider, { serverUrl: url, authorizationCode: code });
        await this.site.connect();
      })
      .catch((error: unknown) => {
        if (this.site.superseded(generation)) return;
        this.site.failed(`signing in did not complete (${messageOf(error)}); use Restart to try again`);
      });
  }
}
