/**
 * A turn's error as the chat says it under the turn: "The turn stopped: …", unless its words already say what became
 * of the turn ("…, so the turn was ended", "The turn ended: it used …"), where the prefix said it twice.
 */
export function turnErrorWords(message: string): string {
  return /\bthe turn\b/i.test(message) ? message : `The turn stopped: ${message}`;
}
