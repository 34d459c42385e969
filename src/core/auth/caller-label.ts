import type { Principal } from './scopes';

/**
 * Who made an API request, in words the person recognizes (never the credential): the name they gave the key,
 * the JWT's subject, or this app's own session.
 */
export function callerLabel(principal: Principal | undefined, keyName: (id: string) => string | undefined): string {
  if (!principal) return 'this computer';
  if (principal.kind === 'api-key') {
    const name = keyName(principal.id.replace(/^key:/, ''));
    return name ? `key "${name}"` : 'an API key';
  }
  if (principal.kind === 'jwt') return `JWT ${principal.id.replace(/^jwt:/, '')}`;
  return principal.kind === 'desktop' ? 'the desktop app' : 'the browser session';
}
