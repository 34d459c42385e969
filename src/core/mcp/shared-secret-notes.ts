import { secretNamesIn } from './secret-references';

/** The keychain names of the model providers' keys (model-selection.ts' secretNameFor), as the person set them. */
const PROVIDER_KEY = /^provider\./;

/**
 * What the server's entry gives it of the keychain that is not its own: the model's key (`secret:provider.…`), or a
 * secret moved there for another server (`secret:mcp.<other>.…`). It then holds that credential and can send it
 * wherever it reaches; a block pasted from a web page may name one, and the page shows only the reference.
 */
export function sharedSecretNotes(server: string, entry: Record<string, unknown>): string[] {
  return [...secretNamesIn(entry)].flatMap((name) => {
    if (PROVIDER_KEY.test(name)) return [`It is given secret:${name}, the API key of your model: it can use it, and send it wherever it may reach. If that is not meant, give it a key of its own.`];
    const owner = /^mcp\.([^.]+)\./.exec(name)?.[1];
    if (owner !== undefined && owner !== server) return [`It is given secret:${name}, the ${owner} server's credential: it can use it, and send it wherever it may reach. If that is not meant, give it one of its own.`];
    return [];
  });
}
