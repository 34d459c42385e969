import { useEffect, useState } from 'react';
import { useApi, useConnection } from '../../lib/api/ApiProvider';
import { runningElsewhereMap } from './running-elsewhere';

/** How often the list is asked again: another process sends this page no event when a turn starts or ends there. */
const CHECK_EVERY_MS = 2_000;

const NONE: ReadonlyMap<string, number> = new Map();

/**
 * The conversations another Portcullis process on the data folder runs a turn in now, by id, with its pid: the
 * sidebar marks them running as it does this page's own (a row that showed nothing looked idle, and its Delete was
 * refused). Not asked while the page is hidden.
 */
export function useRunningElsewhere(): ReadonlyMap<string, number> {
  const api = useApi();
  const { epoch } = useConnection();
  const [running, setRunning] = useState(NONE);

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const again = () => {
      if (live) timer = setTimeout(ask, CHECK_EVERY_MS);
    };
    const ask = () => {
      if (document.hidden) return again();
      api.invoke('conversations.runningElsewhere', {}).then(
        ({ conversations }) => {
          if (live) setRunning((previous) => runningElsewhereMap(previous, conversations));
          again();
        },
        // A host that cannot say (an older one, or gone for now) marks none, and is asked again.
        () => {
          if (live) setRunning(NONE);
          again();
        },
      );
    };
    ask();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, epoch]);

  return running;
}
