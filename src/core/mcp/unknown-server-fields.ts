import { nearestToolName } from '../tools/nearest-tool-name';
import { McpServerConfigSchema, SandboxProfileSchema } from './mcp-config';

/** Every field an `mcpServers` entry may have here: a stdio server's and a remote one's (Claude Desktop's and Portcullis'). */
const KNOWN_FIELDS: readonly string[] = [...new Set(McpServerConfigSchema.options.flatMap((kind) => Object.keys(kind.shape)))];
const SANDBOX_FIELDS: readonly string[] = Object.keys(SandboxProfileSchema.shape);

/**
 * Other MCP hosts' fields, which configs pasted or imported from them carry: not Portcullis' to use, left aside
 * without a word. Cline's and Roo Code's `disabled` (read as `"enabled": false`), `timeout` (seconds: said apart, below),
 * `transportType` and `watchPaths`; Cursor's and VS Code's `envFile`, VS Code's `dev` and `gallery`; Gemini CLI's
 * `includeTools`, `excludeTools`, `httpUrl` and `authProviderType`; Windsurf's `serverUrl`; a `description` or `name`
 * some write as a note. `autoApprove`, `alwaysAllow` and `trust` are said on the row already (ignored-approval-fields.ts).
 */
const OTHER_HOSTS_FIELDS: ReadonlySet<string> = new Set([
  'disabled', 'timeout', 'transportType', 'watchPaths', 'envFile', 'dev', 'gallery', 'includeTools', 'excludeTools',
  'httpUrl', 'serverUrl', 'authProviderType', 'description', 'name', 'autoApprove', 'alwaysAllow', 'trust',
]);

/**
 * Cline's and Roo Code's `timeout` (seconds), which pasted entries carry: a person who set it expects it to hold, and
 * here a call waits what `timeoutMs` says (its default when the entry has none). Said with both, unless they agree.
 */
function clineTimeoutNote(entry: Record<string, unknown>): string | null {
  if (!('timeout' in entry)) return null;
  const seconds = entry.timeout;
  const wanted = typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) : null;
  const inForce = typeof entry.timeoutMs === 'number' ? entry.timeoutMs : null;
  if (wanted !== null && wanted === inForce) return null;
  const now = inForce !== null ? ` (this server's: ${inForce})` : '';
  return `"timeout" (Cline's, in seconds) is not used: Portcullis reads "timeoutMs", in milliseconds${now}${wanted !== null ? `; for ${seconds} s: "timeoutMs": ${wanted}` : ''}.`;
}

/**
 * Other words for a field Portcullis names otherwise, too far from it for a typo's guess: Goose's `cmd`, a short `arg`,
 * the spelled-out `environment` (and its misspellings, within a typo of it), a working directory, a remote's `uri`.
 */
const OTHER_NAMES: Readonly<Record<string, string>> = {
  arg: 'args', argv: 'args', arguments: 'args', cmd: 'command', environment: 'env', environmentvariables: 'env', envvars: 'env',
  header: 'headers', workingdirectory: 'cwd', working_dir: 'cwd', workdir: 'cwd', uri: 'url', endpoint: 'url',
};

/** The field a name likely meant: one of Portcullis' within a typo, or one of `OTHER_NAMES` (or within a typo of it). */
function fieldMeant(field: string): string | undefined {
  const lower = field.toLowerCase();
  return OTHER_NAMES[lower] ?? nearestToolName(field, KNOWN_FIELDS) ?? OTHER_NAMES[nearestToolName(lower, Object.keys(OTHER_NAMES)) ?? ''];
}

/** A key written as a comment (`"//"`, `"_note"`, `"#"`, `"$comment"`): the person's note, not a setting. */
const COMMENT_KEY = /^(\/\/|_|#|\$)/;

/**
 * The fields of a server's entry Portcullis does not know, each said with the one it likely meant ("timeoutMS" →
 * "timeoutMs", "allowedDomains" at the top → inside "sandbox"). Such a field is not used: the server starts without
 * it, so a mistyped setting would otherwise go unseen (a timeout left at its default, a grant missing). Said on the
 * server's row, in `tools list` and in the log; never a problem, which would refuse the page's Save.
 */
export function unknownFieldNotes(entry: Record<string, unknown>): string[] {
  const timeout = clineTimeoutNote(entry);
  const notes: string[] = timeout ? [timeout] : [];
  for (const field of Object.keys(entry)) {
    if (KNOWN_FIELDS.includes(field) || OTHER_HOSTS_FIELDS.has(field) || COMMENT_KEY.test(field)) continue;
    const meant = fieldMeant(field);
    const inSandbox = meant ? undefined : nearestToolName(field, SANDBOX_FIELDS);
    const guess = meant ? `: did you mean "${meant}"?` : inSandbox ? `: did you mean "sandbox": { "${inSandbox}": … }?` : '.';
    notes.push(`"${field}" is not a field Portcullis knows, so it is not used${guess}`);
  }
  return notes;
}
