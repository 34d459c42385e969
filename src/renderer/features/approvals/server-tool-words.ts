import type { ApprovalRequest } from '../../../shared/domain/approval';
import { truncate } from '../../../shared/key-arguments';
import { spellOutInvisible } from '../../../shared/shown-path';

/** Enough of a description to know the tool by; the Tools & servers page shows it whole. */
const MAX_DESCRIPTION = 600;

/**
 * What an MCP tool's server says it is (its title and description), for the approval dialog to show below its own
 * title, labelled as the server's words: a malicious server writes them to pass a delete off as a read. Invisible
 * characters are spelled out, so that text cannot pass for other text. Null for a built-in tool, or one that says
 * nothing.
 */
export function serverToolWords(request: Pick<ApprovalRequest, 'server' | 'annotations' | 'serverDescription'>): { title: string | null; description: string | null } | null {
  if (!request.server || request.server === 'builtin') return null;
  const title = request.annotations.title?.trim() ? spellOutInvisible(request.annotations.title.trim()) : null;
  const description = request.serverDescription?.trim() ? truncate(spellOutInvisible(request.serverDescription.trim()), MAX_DESCRIPTION) : null;
  return title || description ? { title, description } : null;
}
