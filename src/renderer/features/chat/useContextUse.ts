import { useEffect, useState } from 'react';
import type { ContextUse } from '../../../shared/domain/context-use';
import { useApi, useAppEvent, useConnection } from '../../lib/api/ApiProvider';

/**
 * How much of the conversation the model is sent: asked of the host when the conversation opens and after each
 * turn (what the next step would be sent), and taken from each model step of a running turn as it happens.
 */
export function useContextUse(conversationId: string | null): ContextUse | null {
  const api = useApi();
  const { epoch } = useConnection();
  const [use, setUse] = useState<{ conversationId: string; use: ContextUse } | null>(null);
  const [asked, setAsked] = useState(0);

  useEffect(() => {
    if (!conversationId) return;
    let live = true;
    api.invoke('chat.contextUse', { conversationId }).then(
      (answer) => live && setUse({ conversationId, use: answer }),
      () => live && setUse(null), // the meter is a hint: without an answer it is not drawn
    );
    return () => {
      live = false;
    };
  }, [api, conversationId, epoch, asked]);

  useAppEvent('chat.contextUsed', (event) => {
    if (event.conversationId === conversationId) setUse({ conversationId, use: event.use });
  });
  useAppEvent('chat.turnEnded', (event) => {
    if (event.conversationId === conversationId) setAsked((n) => n + 1);
  });

  return use && use.conversationId === conversationId ? use.use : null;
}
