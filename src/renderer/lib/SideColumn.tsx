import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type PointerEvent, type ReactNode } from 'react';

const STORAGE_KEY = 'portcullis.sideWidth';
const MIN_WIDTH = 320;
/** What the sidebar and the narrowest readable chat keep of the window. */
const KEPT_FOR_THE_REST = 240 + 400;
const KEY_STEP = 32;

const clampWidth = (width: number) => Math.round(Math.max(MIN_WIDTH, Math.min(width, Math.max(MIN_WIDTH, window.innerWidth - KEPT_FOR_THE_REST))));

function readWidth(): number | null {
  try {
    const stored = Number(localStorage.getItem(STORAGE_KEY));
    return Number.isFinite(stored) && stored >= MIN_WIDTH ? stored : null;
  } catch {
    return null;
  }
}

/** The right column's width the person chose (null: the default share of the window), kept across restarts. */
export function useSideWidth(): [number | null, (width: number | null) => void] {
  const [width, setWidth] = useState<number | null>(readWidth);
  const choose = useCallback((next: number | null) => {
    const chosen = next === null ? null : clampWidth(next);
    setWidth(chosen);
    try {
      if (chosen === null) localStorage.removeItem(STORAGE_KEY);
      else localStorage.setItem(STORAGE_KEY, String(chosen));
    } catch {
      // Storage refused (a private window): the width lasts until the window closes.
    }
  }, []);
  return [width, choose];
}

/**
 * The right column, and the border between it and the chat as a splitter: drag the border, or focus it and use
 * ← → (Home and End for the narrowest and widest); a double click or Enter goes back to the default width.
 */
export function SideColumn({ id, width, onWidth, children }: { id?: string; width: number | null; onWidth: (width: number | null) => void; children: ReactNode }) {
  const column = useRef<HTMLDivElement>(null);
  const [shown, setShown] = useState(MIN_WIDTH);
  useEffect(() => {
    const element = column.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setShown(Math.round(element.getBoundingClientRect().width)));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    event.preventDefault();
    event.currentTarget.setPointerCapture(event.pointerId);
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    if (event.currentTarget.hasPointerCapture(event.pointerId)) onWidth(window.innerWidth - event.clientX);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const current = width ?? shown;
    if (event.key === 'ArrowLeft') onWidth(current + KEY_STEP);
    else if (event.key === 'ArrowRight') onWidth(current - KEY_STEP);
    else if (event.key === 'Home') onWidth(MIN_WIDTH);
    else if (event.key === 'End') onWidth(Number.MAX_SAFE_INTEGER);
    else if (event.key === 'Enter') onWidth(null);
    else return;
    event.preventDefault();
  };

  return (
    <>
      <div
        className="side-resizer"
        role="separator"
        aria-orientation="vertical"
        aria-label="Width of the side panel"
        aria-valuemin={MIN_WIDTH}
        aria-valuenow={shown}
        tabIndex={0}
        title="Drag to resize (← → with the keyboard); double-click for the default width"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onDoubleClick={() => onWidth(null)}
        onKeyDown={onKeyDown}
      />
      <div id={id} ref={column} className="trace-column">
        {children}
      </div>
    </>
  );
}
