import { DEFAULT_LOCAL_API_SETTING, LocalApiSettingSchema, type LocalApiSetting } from '../../shared/domain/security';
import type { Clock } from '../clock';
import { Emitter } from '../lifecycle/emitter';
import type { SettingsStore } from '../storage/stores/settings-store';

const SETTING_KEY = 'localApi';

/** What the host made of the setting; `problem` says why it is not running when it should be. */
export interface LocalApiStatus {
  running: boolean;
  url: string | null;
  problem: string | null;
}

/**
 * The person's choice to expose the local API from the desktop app, and what the host made of it. The desktop
 * host listens to `onDidChange` and starts or stops the same server the headless host runs.
 */
export class LocalApiControl {
  private readonly changes = new Emitter<LocalApiSetting>();
  readonly onDidChange = this.changes.event;
  private status: LocalApiStatus = { running: false, url: null, problem: null };

  constructor(
    private readonly settings: SettingsStore,
    private readonly clock: Clock,
  ) {}

  get(): LocalApiSetting {
    return this.settings.get(SETTING_KEY, LocalApiSettingSchema, DEFAULT_LOCAL_API_SETTING);
  }

  set(value: LocalApiSetting): LocalApiSetting {
    const saved = this.settings.set(SETTING_KEY, LocalApiSettingSchema, value, this.clock.now());
    this.changes.fire(saved);
    return saved;
  }

  /** Set by the host that serves the API (the desktop main process). */
  setStatus(status: LocalApiStatus): void {
    this.status = status;
  }

  describe(): LocalApiSetting & LocalApiStatus {
    return { ...this.get(), ...this.status };
  }
}
