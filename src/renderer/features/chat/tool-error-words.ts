/**
 * A failed call's error as its card says it. TOOL_FAILED's message says it all ("fs.read reported an error: …",
 * "Portcullis' sandbox kept this write from happening: …"), so its code is only jargon before it; the other codes
 * (TOOL_TIMEOUT, POLICY_DENIED, …) stay, a short name of what kind of failure it was.
 */
export function toolErrorWords(error: { code: string; message: string }): string {
  return error.code === 'TOOL_FAILED' ? error.message : `${error.code}: ${error.message}`;
}
