import { AppError } from '../../shared/errors';
import { currentPrincipal } from '../auth/request-principal';
import { checkResourceRead, isPersonsOwn, type ResourceReadGateDeps } from './resource-read-gate';

/** The start of a resource a prompt embeds, as `partAsText` writes it: `[resource URI (MIME)]` then its text. */
const EMBEDDED = '[resource ';
/** Where an embedded resource's URI may end: its MIME type, the end of its header, or what is said of its bytes. */
const URI_ENDS = [']', ' (', ': '];
/** More readings than an honest prompt's resources would ever give: refused rather than decided one by one. */
const MAX_URIS = 20;

/**
 * What a script (an API key or a JWT) gets of a server's prompt (`prompts.get`): what a turn would get unasked.
 * A prompt's arguments may choose a resource it embeds (server-everything's resource-prompt takes its id), so each
 * resource in the filled-in prompt is decided by the policy as that server's `read_resource` call with its URI, as
 * `resources.read` is (`checkResourceRead`: audited, and refused unless the policy allows it unasked; a server
 * whose resources/read is turned off gives scripts no prompt that embeds one). The person's own session gets the
 * prompt as before. The prompt's text is read back from the words `promptText` gave it, so the URI is not certain
 * where it ends: every way of reading it is decided, and any one refused refuses the prompt. Text a server writes
 * into the prompt itself is its words, like a tool's description, and is not judged here.
 */
export function checkPromptResources(deps: ResourceReadGateDeps, server: string, name: string, text: string): string {
  if (isPersonsOwn(currentPrincipal())) return text;
  const uris = embeddedResourceUris(text);
  if (uris.length > MAX_URIS) {
    throw new AppError('FORBIDDEN', `The ${server} server's prompt ${name} embeds more resources than a script is given (${MAX_URIS} at most); use it from a chat instead.`);
  }
  for (const uri of uris) {
    try {
      checkResourceRead(deps, server, uri, 'prompts.get');
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      throw new AppError(error.code, `The ${server} server's prompt ${name} embeds a resource a script may not read. ${error.message}`, { data: error.data });
    }
  }
  return text;
}

/** Every URI an embedded resource's header in `text` may hold (a link, `[resource link: …]`, is no content). */
export function embeddedResourceUris(text: string): string[] {
  const uris = new Set<string>();
  for (let at = text.indexOf(EMBEDDED); at !== -1; at = text.indexOf(EMBEDDED, at + 1)) {
    const start = at + EMBEDDED.length;
    const lineEnd = text.indexOf('\n', start);
    const header = text.slice(start, lineEnd === -1 ? text.length : lineEnd);
    if (header.startsWith('link: ')) continue;
    let ended = false;
    for (let i = 1; i < header.length; i++) {
      if (URI_ENDS.some((end) => header.startsWith(end, i))) {
        uris.add(header.slice(0, i));
        ended = true;
      }
    }
    // A header cut off (the prompt's text ends in it) is read whole.
    if (!ended && header !== '') uris.add(header);
  }
  return [...uris];
}
