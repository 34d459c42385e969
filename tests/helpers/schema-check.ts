/** Runs an output-schema check as the SDK's call does: a throw (a pattern or the check stopped) is a failed check, with its words. */
export function schemaCheck(validate: (input: unknown) => { valid: boolean }, input: unknown): { valid: boolean; error?: string } {
  try {
    return validate(input);
  } catch (error) {
    return { valid: false, error: String(error) };
  }
}
