import { describe, expect, it } from 'vitest';
import { linkHost, wordsNameHost } from '../../src/renderer/lib/link-destination';

describe('a link in a reply says where it goes', () => {
  it('takes words that are the address or its host as saying it', () => {
    expect(wordsNameHost('https://docs.example.org/guide', 'docs.example.org')).toBe(true);
    expect(wordsNameHost('docs.example.org', 'docs.example.org')).toBe(true);
    expect(wordsNameHost('DOCS.example.org/guide', 'docs.example.org')).toBe(true);
  });

  it('does not take words that merely hold the host, or name another site, as saying it', () => {
    // A reply steered by a tool's output dresses a link to the attacker as the bank's address.
    expect(wordsNameHost('https://bank.example/login?ref=evil.example', 'evil.example')).toBe(false);
    expect(wordsNameHost('bank.example.evil.example.net', 'evil.example')).toBe(false);
    expect(wordsNameHost('see evil.example for details', 'evil.example')).toBe(false);
    expect(wordsNameHost('https://evil.example@bank.example/', 'evil.example')).toBe(false);
    expect(wordsNameHost('the docs', 'docs.example.org')).toBe(false);
  });

  it('finds the host of an address, or none', () => {
    expect(linkHost('https://evil.example:8443/x?d=1')).toBe('evil.example:8443');
    expect(linkHost('mailto:me@example.org')).toBeNull();
    expect(linkHost('not a url')).toBeNull();
    expect(linkHost(undefined)).toBeNull();
  });
});
