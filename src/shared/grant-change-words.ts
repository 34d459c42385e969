import type { GrantChange } from './domain/grant-change';

/** One change of a grant as a sentence: "Server "notes" may write to /home/me/notes", "http.fetch may no longer reach example.com". */
export function grantChangeWords(change: GrantChange): string {
  const who = change.server !== undefined ? `Server "${change.server}"` : (change.tool ?? 'A tool');
  const value = change.value ?? '';
  switch (change.change) {
    case 'server':
      return `${who} ${change.granted ? 'added' : 'removed'}`;
    case 'sandbox':
      return change.granted ? `${who} runs without its sandbox` : `${who} runs in its sandbox again`;
    case 'trustedOutput':
      return change.granted ? `${who}: its output counts as trusted` : `${who}: its output no longer counts as trusted`;
    case 'domain':
      return `${who} ${change.granted ? 'may reach' : 'may no longer reach'} ${value}`;
    case 'folder':
      return `${who} ${change.granted ? 'may write to' : 'may no longer write to'} ${value}`;
    case 'readFolder':
      return `${who} ${change.granted ? 'may read' : 'may no longer read'} ${value}`;
    case 'readHome':
      return change.granted ? `${who} may read your whole home folder but credentials` : `${who}: your home folder is private to it again`;
    case 'sshAgent':
      return change.granted ? `${who} may use your SSH agent (it signs with your keys)` : `${who} may no longer use your SSH agent`;
  }
}
