/**
 * Values that a credential-named option or variable takes as a setting, not a secret: `--auth none`, `--auth oauth`,
 * `REDIS_AUTH=false`, `--token-refresh 300`. Moving them to the keychain hides an ordinary choice from the person
 * (the page shows it hidden) and masks the word wherever the server says it. Only whole, well-known words and short
 * numbers: anything else under such a name (`--password postgres`, a 6-digit number) is still taken for a credential.
 */
const SETTING_WORDS = new Set([
  'none', 'no', 'yes', 'true', 'false', 'on', 'off', 'null', 'nil', 'auto', 'default', 'enabled', 'disabled', 'enable',
  'disable', 'required', 'optional', 'oauth', 'oauth2', 'oidc', 'basic', 'bearer', 'digest', 'token', 'jwt', 'apikey',
  'api-key', 'api_key', 'header', 'env', 'query', 'cookie', 'session', 'anonymous', 'keychain', 'keyring', 'prompt',
]);

/** Up to 5 digits: a port, a timeout, a count, a 0/1 switch; a longer number may be a PIN or an id-like token. */
const SHORT_NUMBER = /^\d{1,5}$/;

export function isPlainSetting(value: string): boolean {
  const trimmed = value.trim();
  return SETTING_WORDS.has(trimmed.toLowerCase()) || SHORT_NUMBER.test(trimmed);
}
