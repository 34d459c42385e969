/** What the context menu is built from: the part of Electron's ContextMenuParams it reads. */
export interface ContextMenuFacts {
  isEditable: boolean;
  selectionText: string;
  misspelledWord: string;
  dictionarySuggestions: string[];
  editFlags: { canCut: boolean; canCopy: boolean; canPaste: boolean; canSelectAll: boolean };
}

/** One entry of the menu, in the shape Menu.buildFromTemplate takes. */
export type ContextMenuEntry =
  | { type: 'separator' }
  | { role: 'cut' | 'copy' | 'paste' | 'selectAll'; enabled: boolean }
  | { label: string; click: () => void };

/**
 * The window's right-click menu. Electron shows none of its own, so without it a right-click in the composer or
 * on a reply did nothing: no Paste, no Copy, no spelling suggestion for a word it underlined. Only edit roles and
 * spelling: nothing that opens, navigates or inspects.
 */
export function contextMenuEntries(
  facts: ContextMenuFacts,
  actions: { replaceMisspelling(word: string): void; addToDictionary(word: string): void },
): ContextMenuEntry[] {
  const entries: ContextMenuEntry[] = [];
  if (facts.isEditable && facts.misspelledWord) {
    for (const suggestion of facts.dictionarySuggestions.slice(0, 5)) {
      entries.push({ label: suggestion, click: () => actions.replaceMisspelling(suggestion) });
    }
    const word = facts.misspelledWord;
    entries.push({ label: `Add "${word}" to the dictionary`, click: () => actions.addToDictionary(word) }, { type: 'separator' });
  }
  if (facts.isEditable) {
    entries.push(
      { role: 'cut', enabled: facts.editFlags.canCut },
      { role: 'copy', enabled: facts.editFlags.canCopy },
      { role: 'paste', enabled: facts.editFlags.canPaste },
      { type: 'separator' },
      { role: 'selectAll', enabled: facts.editFlags.canSelectAll },
    );
  } else if (facts.selectionText.trim()) {
    entries.push({ role: 'copy', enabled: facts.editFlags.canCopy }, { role: 'selectAll', enabled: facts.editFlags.canSelectAll });
  }
  return entries;
}
