import { z } from 'zod';

/** Where the workspace in use came from: the `--workspace` flag, the folder chosen in Settings, or the default. */
export const WorkspaceSourceSchema = z.enum(['flag', 'setting', 'default']);
export type WorkspaceSource = z.infer<typeof WorkspaceSourceSchema>;

/** The workspace: the one folder the built-in tools may read and write, `${workspace}` in policy.yaml. */
export const WorkspaceStatusSchema = z.object({
  /** The folder in use since Portcullis started; a new choice takes effect at the next start. */
  path: z.string(),
  source: WorkspaceSourceSchema,
  /** The folder chosen in Settings; null: none, so the default. */
  chosen: z.string().nullable(),
  /** `<dataDir>/workspace`. */
  defaultPath: z.string(),
  /** The next start (without `--workspace`) will use another folder than the one in use: restart to use it. */
  pending: z.boolean(),
  /** Why the folder chosen in Settings cannot be used (it was removed, ...), so the default is used instead. */
  problem: z.string().nullable(),
  /** Something to know about the folder, such as that it is the whole home folder. */
  warning: z.string().nullable(),
});
export type WorkspaceStatus = z.infer<typeof WorkspaceStatusSchema>;
