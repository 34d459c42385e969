import { posix } from 'node:path';
import type { ArgMatcher } from '../../shared/domain/policy';
import { urlHost } from '../policy/matchers/url-host';

const PATH_KEYS = /^(path|paths|file|files|filename|dir|directory|folder|source|destination|target|cwd)$/i;
const URL_KEYS = /^(url|uri|href|endpoint)$/i;
const FREE_TEXT_KEYS = /^(content|contents|text|body|message|data|patch|diff)$/i;
const GLOB_CHARS = /[*?[\]{}()!+@\\|,]/;

/**
 * The argument pattern "Always allow…" proposes: narrowed to these arguments. Paths stay exact (the person
 * can widen to a glob), URLs become their domain, other values are pinned, a list of them to its values; long free
 * text (file content, messages) is left open because pinning it would make the rule never match again. Arguments
 * the tool takes (`properties`) but this call left out must stay out: "always allow run when command is ls" would
 * otherwise allow `ls` with any `args` the tool also takes. A long or many-line command is pinned too: left open, the
 * rule would allow every command, while its words named only the arguments pinned.
 */
export function proposeRuleArgs(args: Record<string, unknown>, properties: readonly string[] = []): Record<string, ArgMatcher> {
  const pattern: Record<string, ArgMatcher> = {};
  for (const [key, value] of Object.entries(args)) {
    if (FREE_TEXT_KEYS.test(key)) continue;
    if (typeof value === 'string' && PATH_KEYS.test(key)) {
      const path = posix.normalize(value.replaceAll('\\', '/')).replace(/(.)\/+$/, '$1');
      // Glob characters, `..` and the workspace itself are pinned as the exact value: escaping is not reliable
      // across glob engines, and a relative glob never reaches outside the workspace.
      const exact = GLOB_CHARS.test(path) || path === '.' || path === '..' || path.startsWith('../') || value.includes('\\');
      pattern[key] = exact ? { enum: [value] } : { glob: [path] };
    } else if (typeof value === 'string' && URL_KEYS.test(key)) {
      const host = urlHost(value);
      pattern[key] = host ? { domain: [host] } : { enum: [value] };
    } else if (isPinnable(value)) {
      pattern[key] = { enum: [value] };
    } else if (Array.isArray(value) && value.length > 0 && value.every(isPinnable)) {
      // An allow rule holds for a list when every element does: each element one of these.
      pattern[key] = { enum: [...new Set(value)] };
    }
  }
  for (const key of properties) {
    if (!Object.hasOwn(args, key) && !FREE_TEXT_KEYS.test(key)) pattern[key] = { present: false };
  }
  return pattern;
}

const isPinnable = (value: unknown): value is string | number | boolean | null =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null;

/**
 * The arguments a tool's input schema lists that could carry what a call does (text, lists, objects): not a number,
 * a yes/no or one of named values (`state`, `page`, `sort`), which a rule need not keep out, so that "always allow
 * list_issues" does not ask again for the model's `state: "open"`.
 */
export function schemaProperties(inputSchema: Record<string, unknown>): string[] {
  const properties = inputSchema.properties;
  if (properties === null || typeof properties !== 'object' || Array.isArray(properties)) return [];
  return Object.entries(properties as Record<string, unknown>).filter(([, schema]) => !bounded(schema)).map(([name]) => name);
}

function bounded(schema: unknown): boolean {
  if (schema === null || typeof schema !== 'object') return false;
  const { type, enum: values, const: fixed } = schema as { type?: unknown; enum?: unknown; const?: unknown };
  return Array.isArray(values) || fixed !== undefined || type === 'number' || type === 'integer' || type === 'boolean';
}
