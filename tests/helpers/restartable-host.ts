import { onTestFinished } from 'vitest';
import { startHeadlessServer, type HeadlessServer } from '../../src/server/headless-server';
import { startTestRuntime, type TestRuntime } from './test-runtime';
import { tempDir } from './temp-dir';

/**
 * Portcullis (runtime and API host) started, stopped and started again on one data folder and one port, as the
 * desktop app or `serve` is after an update, a crash or the person quitting and reopening it.
 */
export function restartableHost() {
  const dataDir = tempDir();
  let port = 0;
  let running: { t: TestRuntime; server: HeadlessServer } | null = null;
  return {
    dataDir,
    async start(): Promise<TestRuntime> {
      const t = startTestRuntime({ dataDir });
      const server = await startHeadlessServer({ runtime: t.runtime, port });
      port = server.port;
      running = { t, server };
      onTestFinished(() => server.close());
      return t;
    },
    async stop(): Promise<void> {
      await running!.server.close();
      await running!.t.runtime.dispose();
      running = null;
      // A restart takes seconds; within milliseconds a client's fetch may not yet have seen the old process close
      // the connection it keeps alive, and would send its next request on it ("other side closed").
      await new Promise((resolve) => setTimeout(resolve, 500));
    },
    get port(): number {
      return port;
    },
    get url(): URL {
      return new URL(`http://127.0.0.1:${port}/mcp`);
    },
  };
}
