import { CREDENTIAL_PATTERNS, type CredentialPattern } from './credential-patterns';
import { secretForms } from './secret-forms';

export const REDACTED_SECRET = '[REDACTED:secret]';

/** Secrets shorter than this are not matched exactly: masking "abc" everywhere would shred ordinary text. */
export const MIN_SECRET_LENGTH = 6;

/**
 * Masks secrets at the source, before anything is stored, logged or exported. Known secret values (from the
 * keychain) are replaced exactly, as themselves and as they are written encoded (`secretForms`); common
 * credential shapes are masked by pattern. One instance per runtime;
 * the secret store registers every value it holds and unregisters it when deleted.
 */
export class Redactor {
  private readonly secrets = new Map<string, number>();
  private exact: RegExp | null = null;
  /** Every written form of every secret, longest first; derived from `secrets` and dropped when they change. */
  private forms: string[] | null = null;

  constructor(private readonly patterns: readonly CredentialPattern[] = CREDENTIAL_PATTERNS) {}

  /** Starts masking `value` exactly. Registering twice needs two unregisters (reference counted). */
  register(value: string): void {
    if (value.length < MIN_SECRET_LENGTH) return;
    this.secrets.set(value, (this.secrets.get(value) ?? 0) + 1);
    this.forgetDerived();
  }

  unregister(value: string): void {
    const count = this.secrets.get(value);
    if (count === undefined) return;
    if (count <= 1) this.secrets.delete(value);
    else this.secrets.set(value, count - 1);
    this.forgetDerived();
  }

  get knownSecretCount(): number {
    return this.secrets.size;
  }

  redactText(text: string): string {
    if (text.length === 0) return text;
    let out = text;
    const exact = this.exactPattern();
    if (exact) out = out.replace(exact, REDACTED_SECRET);
    for (const { pattern, replace } of this.patterns) {
      pattern.lastIndex = 0;
      if (pattern.test(out)) {
        pattern.lastIndex = 0;
        out = out.replace(pattern, replace);
      }
    }
    return out;
  }

  /** The length of the longest secret registered for exact masking, in any of its written forms (0 when none). */
  get longestSecretLength(): number {
    return this.writtenForms()[0]?.length ?? 0;
  }

  /**
   * Where in `text` something would be masked: the [start, end) ranges of every exact secret and credential
   * pattern match, each found in the text as given (ranges may overlap).
   */
  maskedRanges(text: string): Array<[number, number]> {
    const ranges: Array<[number, number]> = [];
    const patterns = this.patterns.map((p) => p.pattern);
    const exact = this.exactPattern();
    if (exact) patterns.unshift(exact);
    for (const pattern of patterns) {
      pattern.lastIndex = 0;
      for (const match of text.matchAll(pattern)) ranges.push([match.index, match.index + match[0].length]);
    }
    return ranges;
  }

  /**
   * Whether a string in a JSON-like value (keys included) holds a known secret value, in any of its written forms.
   * Credential patterns do not count: this asks whether the value of a secret the keychain holds is there.
   */
  holdsKnownSecret(value: unknown, depth = 0): boolean {
    const exact = this.exactPattern();
    if (!exact) return false;
    if (typeof value === 'string') {
      exact.lastIndex = 0;
      return exact.test(value);
    }
    if (value === null || typeof value !== 'object' || depth > 64) return false;
    if (Array.isArray(value)) return value.some((item) => this.holdsKnownSecret(item, depth + 1));
    return Object.entries(value).some(([key, item]) => this.holdsKnownSecret(key, depth + 1) || this.holdsKnownSecret(item, depth + 1));
  }

  /**
   * As `redactValue`, masking the values of known secrets only, not credential patterns: for what a person wrote
   * to configure Portcullis (a policy file's rules), where a pattern could mangle a regex that only names a credential.
   */
  maskKnownSecrets<T>(value: T): T {
    const exact = this.exactPattern();
    return exact ? (this.walkWith((text) => text.replace(exact, REDACTED_SECRET), value, 0) as T) : value;
  }

  /** Redacts every string in a JSON-like value (keys included), returning a copy; other values pass through. */
  redactValue<T>(value: T): T {
    return this.walk(value, 0) as T;
  }

  private walk(value: unknown, depth: number): unknown {
    return this.walkWith((text) => this.redactText(text), value, depth);
  }

  private walkWith(mask: (text: string) => string, value: unknown, depth: number): unknown {
    if (typeof value === 'string') return mask(value);
    if (value === null || typeof value !== 'object' || depth > 64) return value;
    if (Array.isArray(value)) return value.map((item) => this.walkWith(mask, item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[mask(key)] = this.walkWith(mask, item, depth + 1);
    return out;
  }

  private forgetDerived(): void {
    this.exact = null;
    this.forms = null;
  }

  /** Longest first, so that a secret containing another is replaced whole. */
  private writtenForms(): string[] {
    this.forms ??= [...new Set([...this.secrets.keys()].flatMap(secretForms))].sort((a, b) => b.length - a.length);
    return this.forms;
  }

  private exactPattern(): RegExp | null {
    if (this.secrets.size === 0) return null;
    this.exact ??= new RegExp(this.writtenForms().map(escapeRegExp).join('|'), 'g');
    this.exact.lastIndex = 0;
    return this.exact;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
