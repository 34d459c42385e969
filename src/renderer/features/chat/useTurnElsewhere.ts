import { useEffect, useState } from 'react';
import { useApi, useConnection } from '../../lib/api/ApiProvider';

/** How often a turn another process runs is looked at again: it sends this page no event when it ends. */
const CHECK_EVERY_MS = 2_000;

/** What is known of a turn that another Portcullis process on the data folder may be running in the conversation. */
export type TurnElsewhere = { state: 'unknown' } | { state: 'none' } | { state: 'running'; pid: number };

/**
 * Whether the conversation's unfinished newest turn (`unfinishedKey`: its last message, null when the newest turn
 * has its answer) is running in another Portcullis process on the same data folder: read from the database it
 * looks ended, but it is not. Asked again every 2 s while it runs; `onEnded` is called once it has ended there,
 * to load what it wrote.
 */
export function useTurnElsewhere(conversationId: string | null, unfinishedKey: string | null, onEnded: () => void): TurnElsewhere {
  const api = useApi();
  const { epoch } = useConnection();
  const [answer, setAnswer] = useState<{ key: string; found: TurnElsewhere } | null>(null);
  const key = conversationId && unfinishedKey ? `${conversationId}\n${unfinishedKey}` : null;

  useEffect(() => {
    if (!conversationId || !key) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let seenRunning = false;
    const ask = () => {
      api.invoke('chat.runningElsewhere', { conversationId }).then(
        ({ pid }) => {
          if (!live) return;
          if (pid !== null) {
            seenRunning = true;
            setAnswer({ key, found: { state: 'running', pid } });
            timer = setTimeout(ask, CHECK_EVERY_MS);
          } else {
            setAnswer({ key, found: { state: 'none' } });
            if (seenRunning) onEnded();
          }
        },
        // A host that cannot say (an older one, or gone) leaves the turn as ended, with its Retry.
        () => live && setAnswer({ key, found: { state: 'none' } }),
      );
    };
    ask();
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // `onEnded` is left out: a new function each render must not restart the checks.
  }, [api, conversationId, key, epoch]);

  if (!key) return { state: 'none' };
  return answer && answer.key === key ? answer.found : { state: 'unknown' };
}
