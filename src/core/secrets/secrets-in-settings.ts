import type { Database } from 'better-sqlite3';
import { MIN_SECRET_LENGTH } from '../redaction/redactor';
import { secretForms } from '../redaction/secret-forms';
import type { NamedSecretValues } from './keychain-secret-values';

/** A setting that holds the value of a keychain secret: which, and which secret (never the value). */
export interface SecretInSetting {
  setting: string;
  secret: string;
}

/**
 * The settings (a collector's address, a model server's address) that hold a secret's value. They are configuration
 * Portcullis needs as typed, so a scrub does not rewrite them; what leaves Portcullis of them is masked instead.
 */
export function secretsInSettings(db: Database, secrets: readonly NamedSecretValues[]): SecretInSetting[] {
  const rows = db.prepare<[], { key: string; value_json: string }>('SELECT key, value_json FROM settings ORDER BY key').all();
  const forms = secrets.map(({ name, values }) => ({ name, forms: values.filter((value) => value.length >= MIN_SECRET_LENGTH).flatMap(secretForms) }));
  return rows.flatMap(({ key, value_json }) => forms.filter(({ forms: written }) => written.some((form) => value_json.includes(form))).map(({ name }) => ({ setting: key, secret: name })));
}

export function secretInSettingAdvice({ setting, secret }: SecretInSetting): string {
  return `The setting ${setting} holds the value of secret ${secret}: Portcullis needs it as it is, so it was left as it is; the Settings page shows it masked.`;
}
