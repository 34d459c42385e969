import type { z } from 'zod';
import type { ScopeSchema } from '../../../shared/domain/security';

type Scope = z.infer<typeof ScopeSchema>;

/** What each scope lets a key do, beside its checkbox: so the narrow one (an MCP client's `tools`) is the one picked. */
export const SCOPE_WORDS: Record<Scope, string> = {
  chat: 'chat through your model, read your conversations and memories, call tools',
  tools: 'call tools and read the servers’ prompts and resources: for an MCP client',
  approve: 'answer the approvals',
  'traces:read': 'read the traces',
  'traces:content': 'read what the traces captured of arguments and results',
  admin: 'everything, settings, secrets and keys included',
};
