import { useEffect, useRef, useState } from 'react';
import { MemoriesTab } from './MemoriesTab';
import { RetentionTab } from './RetentionTab';
import { SearchTab } from './SearchTab';

type Tab = 'search' | 'memories' | 'retention';
const TABS: { id: Tab; label: string }[] = [
  { id: 'search', label: 'Search' },
  { id: 'memories', label: 'Memories' },
  { id: 'retention', label: 'Retention' },
];

/** A header button opening search, the memories page and retention settings in one dialog. Ctrl+K opens search. */
export function MemoryCenter({ onOpenConversation }: { onOpenConversation: (id: string) => void }) {
  const [open, setOpen] = useState(false);
  const [tab, setTab] = useState<Tab>('search');
  const buttonRef = useRef<HTMLButtonElement>(null);

  const close = (): void => {
    setOpen(false);
    requestAnimationFrame(() => buttonRef.current?.focus());
  };
  const openConversation = (id: string): void => {
    onOpenConversation(id);
    setOpen(false);
  };

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        setTab('search');
        setOpen(true);
      } else if (event.key === 'Escape' && open) {
        event.preventDefault();
        close();
      }
    };
    // Capture: Esc closes this dialog before the composer's Esc could stop the turn.
    window.addEventListener('keydown', onKeyDown, { capture: true });
    return () => window.removeEventListener('keydown', onKeyDown, { capture: true });
  }, [open]);

  return (
    <>
      <button ref={buttonRef} type="button" className="toggle" aria-haspopup="dialog" onClick={() => setOpen(true)}>
        Search &amp; memory
      </button>
      {open && (
        <div className="memory-overlay" onMouseDown={(event) => event.target === event.currentTarget && close()}>
          <div className="memory-dialog" role="dialog" aria-modal="true" aria-labelledby="memory-dialog-title">
            <header className="memory-dialog-header">
              <h2 id="memory-dialog-title">Search &amp; memory</h2>
              <button type="button" className="icon-button" aria-label="Close" onClick={close}>×</button>
            </header>
            <div role="tablist" aria-label="Search and memory" className="memory-tabs">
              {TABS.map(({ id, label }) => (
                <button key={id} type="button" role="tab" id={`memory-tab-${id}`} aria-selected={tab === id} aria-controls="memory-tabpanel" onClick={() => setTab(id)}>
                  {label}
                </button>
              ))}
            </div>
            <div role="tabpanel" id="memory-tabpanel" aria-labelledby={`memory-tab-${tab}`} className="memory-tabpanel">
              {tab === 'search' && <SearchTab onOpenConversation={openConversation} />}
              {tab === 'memories' && <MemoriesTab onOpenConversation={openConversation} />}
              {tab === 'retention' && <RetentionTab />}
            </div>
          </div>
        </div>
      )}
    </>
  );
}
