import type { PolicyRule } from '../../shared/domain/policy';
import { homeSecrets } from '../sandbox/home-secrets';
import { isInside } from './matchers/resolve-path';
import { PATH_ARGUMENT_GLOB } from './path-argument-names';

export const HOME_SECRETS_RULE = 'deny.home-secrets';

/**
 * The places of the home folder where keys, sign-ins, password stores, shell histories and browser profiles are kept
 * (home-secrets.ts, which the OS sandbox hides from every server), denied to the built-in tools whatever policy.yaml says.
 * deny.secrets names such files by kind (`.env`, `id_rsa`); these it does not name, and a workspace holding the home
 * folder (as README allows) let fs.read take `~/.bash_history`, `~/.config/sops/age/keys.txt` or a browser's saved
 * logins unasked. A place holding the workspace is left out: the workspace stays the tools' own.
 */
export function homeSecretsRule(home: string, workspace: string): PolicyRule {
  const places = homeSecrets(home).filter((place) => !isInside(workspace, place, false));
  return {
    id: HOME_SECRETS_RULE,
    effect: 'deny',
    reason: "This is where your home folder keeps keys, sign-ins, password stores, shell histories or browser profiles: Portcullis' file tools never read or write them, as the OS sandbox hides them from every MCP server.",
    // Portcullis' own tools: a server's reach is its sandbox's, which hides these unless mcp.json's allowRead gives one back.
    match: { server: 'builtin', args: { [PATH_ARGUMENT_GLOB]: { within: places } } },
  };
}
