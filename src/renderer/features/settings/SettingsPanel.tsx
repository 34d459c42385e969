import type { RefObject } from 'react';
import { ApiKeysSection } from './ApiKeysSection';
import { LocalApiSection } from './LocalApiSection';
import { SecretsSection } from './SecretsSection';
import { TracesSection } from './TracesSection';
import { WorkspaceSection } from './WorkspaceSection';
import './settings.css';

export interface SettingsPanelProps {
  onClose: () => void;
  headingRef: RefObject<HTMLHeadingElement | null>;
}

/** Settings → the workspace, secrets, local API keys, the local API and traces, in the right-hand column. */
export function SettingsPanel({ onClose, headingRef }: SettingsPanelProps) {
  return (
    <aside className="settings-panel" aria-label="Settings" data-testid="settings-panel">
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
    </aside>
  );
}
