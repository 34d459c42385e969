import { resolve } from 'node:path';
import { z } from 'zod';
import type { WorkspaceSource, WorkspaceStatus } from '../../shared/domain/workspace';
import { messageOf } from '../../shared/errors';
import type { AuditLog } from '../audit/audit-log';
import type { Clock } from '../clock';
import { realPrefix } from '../policy/matchers/resolve-path';
import type { SettingsStore } from '../storage/stores/settings-store';
import { defaultWorkspace } from './data-paths';
import { checkWorkspaceFolder, workspaceWarning } from './workspace-folder';

// In the settings table, not a file of its own: the runtime opens the database before anything captures the
// workspace (the tool workers, the MCP sandbox, the policy), so the choice is known in time.
const SETTING_KEY = 'workspace';
const ChosenWorkspaceSchema = z.string().min(1).nullable();

/** The workspace a start settled on, where that came from, and why the folder chosen in Settings was passed over. */
export interface ResolvedWorkspace {
  path: string;
  source: WorkspaceSource;
  problem: string | null;
}

/** The folder chosen in Settings, as stored (already checked, a real path); null: none. */
export function chosenWorkspace(settings: SettingsStore): string | null {
  return settings.get(SETTING_KEY, ChosenWorkspaceSchema, null);
}

/**
 * `--workspace` wins over the folder chosen in Settings, which wins over `<dataDir>/workspace`. A chosen folder
 * that can no longer be used (removed, now a file) gives the default and the reason, rather than no start at all.
 */
export function resolveWorkspace(options: { flag?: string | undefined; chosen: string | null; dataDir: string }): ResolvedWorkspace {
  if (options.flag !== undefined) return { path: resolve(options.flag), source: 'flag', problem: null };
  const fallback = defaultWorkspace(options.dataDir);
  if (options.chosen === null) return { path: fallback, source: 'default', problem: null };
  try {
    return { path: checkWorkspaceFolder(options.chosen, options.dataDir), source: 'setting', problem: null };
  } catch (error) {
    return { path: fallback, source: 'default', problem: `The workspace chosen in Settings cannot be used, so the default is: ${messageOf(error)}` };
  }
}

/**
 * The workspace in Settings: the folder in use (fixed for the runtime's life: the tool workers, the MCP sandbox
 * and the policy captured it) and the person's choice, which takes effect at the next start.
 */
export class WorkspaceChoice {
  constructor(
    private readonly deps: {
      settings: SettingsStore;
      inUse: ResolvedWorkspace;
      dataDir: string;
      /** The person's home folder, to warn when it is the workspace. */
      home: string;
      clock: Clock;
      audit: Pick<AuditLog, 'record'>;
    },
  ) {}

  status(): WorkspaceStatus {
    const { inUse, dataDir, home } = this.deps;
    const chosen = chosenWorkspace(this.deps.settings);
    const next = resolveWorkspace({ chosen, dataDir });
    return {
      path: inUse.path,
      source: inUse.source,
      chosen,
      defaultPath: defaultWorkspace(dataDir),
      // A flag given at this start says nothing of the next one; without it, the next start uses `next`.
      pending: inUse.source !== 'flag' && realPrefix(next.path) !== realPrefix(inUse.path),
      problem: next.problem,
      warning: workspaceWarning(inUse.path, home) ?? (chosen === null ? null : workspaceWarning(chosen, home)),
    };
  }

  /** Stores a checked folder, or null for the default; throws a `ValidationError` saying what is wrong with it. */
  set(path: string | null): WorkspaceStatus {
    const { settings, dataDir, clock } = this.deps;
    const before = chosenWorkspace(settings);
    const chosen = path === null ? null : checkWorkspaceFolder(path, dataDir);
    const at = clock.now();
    settings.set(SETTING_KEY, ChosenWorkspaceSchema, chosen, at);
    // Which folder the tools may touch is a governance fact: a change goes on the audit record.
    if (chosen !== before) this.deps.audit.record({ kind: 'workspace.changed', data: { from: before, to: chosen, inUse: this.deps.inUse.path } }, at);
    return this.status();
  }
}
