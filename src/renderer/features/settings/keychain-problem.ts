import type { SecretsOverview } from '../../../shared/domain/security';

export interface KeychainProblemWords {
  /** One line: what it means for the person. */
  summary: string;
  /** The core's whole message (why, and how to set a keychain up), behind a disclosure; null when the line says it all. */
  details: string | null;
}

/**
 * What Settings → Secrets says when the keychain does not answer (`available` false: the core's KEYCHAIN_UNAVAILABLE).
 * The no-keychain message carries a paragraph of setup steps; said whole in red it buried what it means, so the page
 * leads with one line and keeps the steps a click away. A keyring changed under Portcullis is said as it is: its
 * message is the restart that mends it, and the no-keychain line would send the person to install what they have.
 */
export function keychainProblemWords({ available, problem, keyringChanged }: Pick<SecretsOverview, 'available' | 'problem' | 'keyringChanged'>): KeychainProblemWords {
  if (available || keyringChanged || problem === null) return { summary: problem ?? 'The OS keychain does not answer, so secrets cannot be stored or read.', details: null };
  return {
    summary: 'No OS keychain is available here, so secrets (model API keys, MCP credentials) cannot be stored; everything that needs none still works.',
    details: problem,
  };
}
