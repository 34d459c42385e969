import { AppError } from '../../shared/errors';

/** How to get a keychain, per platform; shown wherever a secret could not be read or written. */
export function keychainFixHint(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'linux') {
    return (
      'Portcullis keeps secrets only in a Secret Service keychain (GNOME Keyring, KWallet or KeePassXC with its ' +
      'Secret Service option). In a desktop session, install and start one (Debian/Ubuntu: `sudo apt install ' +
      'gnome-keyring`, then log out and in). On a headless machine, run Portcullis inside a D-Bus session with an ' +
      'unlocked keyring: `dbus-run-session -- sh -c \'printf "%s" "$KEYRING_PASSWORD" | gnome-keyring-daemon ' +
      "--unlock --components=secrets >/dev/null; portcullis serve'` (the keyring is kept in ~/.local/share/keyrings; " +
      'while it runs, set secrets in Settings → Secrets: `portcullis secrets set` wrapped the same way, only while it ' +
      'does not, since a second keyring daemon leaves the running one unable to read it until a restart). ' +
      'scripts/with-keyring.sh, made for the tests, gives a throwaway ' +
      'keyring and home folder instead: what is stored in them, and the data folder unless you pass --data-dir, is ' +
      'gone when it ends.'
    );
  }
  if (platform === 'darwin') return 'Unlock your login keychain in Keychain Access and try again.';
  return 'Make sure Windows Credential Manager is available for your user account and try again.';
}

/** No OS keychain could be reached. Never answered by a plain-file fallback: secrets stay unset instead. */
export class KeychainUnavailableError extends AppError {
  constructor(detail: string, cause?: unknown) {
    super('KEYCHAIN_UNAVAILABLE', `No OS keychain is available (${detail}), so secrets cannot be stored or read. ${keychainFixHint()} Secrets are never written to a plain file.`, { cause });
  }
}

/**
 * The keychain answers, but an item it just listed is gone from under it: the keyring file was changed by another
 * keyring daemon (a second `dbus-run-session` that ran `portcullis secrets set`), which the running one does not
 * reread. Said as such, since the no-keychain advice would send the person to install what they have.
 */
export class KeyringChangedError extends AppError {
  constructor(detail: string, cause?: unknown) {
    super(
      'KEYCHAIN_UNAVAILABLE',
      `The OS keychain's keyring changed under Portcullis (${detail}): another keyring daemon changed it, as \`portcullis secrets set\` run in a second \`dbus-run-session\` does. Restart Portcullis to read it again; while it runs, set secrets in Settings → Secrets.`,
      { cause },
    );
  }
}
