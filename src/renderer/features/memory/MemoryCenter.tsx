import { useEffect, useRef, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { MemoriesTab } from './MemoriesTab';
import { RetentionTab } from './RetentionTab';
import { SearchTab } from './SearchTab';
import { focusSoon } from '../../lib/focus-soon';
import type { RevealTarget } from '../chat/reveal-target';

export type MemoryTab = 'search' | 'memories' | 'retention';
const TABS: { id: MemoryTab; label: string }[] = [
  { id: 'search', label: 'Search' },
  { id: 'memories', label: 'Memories' },
  { id: 'retention', label: 'Retention' },
];

/** Which tab the dialog shows, and the query a search starts with (the sidebar's filter hands its text on). */
export interface MemoryView {
  tab: MemoryTab;
  query?: string;
}

export interface MemoryCenterProps {
  /** Open on this view; null: closed. */
  view: MemoryView | null;
  onViewChange: (view: MemoryView | null) => void;
  /** `at`: the message or tool card to show there (a search hit in it). */
  onOpenConversation: (id: string, at?: Pick<RevealTarget, 'kind' | 'id'>) => void;
}

/** A button opening search, the memories page and retention settings in one dialog. Ctrl+K opens search. */
export function MemoryCenter({ view, onViewChange, onOpenConversation }: MemoryCenterProps) {
  const buttonRef = useRef<HTMLButtonElement>(null);
  const open = view !== null;
  // Where the keyboard was before the dialog took it: the message box for a Ctrl+K typed there, the sidebar's
  // filter for its Enter, this button for a click.
  const opener = useRef<HTMLElement | null>(null);
  useEffect(() => {
    const onFocusIn = (event: FocusEvent): void => {
      if (event.target instanceof HTMLElement && !event.target.closest('.memory-overlay')) opener.current = event.target;
    };
    window.addEventListener('focusin', onFocusIn);
    return () => window.removeEventListener('focusin', onFocusIn);
  }, []);

  // Closed, it gives the keyboard back where it was taken from (to this button when that is gone), so that a
  // search made while writing a message goes back to the message.
  const close = (): void => {
    onViewChange(null);
    const back = opener.current;
    focusSoon(back?.isConnected ? opener : buttonRef);
  };
  const openConversation = (id: string, at?: Pick<RevealTarget, 'kind' | 'id'>): void => {
    onOpenConversation(id, at);
    onViewChange(null);
  };

  // A modal: Tab goes round inside the dialog instead of on to the page behind the overlay.
  const keepTabInside = (event: ReactKeyboardEvent<HTMLDivElement>): void => {
    if (event.key !== 'Tab') return;
    const focusable = [...event.currentTarget.querySelectorAll<HTMLElement>('button, input, select, textarea, a[href], [tabindex]:not([tabindex="-1"])')].filter(
      (el) => !(el as HTMLButtonElement).disabled && el.getClientRects().length > 0,
    );
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (event.shiftKey ? document.activeElement === first : document.activeElement === last) {
      event.preventDefault();
      (event.shiftKey ? last : first)?.focus();
    }
  };

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        onViewChange({ tab: 'search' });
      } else if (event.key === 'Escape' && open && !(event.target instanceof Element && event.target.closest('.memory-edit, .memory-item:has(.memory-confirm)'))) {
        event.preventDefault();
        close();
      }
    };
    // Capture: Esc closes this dialog before the composer's Esc could stop the turn. A memory being edited takes
    // its own Esc (it ends the edit and keeps the dialog), as does a row whose deletion is being confirmed (Esc,
    // from any of its buttons, takes back the question).
    window.addEventListener('keydown', onKeyDown, { capture: true });
    return () => window.removeEventListener('keydown', onKeyDown, { capture: true });
  }, [open, onViewChange]);

  return (
    <>
      <button ref={buttonRef} type="button" className="toggle" aria-haspopup="dialog" aria-keyshortcuts="Control+K Meta+K" onClick={() => onViewChange({ tab: 'search' })}>
        Search &amp; memory
      </button>
      {view && (
        <div className="memory-overlay" onMouseDown={(event) => event.target === event.currentTarget && close()}>
          <div className="memory-dialog" role="dialog" aria-modal="true" aria-labelledby="memory-dialog-title" onKeyDown={keepTabInside}>
            <header className="memory-dialog-header">
              <h2 id="memory-dialog-title">Search &amp; memory</h2>
              <button type="button" className="icon-button" aria-label="Close" onClick={close}>×</button>
            </header>
            <div role="tablist" aria-label="Search and memory" className="memory-tabs" onKeyDown={(event) => moveBetweenTabs(event, view.tab, (tab) => onViewChange({ tab, query: view.query }))}>
              {TABS.map(({ id, label }) => (
                <button
                  key={id}
                  type="button"
                  role="tab"
                  id={`memory-tab-${id}`}
                  aria-selected={view.tab === id}
                  aria-controls="memory-tabpanel"
                  // One stop for the tab list in the Tab order; the arrows move between its tabs (the ARIA tabs pattern).
                  tabIndex={view.tab === id ? 0 : -1}
                  onClick={() => onViewChange({ tab: id, query: view.query })}
                >
                  {label}
                </button>
              ))}
            </div>
            <div role="tabpanel" id="memory-tabpanel" aria-labelledby={`memory-tab-${view.tab}`} className="memory-tabpanel">
              {/* The query is kept in the view, so a look at the memories does not lose the search. */}
              {view.tab === 'search' && <SearchTab initialQuery={view.query} onQueryChange={(query) => onViewChange({ tab: 'search', query })} onOpenConversation={openConversation} />}
              {view.tab === 'memories' && <MemoriesTab onOpenConversation={openConversation} />}
              {view.tab === 'retention' && <RetentionTab />}
            </div>
          </div>
        </div>
      )}
    </>
  );
}

/** ← → Home End on the tab list: the tab chosen opens and keeps the focus. */
function moveBetweenTabs(event: ReactKeyboardEvent<HTMLElement>, current: MemoryTab, open: (tab: MemoryTab) => void): void {
  const at = TABS.findIndex((tab) => tab.id === current);
  const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: TABS.length - 1 }[event.key];
  if (to === undefined) return;
  event.preventDefault();
  const tab = TABS[(to + TABS.length) % TABS.length]!.id;
  open(tab);
  // After the panel is drawn: the search box takes the focus when its tab opens, which is right for Ctrl+K only.
  requestAnimationFrame(() => document.getElementById(`memory-tab-${tab}`)?.focus());
}
