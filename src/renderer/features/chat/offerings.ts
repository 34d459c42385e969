import type { McpPrompt } from '../../../shared/domain/mcp-prompt';
import type { McpResource } from '../../../shared/domain/mcp-resource';

/** An entry of the composer's `/` list: a server's prompt (filled in) or resource (read) for the message box. */
export type Offering = ({ kind: 'prompt' } & McpPrompt) | ({ kind: 'resource' } & McpResource);

/** The prompt or resource a message's text came from: sent with it, the conversation holds that server's words. */
export type ServerWordsOrigin = { kind: 'prompt'; server: string; name: string } | { kind: 'resource'; server: string; uri: string };

/** Its name as the person reads it: the title its server gave, else its name. */
export const offeringLabel = (offering: { name: string; title?: string }) => offering.title ?? offering.name;

export const offeringKey = (offering: Offering) => `${offering.kind}:${offering.server}/${offering.kind === 'prompt' ? offering.name : offering.uri}`;

export function originOf(offering: Offering): ServerWordsOrigin {
  return offering.kind === 'prompt' ? { kind: 'prompt', server: offering.server, name: offering.name } : { kind: 'resource', server: offering.server, uri: offering.uri };
}

/** The fields of `chat.send` that say where its text came from: the prompt it began as, the resources it holds. */
export function originFields(origins: readonly ServerWordsOrigin[]) {
  const prompt = origins.find((origin) => origin.kind === 'prompt');
  const resources = origins.flatMap((origin) => (origin.kind === 'resource' ? [{ server: origin.server, uri: origin.uri }] : []));
  return { ...(prompt ? { prompt: { server: prompt.server, name: prompt.name } } : {}), ...(resources.length > 0 ? { resources } : {}) };
}

/** The entries whose name, title or server contains `query`, ignoring case, in the order given. */
export function matchOfferings(offerings: readonly Offering[], query: string): Offering[] {
  const q = query.toLowerCase();
  return offerings.filter((o) => [o.name, o.title ?? '', o.server].some((field) => field.toLowerCase().includes(q)));
}
