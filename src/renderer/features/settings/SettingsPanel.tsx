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
  /** Takes the person to the Model card, which Settings opens above the chat (the provider, its Test, tool calls). */
  onOpenModel: () => void;
  headingRef: RefObject<HTMLHeadingElement | null>;
}

/** Settings → the model (a pointer to its card beside), the workspace, secrets, local API keys, the local API, traces and retention, in the right-hand column. */
export function SettingsPanel({ onClose, onOpenRetention, onOpenModel, headingRef }: SettingsPanelProps) {
  return (
    <aside className="trace-panel" aria-label="Settings" data-testid="settings-panel" {...escapeCloses(onClose)}>
      <div className="trace-header">
        <h2 ref={headingRef} tabIndex={-1}>Settings</h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close settings">
          ×
        </button>
      </div>
      {/* README's "Settings → Model" is found here too, though the card is the chat column's, for its room. */}
      <section className="settings-section" aria-labelledby="settings-model-h" data-testid="settings-model">
        <h3 id="settings-model-h">Model</h3>
        <p className="muted">The model that answers (built-in, a local server or a hosted API), its Test and how it calls tools: the Model card beside this panel, above the chat.</p>
        <button type="button" onClick={onOpenModel}>
          Go to the Model card
        </button>
      </section>
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
