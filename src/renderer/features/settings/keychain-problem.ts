import type { ModelSettings } from '../../../shared/domain/model-settings';
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

/**
 * What Settings → Model says under a hosted provider's API key when the keychain does not answer, before a key is
 * pasted rather than at Save; null when it answers. A keyring changed under Portcullis is a restart away, not a
 * keychain to set up.
 */
export function apiKeyKeychainWords({ keychainAvailable, keyringChanged }: Pick<ModelSettings, 'keychainAvailable' | 'keyringChanged'>): string | null {
  if (keychainAvailable) return null;
  if (keyringChanged) {
    return (
      "The OS keychain's keyring changed under Portcullis (another keyring daemon changed it), so an API key cannot be " +
      'stored or read until Portcullis restarts: Test tries the key typed here, and Save needs the restart. Settings → Secrets says more.'
    );
  }
  return 'No OS keychain is available here, so an API key cannot be stored: Test tries the key typed here, and Save needs a keychain. Settings → Secrets says how to set one up.';
}
