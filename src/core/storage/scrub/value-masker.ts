import { MIN_SECRET_LENGTH, Redactor } from '../../redaction/redactor';

/**
 * Masks given secret values, and the ways they are written encoded (`secretForms`: JSON-escaped, percent-encoded,
 * base64), exactly as the redactor masks them when a row is written, and nothing else: the credential patterns
 * already ran on every row when it was written, and rows are changed only where a value stands.
 */
export class ValueMasker {
  private readonly redactor = new Redactor([]);
  /** Values shorter than the redactor masks: left alone, so ordinary words are not mangled. */
  readonly tooShort: number;
  readonly values: number;

  constructor(values: Iterable<string>) {
    const distinct = new Set(values);
    let tooShort = 0;
    for (const value of distinct) {
      if (value.length < MIN_SECRET_LENGTH) tooShort++;
      else this.redactor.register(value);
    }
    this.tooShort = tooShort;
    this.values = this.redactor.knownSecretCount;
  }

  /** The text with every value masked; the same string when it holds none. */
  mask(text: string): string {
    return this.redactor.redactText(text);
  }

  /**
   * As `mask`, for JSON text: the result is JSON too. A value whose raw form stands across JSON's own quotes (a
   * value holding `","`) would break it as text, so such text is masked string by string instead.
   */
  maskJson(text: string): string {
    const masked = this.mask(text);
    if (masked === text || isJson(masked) || !isJson(text)) return masked;
    return JSON.stringify(this.redactor.redactValue(JSON.parse(text) as unknown));
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
