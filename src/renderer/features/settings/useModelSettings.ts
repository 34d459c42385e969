import { useCallback, useEffect, useState } from 'react';
import type { DetectedServer, ModelSelection, ModelSettings, ModelTestResult } from '../../../shared/domain/model-settings';
import { useApi, useConnection } from '../../lib/api/ApiProvider';
import { describeError } from '../../lib/errors';

/** The model settings of the host: load, detect local servers, test a draft selection, save it. */
export function useModelSettings() {
  const api = useApi();
  const { epoch } = useConnection();
  const [settings, setSettings] = useState<ModelSettings | null>(null);
  const [servers, setServers] = useState<DetectedServer[] | null>(null);
  const [detecting, setDetecting] = useState(false);
  // The address the last look asked besides the usual ports, to say so when nothing there answered.
  const [asked, setAsked] = useState<string | null>(null);
  const [testResult, setTestResult] = useState<ModelTestResult | null>(null);
  const [busy, setBusy] = useState<'testing' | 'saving' | null>(null);
  const [error, setError] = useState<string | null>(null);

  /** `baseUrl`: an address the person typed, asked for its models beside the usual ports. */
  const detect = useCallback(async (baseUrl?: string) => {
    setDetecting(true);
    try {
      setServers(await api.invoke('models.detect', baseUrl ? { baseUrl } : {}));
      setAsked(baseUrl ?? null);
    } catch (e) {
      setError(`Could not look for local servers. ${describeError(e)}`);
    } finally {
      setDetecting(false);
    }
  }, [api]);

  // The saved local server is asked for its models too (one on another port or machine is on no usual port).
  useEffect(() => {
    api.invoke('models.get', {}).then(
      (loaded) => {
        setSettings(loaded);
        void detect(loaded.selection.provider === 'openai-compatible' ? loaded.selection.baseUrl : undefined);
      },
      (e: unknown) => {
        setError(`Could not load the model settings. ${describeError(e)}`);
        void detect();
      },
    );
  }, [api, epoch, detect]);

  const test = useCallback(
    async (selection: ModelSelection, apiKey?: string) => {
      setBusy('testing');
      setError(null);
      setTestResult(null);
      try {
        setTestResult(await api.invoke('models.test', { selection, ...(apiKey ? { apiKey } : {}) }));
      } catch (e) {
        setError(`The test could not run. ${describeError(e)}`);
      } finally {
        setBusy(null);
      }
    },
    [api],
  );

  /** The form changed: a result about what it was would read as one about what it is now. */
  const clearTest = useCallback(() => setTestResult(null), []);

  const save = useCallback(
    async (selection: ModelSelection, apiKey?: string) => {
      setBusy('saving');
      setError(null);
      try {
        setSettings(await api.invoke('models.set', { selection, ...(apiKey ? { apiKey } : {}) }));
        // A server saved at an address typed without Look again is listed beside the others, as on the next open.
        if (selection.provider === 'openai-compatible') void detect(selection.baseUrl);
        return true;
      } catch (e) {
        setError(`Nothing was saved. ${describeError(e)}`);
        return false;
      } finally {
        setBusy(null);
      }
    },
    [api, detect],
  );

  return { settings, servers, asked, detecting, detect, testResult, test, clearTest, save, busy, error };
}
