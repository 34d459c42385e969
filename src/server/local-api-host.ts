import { loadJwtConfig } from '../core/auth/jwt-config';
import { JwtVerifier } from '../core/auth/jwt-verifier';
import type { Disposable } from '../core/lifecycle/disposable';
import type { Runtime } from '../core/runtime/create-runtime';
import type { LocalApiSetting } from '../shared/domain/security';
import { startHeadlessServer, type HeadlessServer } from './headless-server';
import { messageOf } from '../shared/errors';

/**
 * The desktop app's local API: the same server as `portcullis serve`, API-only (no renderer, no session token,
 * so only API keys and JWTs get in), started and stopped as the person flips the setting in Settings. While it is
 * off, a server that lets in only a `portcullis` command on the app's data folder (terminal-access.json), on a Unix
 * socket, runs instead.
 */
export function manageLocalApi(
  runtime: Runtime,
  onError: (error: unknown) => void = (error) => console.error('portcullis: the local API could not start', error),
): Disposable & { settled(): Promise<void> } {
  let server: HeadlessServer | null = null;
  let queue = Promise.resolve();
  let disposing = false;

  const apply = (setting: LocalApiSetting): void => {
    queue = queue.then(async () => {
      if (server) {
        await server.close();
        server = null;
      }
      runtime.localApi.setStatus({ running: false, url: null, problem: null });
      if (!setting.enabled) {
        // Off, the app still lets a `portcullis` command on its folder in (its token alone, on a Unix socket: nothing
        // listens on the network), so `tools list` and `tools call` show its servers and make its calls, not copies'.
        if (runtime.ownsDataFolder && !disposing) server = await startHeadlessServer({ runtime, terminalOnly: true }).catch((error: unknown) => (onError(error), null));
        return;
      }
      try {
        const config = loadJwtConfig(runtime.paths.dataDir);
        const jwt = config ? await JwtVerifier.create(config, runtime.secretStore) : null;
        server = await startHeadlessServer({ runtime, port: setting.port, jwt });
        runtime.localApi.setStatus({ running: true, url: `http://127.0.0.1:${server.port}/api`, problem: null });
      } catch (error) {
        const reason = (error as { code?: string }).code === 'EADDRINUSE' ? `port ${setting.port} is in use; choose another port` : messageOf(error);
        runtime.localApi.setStatus({ running: false, url: null, problem: `The local API could not start: ${reason}.` });
        onError(error);
      }
    });
  };

  apply(runtime.localApi.get());
  const subscription = runtime.localApi.onDidChange(apply);
  return {
    settled: () => queue,
    dispose: async () => {
      disposing = true;
      subscription.dispose();
      apply({ ...runtime.localApi.get(), enabled: false });
      await queue;
    },
  };
}
