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
  }, [epoch]);

  return { state, dispatch };
}
