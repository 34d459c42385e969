import { AppError } from '../../shared/errors';
import { currentPrincipal } from '../auth/request-principal';
import type { FilledPrompt } from '../mcp/server-prompts';
import { checkResourceRead, isPersonsOwn, type ResourceReadGateDeps } from './resource-read-gate';

/** More resources than an honest prompt would embed: refused rather than decided one by one. */
const MAX_URIS = 20;

/**
 * What a script (an API key or a JWT) gets of a server's prompt (`prompts.get`): what a turn would get unasked.
 * A prompt's arguments may choose a resource it embeds (server-everything's resource-prompt takes its id), so each
 * resource the filled-in prompt embeds is decided by the policy as that server's `read_resource` call with its URI,
 * as `resources.read` is (`checkResourceRead`: audited, and refused unless the policy allows it unasked; a server
 * whose resources/read is turned off gives scripts no prompt that embeds one). The URIs are the embedded parts' own
 * (`promptText`), not read back from the text, so text that only looks like a resource's header (an argument the
 * script typed, a server's words) is not taken for one. The person's own session gets the prompt as before. Text a
 * server writes into the prompt itself is its words, like a tool's description, and is not judged here.
 */
export function checkPromptResources(deps: ResourceReadGateDeps, server: string, name: string, prompt: FilledPrompt): string {
  if (isPersonsOwn(currentPrincipal())) return prompt.text;
  if (prompt.embeddedUris.length > MAX_URIS) {
    throw new AppError('FORBIDDEN', `The ${server} server's prompt ${name} embeds more resources than a script is given (${MAX_URIS} at most); use it from a chat instead.`);
  }
  for (const uri of prompt.embeddedUris) {
    try {
      checkResourceRead(deps, server, uri, 'prompts.get');
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      throw new AppError(error.code, `The ${server} server's prompt ${name} embeds a resource a script may not read. ${error.message}`, { data: error.data });
    }
  }
  return prompt.text;
}
