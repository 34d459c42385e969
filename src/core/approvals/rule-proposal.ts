import { posix } from 'node:path';
import type { ArgMatcher } from '../../shared/domain/policy';
import { urlHost } from '../policy/matchers/url-host';

const PATH_KEYS = /^(path|paths|file|files|filename|dir|directory|folder|source|destination|target|cwd)$/i;
const URL_KEYS = /^(url|uri|href|endpoint)$/i;
const FREE_TEXT_KEYS = /^(content|contents|text|body|message|data|patch|diff)$/i;
const MAX_ENUM_LENGTH = 200;
const GLOB_CHARS = /[*?[\]{}()!+@\\|,]/;

/**
 * The argument pattern "Always allow…" proposes: narrowed to these arguments. Paths stay exact (the person
 * can widen to a glob), URLs become their domain, short values are pinned; long free text (file content,
 * messages) is left open because pinning it would make the rule never match again.
 */
export function proposeRuleArgs(args: Record<string, unknown>): Record<string, ArgMatcher> {
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
    } else if (typeof value === 'number' || typeof value === 'boolean') {
      pattern[key] = { enum: [value] };
    } else if (typeof value === 'string' && value.length <= MAX_ENUM_LENGTH && !value.includes('\n')) {
      pattern[key] = { enum: [value] };
    }
  }
  return pattern;
}
