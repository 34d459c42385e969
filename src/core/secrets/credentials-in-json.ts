/** The fields of a token set or a registered client (OAuth) that are credentials on their own. */
const CREDENTIAL_FIELDS = ['access_token', 'refresh_token', 'id_token', 'client_secret'] as const;

/**
 * The credentials inside a secret kept as JSON: an MCP server's OAuth sign-in keeps its token set (and a client it
 * registered) as one JSON text, so the redactor, knowing only that whole text, never masked the bearer token itself
 * when the server said it back. Empty for a secret that is not such JSON.
 */
export function credentialsInJson(value: string): string[] {
  if (!value.startsWith('{')) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return [];
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return [];
  const fields = parsed as Record<string, unknown>;
  return CREDENTIAL_FIELDS.map((field) => fields[field]).filter((credential): credential is string => typeof credential === 'string' && credential.length > 0);
}
