import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastGoodFile } from '../policy/policy-source';
import { MIN_SECRET_LENGTH } from '../redaction/redactor';
import { secretForms } from '../redaction/secret-forms';
import type { NamedSecretValues } from './keychain-secret-values';

/** A line of a configuration file that holds the value of a keychain secret: where, and which secret (never the value). */
export interface SecretInFile {
  /** The file's name in the data folder: `policy.yaml`, `policy.yaml.last-good`, `mcp.json`. */
  file: string;
  line: number;
  secret: string;
}

/**
 * The files of the data folder a person writes by hand (and Portcullis' copy of the last policy that read whole):
 * theirs, so a scrub never rewrites them; it says where a secret's value stands in them instead. What Portcullis
 * shows or logs of them is masked meanwhile.
 */
const HAND_WRITTEN_FILES = (dataDir: string): string[] => [join(dataDir, 'policy.yaml'), lastGoodFile(join(dataDir, 'policy.yaml')), join(dataDir, 'mcp.json')];

/** Each line of those files holding a secret's value, in any written form (JSON-escaped, percent-encoded, base64). */
export function secretsInHandWrittenFiles(dataDir: string, secrets: readonly NamedSecretValues[]): SecretInFile[] {
  const found: SecretInFile[] = [];
  const forms = secrets.map(({ name, values }) => ({ name, forms: values.filter((value) => value.length >= MIN_SECRET_LENGTH).flatMap(secretForms) }));
  for (const path of HAND_WRITTEN_FILES(dataDir)) {
    if (!existsSync(path)) continue;
    const file = path.slice(dataDir.length + 1);
    readFileSync(path, 'utf8').split('\n').forEach((text, index) => {
      for (const { name, forms: written } of forms) if (written.some((form) => text.includes(form))) found.push({ file, line: index + 1, secret: name });
    });
  }
  return found;
}

/** What the person is told to do about one such line. */
export function secretInFileAdvice({ file, line, secret }: SecretInFile): string {
  const where = `${file} line ${line} holds the value of secret ${secret}`;
  if (file === 'mcp.json') return `${where}: replace it with secret:${secret} (it is yours, so it was left as it is; what Portcullis shows of it is masked).`;
  if (file === 'policy.yaml') {
    return `${where}: it is yours, so it was left as it is, and the Policies page, its errors and decisions show it masked; take the value out (a policy cannot name a secret: match by domain, folder or a regex that leaves it out).`;
  }
  return `${where}: Portcullis' copy of the last policy.yaml that read whole, used while policy.yaml is broken; it is replaced once policy.yaml without the value reads whole.`;
}
