import { useEffect, useReducer, type Dispatch } from 'react';
import { useApi, useConnection } from '../../lib/api/ApiProvider';
import { chatReducer, initialChatState, type ChatAction, type ChatState } from './chat-store';

/** The chat state of every conversation, fed by the host's events for as long as the app runs. */
export function useChatStore(): { state: ChatState; dispatch: Dispatch<ChatAction> } {
  const api = useApi();
  const { epoch } = useConnection();
  const [state, dispatch] = useReducer(chatReducer, initialChatState);

  useEffect(() => api.onEvent((event) => dispatch({ type: 'event', event, receivedAt: Date.now() })), [api]);
  useEffect(() => {
    if (epoch > 1) dispatch({ type: 'reconnected' });
    // What runs now that this page did not see start (it loaded, or reconnected, meanwhile): a script's or an MCP
    // client's call waiting for the person included, so its row has the running dot before it is opened. A host too
    // old to say leaves it as before.
    let live = true;
    api.invoke('conversations.running', {}).then(
      ({ turns }) => {
        for (const turn of turns) if (live) dispatch({ type: 'runningFound', ...turn });
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [api, epoch]);

  return { state, dispatch };
}
