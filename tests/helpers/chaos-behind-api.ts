import { onTestFinished } from 'vitest';
import { startHeadlessServer, type HeadlessServerOptions } from '../../src/server/headless-server';
import { chaosServer, writeMcpConfig } from './mcp';
import { tempDir } from './temp-dir';
import { startTestRuntime, type TestRuntime } from './test-runtime';

/**
 * A Portcullis with the chaos server (its prompts and resources too; its resources are read by its read_resource
 * tool), its servers settled, behind the local API and `/mcp` until the test ends. `prepare` writes what else the data
 * folder holds before it starts (jwt.json); `serve`, given the folder, how it is served (a JWT verifier, a log).
 */
export async function chaosBehindLocalApi(
  options: { prepare?(dataDir: string): void; serve?(dataDir: string): Omit<HeadlessServerOptions, 'runtime'> | Promise<Omit<HeadlessServerOptions, 'runtime'>> } = {},
): Promise<TestRuntime & { port: number }> {
  const dataDir = tempDir();
  writeMcpConfig(dataDir, { chaos: { command: process.execPath, args: [chaosServer, '--prompts', 'leaky'] } });
  options.prepare?.(dataDir);
  const t = startTestRuntime({ dataDir });
  await t.runtime.mcp.settled();
  const server = await startHeadlessServer({ runtime: t.runtime, ...(await options.serve?.(dataDir)) });
  onTestFinished(() => server.close());
  return { ...t, port: server.port };
}

