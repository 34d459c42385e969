import { nearestToolName } from '../tools/nearest-tool-name';
import { McpServerConfigSchema, SandboxProfileSchema } from './mcp-config';

/** Every field an `mcpServers` entry may have here: a stdio server's and a remote one's (Claude Desktop's and Portcullis'). */
const KNOWN_FIELDS: readonly string[] = [...new Set(McpServerConfigSchema.options.flatMap((kind) => Object.keys(kind.shape)))];
const SANDBOX_FIELDS: readonly string[] = Object.keys(SandboxProfileSchema.shape);

/**
 * Other MCP hosts' fields, which configs pasted or imported from them carry: not Portcullis' to use, left aside
 * without a word. Cline's and Roo Code's `disabled` (read as `"enabled": false`), `timeout` (seconds),
 * `transportType` and `watchPaths`; Cursor's and VS Code's `envFile`, VS Code's `dev` and `gallery`; Gemini CLI's
 * `includeTools`, `excludeTools`, `httpUrl` and `authProviderType`; Windsurf's `serverUrl`; a `description` or `name`
 * some write as a note. `autoApprove`, `alwaysAllow` and `trust` are said on the row already (ignored-approval-fields.ts).
 */
const OTHER_HOSTS_FIELDS: ReadonlySet<string> = new Set([
  'disabled', 'timeout', 'transportType', 'watchPaths', 'envFile', 'dev', 'gallery', 'includeTools', 'excludeTools',
  'httpUrl', 'serverUrl', 'authProviderType', 'description', 'name', 'autoApprove', 'alwaysAllow', 'trust',
]);

/** A key written as a comment (`"//"`, `"_note"`, `"#"`, `"$comment"`): the person's note, not a setting. */
const COMMENT_KEY = /^(\/\/|_|#|\$)/;

/**
 * The fields of a server's entry Portcullis does not know, each said with the one it likely meant ("timeoutMS" →
 * "timeoutMs", "allowedDomains" at the top → inside "sandbox"). Such a field is not used: the server starts without
 * it, so a mistyped setting would otherwise go unseen (a timeout left at its default, a grant missing). Said on the
 * server's row, in `tools list` and in the log; never a problem, which would refuse the page's Save.
 */
export function unknownFieldNotes(entry: Record<string, unknown>): string[] {
  const notes: string[] = [];
  for (const field of Object.keys(entry)) {
    if (KNOWN_FIELDS.includes(field) || OTHER_HOSTS_FIELDS.has(field) || COMMENT_KEY.test(field)) continue;
    const meant = nearestToolName(field, KNOWN_FIELDS);
    const inSandbox = meant ? undefined : nearestToolName(field, SANDBOX_FIELDS);
    const guess = meant ? `: did you mean "${meant}"?` : inSandbox ? `: did you mean "sandbox": { "${inSandbox}": … }?` : '.';
    notes.push(`"${field}" is not a field Portcullis knows, so it is not used${guess}`);
  }
  return notes;
}
