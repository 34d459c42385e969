import { useEffect, useRef, useState } from 'react';
import { counted } from '../../../shared/counted';
import type { ToolInfo } from '../../../shared/domain/tool-catalog';
import { heldToolsApproval, type ApprovedTogether } from '../../../shared/held-tools-approval';
import { shownHash } from '../../../shared/shown-hash';
import { describeAnnotations } from '../../lib/annotations';

/**
 * Beside a server, after the pins were lost: one button for all its tools held for that alone. It opens, in the row
 * (the tools stay in sight above), the list to be approved, each tool with what it says it does and its definition's
 * hash, and the tools left to decide one by one (changed from a definition the person approved, added later,
 * rejected), with why; nothing is approved until the person confirms.
 */
export function ApproveHeldTools({ server, held, onApprove }: { server: string; held: readonly ToolInfo[]; onApprove: (tools: ApprovedTogether[]) => void }) {
  // The list as it was when the person opened it: that is what they review and what is approved. A server that
  // changes a held tool meanwhile (its definition, so its hash) makes the list another one, to open again.
  const [reviewed, setReviewed] = useState<ApprovedTogether[] | null>(null);
  const open = reviewed !== null;
  const opener = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const { together, apart } = heldToolsApproval(held);
  useEffect(() => {
    if (open) panel.current?.focus();
  }, [open]);
  if (together.length === 0) return null;
  const changedSince = reviewed !== null && !sameList(reviewed, together);
  const close = () => {
    setReviewed(null);
    opener.current?.focus();
  };
  const annotationsOf = (name: string) => held.find((tool) => tool.name === name)?.change?.offered.annotations ?? {};
  return (
    <>
      <button ref={opener} type="button" aria-expanded={open} onClick={() => setReviewed(open ? null : together)} aria-label={`Approve ${counted(together.length, 'held tool')} of ${server}`}>
        Approve {counted(together.length, 'held tool')}
      </button>
      {open && (
        <div ref={panel} tabIndex={-1} className="approve-held" role="group" aria-label={`Approve the held tools of ${server}`} data-testid={`approve-held-${server}`}>
          <p>
            Held back because the record of the tools you approved was lost. Approving trusts these definitions of {server}&apos;s tools, as named by their
            hashes (each is shown whole above):
          </p>
          <ul data-testid="approve-held-list">
            {(reviewed ?? together).map((tool) => (
              <li key={tool.name}>
                <code>{tool.name}</code> <code className="muted">{shownHash(tool.hash)}</code> <span className="muted">{describeAnnotations(annotationsOf(tool.name))}</span>
              </li>
            ))}
          </ul>
          {apart.length > 0 && (
            <>
              <p>Not approved with them, each to review and decide on its own above:</p>
              <ul data-testid="approve-held-apart">
                {apart.map((tool) => (
                  <li key={tool.name}>
                    <code>{tool.name}</code>: {tool.why}
                  </li>
                ))}
              </ul>
            </>
          )}
          {changedSince && (
            <p role="alert" data-testid="approve-held-changed">
              {server} changed its held tools since you opened this list: close it and open it again to review them as they are now.
            </p>
          )}
          <div className="server-actions">
            <button
              type="button"
              className="primary"
              disabled={changedSince}
              onClick={() => {
                onApprove(reviewed ?? together);
                close();
              }}
            >
              Approve these {counted((reviewed ?? together).length, 'tool')}
            </button>
            <button type="button" onClick={close}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </>
  );
}

/** Whether two lists name the same tools with the same definitions' hashes. */
function sameList(a: readonly ApprovedTogether[], b: readonly ApprovedTogether[]): boolean {
  const hashes = new Map(a.map((tool) => [tool.name, tool.hash]));
  return a.length === b.length && b.every((tool) => hashes.get(tool.name) === tool.hash);
}
