import type { Principal } from './scopes';

/** A `portcullis` command that reached the running app (`terminalPrincipal`), as its calls and approvals name it. */
export const TERMINAL_CALLER = 'the portcullis command';

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
  if (principal.kind === 'terminal') return TERMINAL_CALLER;
  return principal.kind === 'desktop' ? 'the desktop app' : 'the browser session';
}

/**
 * Who made an API request, its own name first ("nightly backup · API key", "ci-bot · JWT"): its conversation of the
 * day is titled so, and the sidebar cuts a long title at its end, where "Local API (key "nightly bac…" hid the name.
 */
export function callerNameFirst(principal: Principal | undefined, keyName: (id: string) => string | undefined): string {
  if (principal?.kind === 'api-key') {
    const name = keyName(principal.id.replace(/^key:/, ''));
    return name ? `${name} · API key` : 'API key';
  }
  if (principal?.kind === 'jwt') return `${principal.id.replace(/^jwt:/, '')} · JWT`;
  return `Local API (${callerLabel(principal, keyName)})`;
}

/** Who holds a credential: its words for a message ('key "cursor"') and the bare name it carries ("cursor"). */
export interface CredentialHolder {
  label: string;
  /** The key's name or the JWT's subject; none for this app's own sessions or a key without a name. */
  name: string | undefined;
}

export function credentialHolder(principal: Principal | undefined, keyName: (id: string) => string | undefined): CredentialHolder {
  const label = callerLabel(principal, keyName);
  if (principal?.kind === 'api-key') return { label, name: keyName(principal.id.replace(/^key:/, '')) };
  if (principal?.kind === 'jwt') return { label, name: principal.id.replace(/^jwt:/, '') };
  return { label, name: undefined };
}
