/**
 * Other apps' ways of letting a server's tools run unasked, which Portcullis does not honour: Cline's and Roo Code's
 * `autoApprove` and `alwaysAllow` (lists of tool names), Gemini CLI's `"trust": true`. Ignoring them is the safe
 * side, but silently it would let the person believe those tools run unasked: each one set is said on the page.
 */
export function ignoredApprovalNotes(entry: Record<string, unknown>): string[] {
  const notes: string[] = [];
  for (const field of ['autoApprove', 'alwaysAllow']) {
    const tools = entry[field];
    if (!Array.isArray(tools) || tools.length === 0) continue;
    const named = tools.filter((tool): tool is string => typeof tool === 'string').join(', ');
    notes.push(`"${field}" (${named}) is another app's setting and is not used here: every call of these tools goes through your policy, which may ask you.`);
  }
  if (entry.trust === true) notes.push('"trust": true is another app\'s setting and is not used here: every call of its tools goes through your policy, which may ask you.');
  return notes;
}
