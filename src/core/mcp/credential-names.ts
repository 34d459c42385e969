/**
 * Whether an env variable, header or command-line option is named for a credential (GITHUB_PERSONAL_ACCESS_TOKEN,
 * OPENAI_API_KEY, PGPASSWORD, SENTRY_DSN, Authorization, --api-key…). Read word by word (`_`, `-`, `.`, camelCase),
 * so AUTHOR_NAME or TOKENIZERS_PARALLELISM are not taken for one, and a name that ends by saying it holds something
 * else (`_FILE`, `_PATH`, `_ID`, `_URL`, `_TYPE`…) is the place or kind of a credential, not the credential.
 */
export function isCredentialName(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const last = words.at(-1);
  // PWD and OLDPWD are the shell's folders, not MySQL's password (MYSQL_PWD).
  if (last === undefined || /^(old)?pwd$/.test(words.join(''))) return false;
  // A webhook's address is its credential (Slack's, Discord's): whoever has it can post.
  if (words.includes('webhook')) return true;
  if (NOT_THE_CREDENTIAL.has(last) || /(file|path|dir)$/.test(last)) return false;
  if (words.join('').includes('connectionstring')) return true;
  return words.some((word, i) => CREDENTIAL_WORDS.has(word) || CREDENTIAL_INSIDE.test(word) || (word === 'key' && !NOT_A_SECRET_KEY.has(words[i - 1] ?? '')));
}

/** Words that name a credential on their own (PGPASS, MYSQL_PWD, GITLAB_PAT, SENTRY_DSN, REDIS_AUTH…). */
const CREDENTIAL_WORDS = new Set(['pass', 'pwd', 'pw', 'pat', 'dsn', 'auth', 'authorization', 'jwt', 'bearer', 'cookie', 'cookies', 'creds', 'otp', 'totp', 'apikey', 'passkey']);

/** Word parts that make a credential of any word (PGPASSWORD, PGPASS, ACCESSTOKEN, CLIENTSECRET, APIKEY, credentials). */
const CREDENTIAL_INSIDE = /passw(or)?d|passphrase|(?<!by|com|sur|over|under)pass$|secret|token$|apikey|credential/;

/** Last words that say the value is about a credential, not one (TOKEN_URL, AUTH_TYPE, CLIENT_ID, TOKEN_LIMIT…). */
const NOT_THE_CREDENTIAL = new Set([
  'id', 'ids', 'url', 'uri', 'urls', 'endpoint', 'host', 'hostname', 'port', 'name', 'user', 'username', 'email',
  'type', 'mode', 'method', 'scope', 'scopes', 'region', 'enabled', 'disabled', 'required', 'limit', 'limits',
  'count', 'max', 'min', 'size', 'length', 'timeout', 'ttl', 'expiry', 'expires', 'version', 'format', 'env',
  'provider', 'issuer', 'audience', 'algorithm', 'alg', 'strategy', 'level', 'budget',
]);

/** `*_KEY` is a secret (STRIPE_KEY, ENCRYPTION_KEY) except keys of another kind (PUBLIC_KEY, SORT_KEY…). */
const NOT_A_SECRET_KEY = new Set(['public', 'sort', 'partition', 'primary', 'foreign', 'cache', 'idempotency', 'shortcut', 'hot', 'lookup', 'group', 'routing', 'dedup', 'pub']);
