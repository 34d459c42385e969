import type { RefObject } from 'react';
import { escapeCloses } from '../../lib/escape-closes';
import { ApiKeysSection } from './ApiKeysSection';
import { LocalApiSection } from './LocalApiSection';
import { SecretsSection } from './SecretsSection';
import { TracesSection } from './TracesSection';
import { WorkspaceSection } from './WorkspaceSection';
import './settings.css';

export interface SettingsPanelProps {
  onClose: () => void;
  /** Opens Search & memory on its Retention tab, where retention, export and "delete everything" live. */
  onOpenRetention: () => void;
  headingRef: RefObject<HTMLHeadingElement | null>;
}

/** Settings → the workspace, secrets, local API keys, the local API, traces and retention, in the right-hand column. */
export function SettingsPanel({ onClose, onOpenRetention, headingRef }: SettingsPanelProps) {
  return (
    <aside className="trace-panel" aria-label="Settings" data-testid="settings-panel" {...escapeCloses(onClose)}>
      <div className="trace-header">
        <h2 ref={headingRef} tabIndex={-1}>Settings</h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close settings">
          ×
        </button>
      </div>
      <WorkspaceSection />
      <SecretsSection />
      <ApiKeysSection />
      <LocalApiSection />
      <TracesSection />
      <section className="settings-section" aria-labelledby="settings-retention-h">
        <h3 id="settings-retention-h">Retention</h3>
        <p className="muted">How long conversations and traces are kept, a size cap, private chats by default, export and delete everything.</p>
        <button type="button" onClick={onOpenRetention}>
          Open retention settings
        </button>
      </section>
    </aside>
  );
}
