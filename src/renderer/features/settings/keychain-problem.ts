/** The start of the core's "no keychain" problem (KeychainUnavailableError), whatever its detail and how-to-fix. */
const NO_KEYCHAIN = 'No OS keychain is available';

export interface KeychainProblemWords {
  /** One line: what it means for the person. */
  summary: string;
  /** The core's whole message (why, and how to set a keychain up), behind a disclosure; null when the line says it all. */
  details: string | null;
}

/**
 * What Settings → Secrets says when the keychain does not answer. The no-keychain message carries a paragraph of
 * setup steps; said whole in red it buried what it means, so the page leads with one line and keeps the steps a click away.
 */
export function keychainProblemWords(problem: string | null): KeychainProblemWords {
  if (!problem?.startsWith(NO_KEYCHAIN)) return { summary: problem ?? 'The OS keychain does not answer, so secrets cannot be stored or read.', details: null };
  return {
    summary: 'No OS keychain is available here, so secrets (model API keys, MCP credentials) cannot be stored; everything that needs none still works.',
    details: problem,
  };
}
