import { useCallback, useEffect, useRef, useState } from 'react';
import type { ToolCatalog } from '../../../shared/domain/tool-catalog';
import type { ApprovedTogether } from '../../../shared/held-tools-approval';
import { useApi, useConnection } from '../../lib/api/ApiProvider';
import { describeError } from '../../lib/errors';
import { ACTION_WORDS, type ServerAction } from './ServerRow';

const REFRESH_MS = 2_000;

/** Every tool and MCP server, refreshed while shown (servers start, fail and restart on their own). */
export function useToolCatalog() {
  const api = useApi();
  const { epoch } = useConnection();
  const [catalog, setCatalog] = useState<ToolCatalog | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  // Apart from the load error, so that the refresh right after an action does not hide why it did nothing.
  const [actionError, setActionError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  /** Bumped when mcp.json changed behind the editor (its configVersion): an action, an import or another app. */
  const [fileVersion, setFileVersion] = useState(0);
  const configVersion = useRef<string | null>(null);

  useEffect(() => {
    let active = true;
    api.invoke('tools.catalog', {}).then(
      (result) => {
        if (!active) return;
        setCatalog(result);
        setLoadError(null);
        // Saved in another app (the host took it up): the editor shows the file as it now is, or says it changed.
        if (configVersion.current !== null && configVersion.current !== result.configVersion) setFileVersion((n) => n + 1);
        configVersion.current = result.configVersion;
      },
      (err: unknown) => active && setLoadError(`Could not load the tools. ${describeError(err)}`),
    );
    return () => {
      active = false;
    };
  }, [api, epoch, tick]);

  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);

  /** mcp.json changed (an import): the catalog reloads, and its configVersion has the editor show the file as it now is. */
  const fileChanged = useCallback(() => setTick((n) => n + 1), []);

  /**
   * Runs one of the page's actions, shows its problems (or why it failed), then reloads the catalog: one that
   * changed mcp.json (a server or tool turned on or off, a grant) shows there as a new configVersion.
   */
  const act = useCallback(async (run: () => Promise<{ problems: string[] } | void>, failed: string) => {
    try {
      const problems = (await run())?.problems ?? [];
      setActionError(problems.length > 0 ? problems.join(' ') : null);
    } catch (err) {
      setActionError(`${failed} ${describeError(err)}`);
    }
    setTick((n) => n + 1);
  }, []);

  /** `hash`: the definition the page showed (its catalog's `change.hash`): approving names it, never one offered since. */
  const decideChange = (name: string, decision: 'approve' | 'reject', hash: string) =>
    act(async () => void (await (decision === 'approve' ? api.invoke('tools.approveChange', { name, hash }) : api.invoke('tools.rejectChange', { name }))), `Could not ${decision} ${name}.`);
  /**
   * Approves several held tools of one server (ApproveHeldTools, once the person confirmed the list), each by the hash
   * shown: one whose server offered another definition since is refused, said, and the rest still approved.
   */
  const approveTogether = (server: string, tools: readonly ApprovedTogether[]) =>
    act(async () => {
      const problems: string[] = [];
      for (const { name, hash } of tools) {
        try {
          if (!(await api.invoke('tools.approveChange', { name, hash })).approved) problems.push(`${name} was not approved: nothing of it waits to be approved any more.`);
        } catch (err) {
          problems.push(`${name} was not approved. ${describeError(err)}`);
        }
      }
      return { problems };
    }, `Could not approve the held tools of ${server}.`);
  const controlServer = (name: string, action: ServerAction) =>
    act(() => api.invoke('tools.controlServer', { name, action }), `Could not ${ACTION_WORDS[action]} ${name}.`);
  const setToolEnabled = (name: string, enabled: boolean) =>
    act(() => api.invoke('tools.setToolEnabled', { name, enabled }), `Could not turn ${enabled ? 'on' : 'off'} ${name}.`);
  const allowDomain = (name: string, domain: string) => act(() => api.invoke('tools.allowDomain', { name, domain }), `Could not let ${name} reach ${domain}.`);
  const allowWrite = (name: string, folder: string) => act(() => api.invoke('tools.allowWrite', { name, folder }), `Could not let ${name} write ${folder}.`);

  /** After a save in the editor: an action's complaint about the file is answered by it. */
  const refresh = useCallback(() => {
    setActionError(null);
    setTick((n) => n + 1);
  }, []);

  const error = [loadError, actionError].filter(Boolean).join(' ') || null;
  return { catalog, error, decideChange, approveTogether, controlServer, allowDomain, allowWrite, setToolEnabled, refresh, fileVersion, fileChanged };
}
