import { describe, expect, it } from 'vitest';
import { Redactor } from '../../src/core/redaction/redactor';
import { StreamRedactor } from '../../src/core/redaction/stream-redactor';

const KNOWN = 'canary known pass phrase 9Zq8v3Kx'; // registered; has spaces, as a passphrase may
const API_KEY = 'sk-ant-api03-CANARYa1b2c3d4e5f6g7h8i9';
const BEARER = 'CANARYbearer0token0x9y8z';
const KEY_BODY = 'MIIEcanaryPRIVATEkeyBODYabcdef0123456789';
const TEXT = [
  'Here is what I found in the configuration files you asked me to read, line by line.',
  `The passphrase is ${KNOWN} and the key is ${API_KEY}; the header was Authorization: Bearer ${BEARER}.`,
  `-----BEGIN PRIVATE KEY-----\n${KEY_BODY}\n${KEY_BODY}\n-----END PRIVATE KEY-----`,
  'Nothing else in there looked sensitive, and the rest of the files are ordinary settings.',
].join('\n');
const CANARIES = [KNOWN, API_KEY, BEARER, KEY_BODY];

function redactor(): Redactor {
  const r = new Redactor();
  r.register(KNOWN);
  return r;
}

/** Streams `text` cut at `cuts`, returning every piece released. */
function stream(text: string, cuts: number[], r = redactor()): string[] {
  const s = new StreamRedactor(r);
  const out: string[] = [];
  let from = 0;
  for (const cut of [...cuts, text.length]) {
    out.push(s.push(text.slice(from, cut)));
    from = cut;
  }
  out.push(s.end());
  return out.filter(Boolean);
}

/** Both halves of each canary: before the fix, one piece carried the first half and the next the second. */
const halves = CANARIES.flatMap((c) => [c.slice(0, Math.floor(c.length / 2)), c.slice(Math.floor(c.length / 2))]);

describe('redacting a streamed reply', () => {
  it('masks a secret cut in two: no piece carries either half, and the whole equals the redacted text', () => {
    for (const canary of CANARIES) {
      const middle = TEXT.indexOf(canary) + Math.floor(canary.length / 2);
      const pieces = stream(TEXT, [middle]);
      expect(pieces.join('')).toBe(redactor().redactText(TEXT));
      for (const piece of pieces) for (const half of halves) expect(piece).not.toContain(half);
    }
  });

  it('masks every secret when the text arrives one character at a time, or at random cuts', () => {
    const oneByOne = stream(TEXT, Array.from({ length: TEXT.length - 1 }, (_, i) => i + 1));
    const random = Array.from({ length: 50 }, (_, seed) => {
      const cuts = new Set<number>();
      for (let i = 0; i < 12; i++) cuts.add(Math.floor((((seed + 1) * 7919 * (i + 3)) % 1_000_003) % TEXT.length));
      return stream(TEXT, [...cuts].filter((c) => c > 0).sort((a, b) => a - b));
    });
    for (const pieces of [oneByOne, ...random]) {
      expect(pieces.join('')).toBe(redactor().redactText(TEXT));
      for (const piece of pieces) for (const half of halves) expect(piece).not.toContain(half);
    }
  });

  it('releases ordinary text as it goes, holding back only a short tail', () => {
    const plain = 'word '.repeat(400);
    const s = new StreamRedactor(redactor());
    let released = '';
    for (const chunk of plain.match(/.{1,7}/gs)!) released += s.push(chunk);
    expect(released.length).toBeGreaterThan(plain.length - 100);
    expect(released + s.end()).toBe(plain);
  });

  it('holds a long run without whitespace (base64) with work that grows linearly, then releases it redacted', () => {
    const r = redactor();
    let scans = 0;
    const maskedRanges = r.maskedRanges.bind(r);
    r.maskedRanges = (text: string) => (scans++, maskedRanges(text));
    const blob = `${'QUJDRGVmZ2hpams'.repeat(13_000)} ${API_KEY} done.`;
    const s = new StreamRedactor(r);
    let released = '';
    for (let i = 0; i < blob.length; i += 16) released += s.push(blob.slice(i, i + 16));
    released += s.end();
    expect(released).toBe(r.redactText(blob));
    expect(released).not.toContain(API_KEY);
    // ~12,200 pieces; trying a cut at each would scan the held text ~12,000 times.
    expect(scans).toBeLessThan(40);
  });

  it('holds an unfinished private-key block until it ends', () => {
    const s = new StreamRedactor(redactor());
    const opened = `Key follows.\n-----BEGIN PRIVATE KEY-----\n${`${KEY_BODY}\n`.repeat(20)}`;
    const released = s.push(opened);
    expect(released).not.toContain(KEY_BODY);
    expect(released.length).toBeLessThanOrEqual('Key follows.\n'.length);
    const rest = s.push('-----END PRIVATE KEY-----\nDone, and that was the whole of it, nothing more to add here.') + s.end();
    expect(released + rest).toBe(`Key follows.\n[REDACTED:private-key]\nDone, and that was the whole of it, nothing more to add here.`);
  });
});
