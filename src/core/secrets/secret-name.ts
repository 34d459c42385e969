/** Secret names are identifiers like `provider.openai` or `mcp.github.token`: the keychain's account names. */
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/;

export const SECRET_NAME_WORDS = 'A secret name is 1–200 letters, digits, ".", "_", ":" or "-", starting with a letter or digit.';

export function isSecretName(name: string): boolean {
  return NAME_PATTERN.test(name);
}
