import type { RequestHandlers } from '../../shared/api/contract';
import { AppError } from '../../shared/errors';
import type { ApiKeyService } from '../auth/api-keys';
import type { LocalApiControl } from '../auth/local-api-control';
import { keychainFixHint, KeyringChangedError } from '../secrets/keychain-unavailable';
import type { SecretStore } from '../secrets/secret-store';

export interface SecurityHandlerDeps {
  secrets: SecretStore | null;
  apiKeys: ApiKeyService;
  localApi: LocalApiControl;
  /** After a secret is set: servers that failed for want of it start again (`McpManager.retryWaitingOn`). */
  secretSet?(name: string): Promise<unknown>;
}

type SecurityChannels = 'secrets.list' | 'secrets.set' | 'secrets.delete' | 'apiKeys.list' | 'apiKeys.create' | 'apiKeys.update' | 'apiKeys.revoke' | 'localApi.get' | 'localApi.set';

function requireStore(secrets: SecretStore | null): SecretStore {
  if (!secrets) throw new AppError('KEYCHAIN_UNAVAILABLE', `This host has no OS keychain connected. ${keychainFixHint()}`);
  return secrets;
}

/** Settings → Secrets, API keys and the local API. Secret values go in and never come back out. */
export function createSecurityHandlers(deps: SecurityHandlerDeps): Pick<RequestHandlers, SecurityChannels> {
  return {
    'secrets.list': async () => {
      try {
        const names = await requireStore(deps.secrets).list();
        return { available: true, problem: null, keyringChanged: false, secrets: names.map((name) => ({ name, set: true })) };
      } catch (error) {
        if (error instanceof AppError && error.code === 'KEYCHAIN_UNAVAILABLE') {
          return { available: false, problem: error.message, keyringChanged: error instanceof KeyringChangedError, secrets: [] };
        }
        throw error;
      }
    },
    'secrets.set': async ({ name, value }) => {
      await requireStore(deps.secrets).set(name, value);
      await deps.secretSet?.(name);
      return { name, set: true };
    },
    'secrets.delete': async ({ name }) => {
      await requireStore(deps.secrets).delete(name);
      return { name, set: false };
    },
    'apiKeys.list': async () => deps.apiKeys.list(),
    'apiKeys.create': async ({ name, scopes, expiresAt, tools }) => {
      try {
        return deps.apiKeys.create({ name, scopes, expiresAt: expiresAt ?? null, tools: tools ?? null });
      } catch (error) {
        throw new AppError('VALIDATION_FAILED', (error as Error).message);
      }
    },
    'apiKeys.update': async ({ id, scopes, tools }) => {
      try {
        return deps.apiKeys.update(id, { ...(scopes ? { scopes } : {}), ...(tools === undefined ? {} : { tools }) });
      } catch (error) {
        if (error instanceof AppError) throw error;
        throw new AppError('VALIDATION_FAILED', (error as Error).message);
      }
    },
    'apiKeys.revoke': async ({ id }) => ({ revoked: deps.apiKeys.revoke(id) }),
    'localApi.get': async () => deps.localApi.describe(),
    'localApi.set': async (value) => {
      deps.localApi.set(value);
      return deps.localApi.describe();
    },
  };
}
