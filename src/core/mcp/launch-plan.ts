import type { SandboxGrants } from '../../shared/domain/tool-catalog';
import type { McpServerConfig } from './mcp-config';

/** How a stdio server's command is actually launched: as configured, or wrapped in an OS sandbox. */
export interface LaunchPlan {
  command: string;
  args: string[];
  sandboxed: boolean;
  /** Variables the sandbox needs on top of the server's own (e.g. its network proxy). */
  env?: Record<string, string>;
  /**
   * The server's own variables the sandbox sets inside itself (`inside-only-variables.ts`): not given to the process
   * started on the host (bash, bubblewrap), which they would steer (`BASH_ENV`, `LD_PRELOAD`, `PATH`).
   */
  keptFromHost?: string[];
  /** Why the server runs unsandboxed, when it does, or what part of the sandbox is missing. */
  note?: string;
  /** Called once the launched process is gone or being stopped: frees what the launch holds (its cgroup). */
  release?: () => Promise<void>;
  /** What the sandbox has refused this launch so far (a domain not granted, …), to say why a server failed. */
  refusals?: () => readonly string[];
  /** What a sandboxed launch may write and reach, and its limits: the Tools & servers page shows them. */
  grants?: SandboxGrants;
}

/** What a launch's planning tells its server's connection as it goes: the package fetch of an npx server. */
export interface LaunchProgress {
  /** Its packages are being fetched (npx's first start downloads them): said on its row while it starts. */
  fetching?(packages: readonly string[]): void;
}

/** Plans each launch of a stdio server: the host's OS sandbox wraps its command. */
export type CommandWrapper = (server: string, config: McpServerConfig & { command: string; args: string[] }, progress?: LaunchProgress) => Promise<LaunchPlan>;
