import { describe, expect, it, vi } from 'vitest';
import { contextMenuEntries, type ContextMenuFacts } from '../../src/main/context-menu';

const allowed = { canCut: true, canCopy: true, canPaste: true, canSelectAll: true };
const facts = (over: Partial<ContextMenuFacts>): ContextMenuFacts => ({
  isEditable: false,
  selectionText: '',
  misspelledWord: '',
  dictionarySuggestions: [],
  editFlags: allowed,
  ...over,
});
const actions = () => ({ replaceMisspelling: vi.fn(), addToDictionary: vi.fn() });
const roles = (entries: ReturnType<typeof contextMenuEntries>) => entries.map((e) => ('role' in e ? e.role : 'label' in e ? e.label : '-'));

describe("the desktop window's right-click menu", () => {
  it('offers Cut, Copy, Paste and Select All in the composer, each as the field allows', () => {
    const entries = contextMenuEntries(facts({ isEditable: true, editFlags: { ...allowed, canCut: false, canCopy: false } }), actions());
    expect(roles(entries)).toEqual(['cut', 'copy', 'paste', '-', 'selectAll']);
    expect(entries.filter((e) => 'role' in e && !e.enabled).map((e) => 'role' in e && e.role)).toEqual(['cut', 'copy']);
  });

  it('offers the spelling suggestions for an underlined word first, and adds it to the dictionary', () => {
    const act = actions();
    const entries = contextMenuEntries(facts({ isEditable: true, misspelledWord: 'teh', dictionarySuggestions: ['the', 'ten'] }), act);
    expect(roles(entries)).toEqual(['the', 'ten', 'Add "teh" to the dictionary', '-', 'cut', 'copy', 'paste', '-', 'selectAll']);
    (entries[0] as { click(): void }).click();
    (entries[2] as { click(): void }).click();
    expect(act.replaceMisspelling).toHaveBeenCalledExactlyOnceWith('the');
    expect(act.addToDictionary).toHaveBeenCalledExactlyOnceWith('teh');
  });

  it('offers Copy for text selected in a reply, and nothing where there is nothing to act on', () => {
    expect(roles(contextMenuEntries(facts({ selectionText: 'a reply' }), actions()))).toEqual(['copy', 'selectAll']);
    expect(contextMenuEntries(facts({}), actions())).toEqual([]);
    expect(contextMenuEntries(facts({ selectionText: '  \n' }), actions())).toEqual([]);
  });
});
