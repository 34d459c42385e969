import { isCredentialName } from './credential-names';
import { isPlainSetting } from './plain-setting-values';
import { hasSecretReference } from './secret-references';

/**
 * A credential written into a server's `args`: the part of argument `index` from `start` to `end`, and `label`, what
 * it is called there (the option's, variable's or header's name; `password` for a URL's).
 */
export interface ArgumentCredential {
  index: number;
  start: number;
  end: number;
  label: string;
}

/** `postgresql://user:PASSWORD@host/db`: group 1 is everything before the password. */
export const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:)([^\s/@]+)@/i;
/** `--api-key=VALUE`, and `NAME=VALUE` as given to `docker run -e` or `env`. */
const NAMED_VALUE = /^(-{0,2})([A-Za-z][\w.-]*)=(.+)$/s;
/** `Authorization: Bearer VALUE`, as `mcp-remote --header` takes it: the value after the scheme word. */
const HEADER = /^([A-Za-z][\w-]*)\s*:\s*((?:Bearer|Basic|Token)\s+)?(\S.*)$/is;
/** `--token`, `-password`: an option whose value is the next argument. */
const OPTION = /^--?([A-Za-z][\w.-]*)$/;
/** `${GITHUB_TOKEN}`, `$TOKEN`, `${env:TOKEN}`: another app's way to name a credential kept elsewhere, not one. */
export const ENV_REFERENCE = /^\$\{?[A-Za-z_][\w:.-]*\}?$/;
/** The scheme word before a header's credential (`Bearer X`): a server echoes the credential, not the word. */
const SCHEME = /^(?:Bearer|Basic|Token)\s+/i;

/**
 * The credentials written out in an env or headers record (a value under a credential's name that is not a
 * `secret:NAME` reference, a `${VAR}` or empty), each without its scheme word: to hide from what the server says.
 */
export function writtenCredentialValues(entries: Readonly<Record<string, string>> | undefined): string[] {
  return Object.entries(entries ?? {})
    .filter(([name, value]) => isCredentialName(name) && !hasSecretReference(value) && !ENV_REFERENCE.test(value) && !isPlainSetting(value))
    .map(([, value]) => value.replace(SCHEME, '').trim())
    .filter((value) => value !== '');
}

/**
 * The credentials pasted into a server's arguments, as the official servers and their READMEs take them: a
 * connection string with its password (only the password: the user, host and database stay readable), the value of
 * `--token X`, `--api-key=X` or `--password X`, `-e GITHUB_TOKEN=X`, and `Authorization: Bearer X`. Values already
 * `secret:NAME`, hidden, a `${VAR}` reference or a plain setting (`--auth none`, `isPlainSetting`) are not
 * credentials written out.
 */
export function argumentCredentials(args: readonly string[], isWritten: (value: string) => boolean): ArgumentCredential[] {
  const found: ArgumentCredential[] = [];
  args.forEach((arg, index) => {
    const part = credentialIn(arg, args[index - 1]);
    if (part && isWritten(arg.slice(part.start, part.end)) && !ENV_REFERENCE.test(arg.slice(part.start, part.end))) found.push({ index, ...part });
  });
  return found;
}

/** The arguments with each credential replaced by `replacement(its place in credentials)`; the rest as they are. */
export function replaceArgumentCredentials(args: readonly string[], credentials: readonly ArgumentCredential[], replacement: (i: number) => string): string[] {
  const out = [...args];
  credentials.forEach((credential, i) => {
    const arg = out[credential.index]!;
    out[credential.index] = arg.slice(0, credential.start) + replacement(i) + arg.slice(credential.end);
  });
  return out;
}

function credentialIn(arg: string, previous: string | undefined): Omit<ArgumentCredential, 'index'> | null {
  const option = previous === undefined ? null : OPTION.exec(previous);
  // `--auth none`, `--auth=oauth`: a setting of the option, not a credential (a URL's password is one, whatever it is).
  if (option && isCredentialName(option[1]!) && !arg.startsWith('-') && !isPlainSetting(arg)) return { start: 0, end: arg.length, label: option[1]! };
  const named = NAMED_VALUE.exec(arg);
  if (named && isCredentialName(named[2]!) && !isPlainSetting(named[3]!)) return { start: arg.length - named[3]!.length, end: arg.length, label: named[2]! };
  const url = URL_PASSWORD.exec(arg);
  if (url) {
    const start = url.index + url[1]!.length;
    return { start, end: start + url[2]!.length, label: 'password' };
  }
  const header = HEADER.exec(arg);
  if (header && isCredentialName(header[1]!) && !isPlainSetting(header[3]!)) return { start: arg.length - header[3]!.length, end: arg.length, label: header[1]! };
  return null;
}
