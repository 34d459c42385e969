/** An encoded run shorter than this is not matched: a few base64 characters occur by chance in ordinary text. */
const MIN_ENCODED_LENGTH = 8;

/** An HTTP credential with its scheme (`Bearer <token>`, `Basic <base64>`), as an `Authorization` header secret is kept. */
const AUTH_SCHEME = /^(?:Bearer|Basic|Token|Bot|ApiKey|DPoP)\s+(\S+)$/i;

/**
 * The secret, and the credential alone when it is an HTTP scheme and credential: a server that echoes back the
 * token of the `Authorization: secret:NAME` header it was sent writes the token without the word `Bearer`.
 */
export function secretParts(secret: string): string[] {
  const credential = AUTH_SCHEME.exec(secret.trim())?.[1];
  return credential && credential.length >= MIN_ENCODED_LENGTH ? [secret, credential] : [secret];
}

/**
 * The ways a secret can be written out besides as itself: JSON-escaped (inside a JSON value), percent-encoded (in a
 * URL) and base64 (a Basic auth header, a config blob a server prints). A secret inside a longer base64 text is
 * encoded differently for each of its three possible offsets, so each offset gives one form: the characters that
 * the secret's bytes alone decide, in the standard and the URL-safe alphabet.
 */
export function secretForms(secret: string): string[] {
  return [...new Set(secretParts(secret).flatMap(writtenForms))];
}

function writtenForms(secret: string): string[] {
  const forms = new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)]);
  const bytes = Buffer.from(secret, 'utf8');
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    // Character c holds bits [6c, 6c + 6) of the stream; the secret's are [8 * offset, 8 * (offset + length)).
    const first = Math.ceil((8 * offset) / 6);
    const end = Math.floor((8 * (offset + bytes.length)) / 6);
    const core = encoded.slice(first, end);
    if (core.length < MIN_ENCODED_LENGTH) continue;
    forms.add(core);
    forms.add(core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...forms];
}
