import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Principal } from '../../src/core/auth/scopes';
import type { Runtime } from '../../src/core/runtime/create-runtime';
import { mcpBin, writeMcpConfig } from './mcp';
import { startTestRuntime } from './test-runtime';
import { tempDir } from './temp-dir';

/** A policy under which a server's read_resource of text resource 2 is denied, and every other read allowed. */
const POLICY = `version: 1
rules:
  - id: deny.text-2
    effect: deny
    reason: Not resource 2.
    match:
      tool: "*.read_resource"
      args:
        uri:
          regex: "/text/2$"
`;

export const chatKey: Principal = { kind: 'api-key', id: 'key:script', scopes: ['chat'] };
export const adminJwt: Principal = { kind: 'jwt', id: 'ci', scopes: ['admin'] };

/**
 * A runtime for direct resource reads by scripts: server-everything three times over, sandboxed (`everything`),
 * unsandboxed (`loose`: its tools all ask, so a script's read, which no one can approve, is refused) and with its
 * resource reads turned off (`closed`), under the policy above.
 */
export async function startResourceGateRuntime(): Promise<Runtime> {
  const dataDir = tempDir();
  writeFileSync(join(dataDir, 'policy.yaml'), POLICY);
  writeMcpConfig(dataDir, {
    everything: { command: mcpBin('everything') },
    loose: { command: mcpBin('everything'), sandbox: false },
    closed: { command: mcpBin('everything'), disabledTools: ['resources/read'] },
  });
  const { runtime } = startTestRuntime({ dataDir });
  await runtime.mcp.settled();
  return runtime;
}
