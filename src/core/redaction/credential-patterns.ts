/**
 * Common credential shapes masked even when no one registered them as secrets. Each keeps a short, harmless
 * prefix (the kind of credential) so a reader still sees what was there.
 */
export interface CredentialPattern {
  name: string;
  pattern: RegExp;
  /** The replacement; `$1` etc. refer to the pattern's groups. */
  replace: string;
}

export const CREDENTIAL_PATTERNS: readonly CredentialPattern[] = [
  {
    name: 'private-key',
    pattern: /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----|$)/g,
    replace: '[REDACTED:private-key]',
  },
  { name: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{8,}/g, replace: '[REDACTED:jwt]' },
  { name: 'bearer', pattern: /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}/gi, replace: '$1 [REDACTED:token]' },
  // Provider API keys: OpenAI/Anthropic (sk-…), GitHub, GitLab, Slack, AWS, Google, Stripe, Hugging Face.
  { name: 'sk-key', pattern: /\b(sk|rk|pk)-(?:[A-Za-z0-9]+-)*[A-Za-z0-9_-]{16,}/g, replace: '[REDACTED:api-key]' },
  { name: 'github', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g, replace: '[REDACTED:api-key]' },
  { name: 'gitlab', pattern: /\bglpat-[A-Za-z0-9_-]{16,}/g, replace: '[REDACTED:api-key]' },
  { name: 'slack', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, replace: '[REDACTED:api-key]' },
  { name: 'aws', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, replace: '[REDACTED:api-key]' },
  { name: 'google', pattern: /\bAIza[0-9A-Za-z_-]{35}/g, replace: '[REDACTED:api-key]' },
  { name: 'stripe', pattern: /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}/g, replace: '[REDACTED:api-key]' },
  { name: 'huggingface', pattern: /\bhf_[A-Za-z0-9]{30,}/g, replace: '[REDACTED:api-key]' },
  // A password inside a URL (a database connection string a server prints): the user and host stay readable. The
  // scheme is at most 32 characters: unbounded, every word of a long a.b.c-d run began a scan to its end (100 KB of
  // a page or a server's output took 4 s, 1 MB minutes, on the thread that runs everything).
  { name: 'url-password', pattern: /\b([a-z][a-z0-9+.-]{0,31}:\/\/[^\s/:@]*:)[^\s/@]+@/gi, replace: '$1[REDACTED]@' },
  // key=value / "key": "value" where the key says it is a secret.
  {
    name: 'assignment',
    pattern: /\b((?:api[_-]?key|apikey|secret|client[_-]?secret|password|passwd|pwd|access[_-]?token|refresh[_-]?token|auth[_-]?token|token)\\?["']?\s*[:=]\s*\\?["']?)([^\s"'\\,;&}]{6,})/gi,
    replace: '$1[REDACTED]',
  },
];
