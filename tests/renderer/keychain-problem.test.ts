import { describe, expect, it } from 'vitest';
import { apiKeyKeychainWords, keychainProblemWords } from '../../src/renderer/features/settings/keychain-problem';

describe('keychainProblemWords', () => {
  it('leads the no-keychain message with one short line and keeps the setup steps as details', () => {
    // As KeychainUnavailableError says it on Linux (its setup steps cut short here).
    const problem =
      'No OS keychain is available (org.freedesktop.secrets was not provided by any .service files), so secrets cannot be stored or read. ' +
      'Portcullis keeps secrets only in a Secret Service keychain (GNOME Keyring, …). In a desktop session, install and start one ' +
      '(Debian/Ubuntu: `sudo apt install gnome-keyring`, then log out and in). … Secrets are never written to a plain file.';
    const words = keychainProblemWords({ available: false, problem, keyringChanged: false });
    expect(words.summary).toBe('No OS keychain is available here, so secrets (model API keys, MCP credentials) cannot be stored; everything that needs none still works.');
    expect(words.summary.length).toBeLessThan(160);
    expect(words.details).toBe(problem);
  });

  it('goes by the overview (the core\'s KEYCHAIN_UNAVAILABLE), not by the words of the message', () => {
    const problem = 'Worded otherwise: nothing keeps secrets on this machine. Install a keychain.';
    expect(keychainProblemWords({ available: false, problem, keyringChanged: false })).toEqual({
      summary: 'No OS keychain is available here, so secrets (model API keys, MCP credentials) cannot be stored; everything that needs none still works.',
      details: problem,
    });
  });

  it('says a keyring changed under Portcullis as it is', () => {
    const problem = "The OS keychain's keyring changed under Portcullis (gone). Restart Portcullis to read it again.";
    expect(keychainProblemWords({ available: false, problem, keyringChanged: true })).toEqual({ summary: problem, details: null });
    expect(keychainProblemWords({ available: false, problem: null, keyringChanged: false }).details).toBeNull();
  });
});

describe('apiKeyKeychainWords (Settings → Model, under a hosted API key)', () => {
  it('says a keyring changed under Portcullis is a restart away, not a keychain to set up', () => {
    const words = apiKeyKeychainWords({ keychainAvailable: false, keyringChanged: true });
    expect(words).toBe(
      "The OS keychain's keyring changed under Portcullis (another keyring daemon changed it), so an API key cannot be stored or read until Portcullis restarts: Test tries the key typed here, and Save needs the restart. Settings → Secrets says more.",
    );
    expect(words).not.toContain('No OS keychain');
  });

  it('says a missing keychain as before, and nothing when the keychain answers', () => {
    expect(apiKeyKeychainWords({ keychainAvailable: false, keyringChanged: false })).toBe(
      'No OS keychain is available here, so an API key cannot be stored: Test tries the key typed here, and Save needs a keychain. Settings → Secrets says how to set one up.',
    );
    expect(apiKeyKeychainWords({ keychainAvailable: true, keyringChanged: false })).toBeNull();
  });
});
