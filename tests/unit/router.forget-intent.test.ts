import { describe, expect, it } from 'vitest';
import { defaultIntentRouter } from '../../src/core/router/default-router';
import { extractSlots } from '../../src/core/router/slot-extractor';

describe('routing a request to forget a memory', () => {
  const router = defaultIntentRouter();

  it.each([
    ['forget that I like tea', 'I like tea'],
    ['forget what you know about my dentist', 'dentist'],
    ['delete the memory about the invoice', 'invoice'],
    ['Forget my locker number.', 'locker number'],
    ['please forget "the boiler code" from your memory', 'the boiler code'],
    ['erase your memory of my sister from memory please', 'sister'],
  ])('%j → memory.forget, about %j', (text, subject) => {
    expect(router.route(text)).toMatchObject({ intent: 'memory.forget', confident: true, slots: { subject }, tools: ['memory.search', 'memory.forget'] });
  });

  it.each([
    ["don't forget that the plumber comes Thursday", 'memory.save'],
    ['do not forget that my passport expires in May', 'memory.save'],
    ['remember that I like tea', 'memory.save'],
    ['what do you remember about my dentist?', 'memory.recall'],
  ])('%j still → %s', (text, intent) => {
    expect(router.route(text)).toMatchObject({ intent, confident: true });
  });

  it.each(['forget', 'forget it', 'please forget all of that', 'forget everything'])('asks what to forget when %j does not say', (text) => {
    expect(extractSlots(text, { subject: { kind: 'subject', description: '', required: true } })).toEqual({ slots: {}, missing: ['subject'] });
  });

  it("takes an apostrophe for one, not for a quote", () => {
    const subject = { subject: { kind: 'subject' as const, description: '', required: true } };
    expect(extractSlots("forget that I don't like Bob's cat", subject).slots).toEqual({ subject: "I don't like Bob's cat" });
    expect(extractSlots("forget 'the boiler code', please", subject).slots).toEqual({ subject: 'the boiler code' });
  });
});
