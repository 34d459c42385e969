import { useCallback, useEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import type { Conversation } from '../shared/domain/conversation';
import { describeError } from './lib/errors';
import { truncate } from '../shared/key-arguments';
import { useAppInfo } from './features/app-info/useAppInfo';
import { ApprovalQueue } from './features/approvals/ApprovalQueue';
import { useApprovals } from './features/approvals/useApprovals';
import { windowTitle } from './features/approvals/window-title';
import { ChatView } from './features/chat/ChatView';
import { shownRunningTurn } from './features/chat/chat-store';
import type { RevealTarget } from './features/chat/reveal-target';
import { ElicitationQueue } from './features/elicitations/ElicitationQueue';
import { useElicitations } from './features/elicitations/useElicitations';
import { useChatStore } from './features/chat/useChatStore';
import { ConnectionBanner } from './features/connection/ConnectionBanner';
import { RuntimeNoticeBanner } from './features/app-info/RuntimeNoticeBanner';
import { ConversationList } from './features/conversations/ConversationList';
import { ExportConversation } from './features/conversations/ExportConversation';
import { PRIVATE_NOTE } from './features/conversations/ConversationRow';
import { useConversations } from './features/conversations/useConversations';
import { MemoryCenter, type MemoryView } from './features/memory/MemoryCenter';
import { TracePanel, type TraceView } from './features/traces/TracePanel';
import { SettingsPanel } from './features/settings/SettingsPanel';
import { PoliciesPage } from './features/policies/PoliciesPage';
import { ModelSettingsPanel } from './features/settings/ModelSettingsPanel';
import { ToolsPage } from './features/tools/ToolsPage';
import { WebAccessOpener, type WebAccessDraft } from './features/tools/web-access-opener';
import { ModelSettingsOpener } from './features/settings/model-settings-opener';
import { escapeCloses } from './lib/escape-closes';
import { SideColumn, useSideWidth } from './lib/SideColumn';
import { focusSoon } from './lib/focus-soon';

const SELECTED_KEY = 'portcullis.conversation';

/** What the right column shows. */
type SidePlace = 'trace' | 'tools' | 'settings';

function readSelected(): string | null {
  try {
    return window.sessionStorage.getItem(SELECTED_KEY);
  } catch {
    return null;
  }
}

function writeSelected(id: string | null): void {
  try {
    if (id) window.sessionStorage.setItem(SELECTED_KEY, id);
    else window.sessionStorage.removeItem(SELECTED_KEY);
  } catch {
    // Without storage the selection simply does not survive a reload.
  }
}

/** The window: conversations on the left, the chat in the center, the trace on the right (toggle). */
export function App() {
  const conversations = useConversations();
  const { state: chat, dispatch } = useChatStore();
  const approvals = useApprovals();
  const elicitations = useElicitations();
  // Counts the models saved in Settings → Model: the first screen names the model in use.
  const [modelSaves, setModelSaves] = useState(0);
  const info = useAppInfo(modelSaves);
  const [selectedId, setSelectedId] = useState<string | null>(readSelected);
  const [newChatError, setNewChatError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  // The right column holds one place at a time; opening another replaces it.
  const [side, setSide] = useState<SidePlace | null>(null);
  const traceOpen = side === 'trace';
  const [sideWidth, setSideWidth] = useSideWidth();
  const [traceView, setTraceView] = useState<TraceView>('timeline');
  const [memoryView, setMemoryView] = useState<MemoryView | null>(null);
  const [pinnedTraceId, setPinnedTraceId] = useState<string | null>(null);
  const [policiesOpen, setPoliciesOpen] = useState(false);
  const composerRef = useRef<HTMLTextAreaElement>(null);
  const traceToggleRef = useRef<HTMLButtonElement>(null);
  const tracesButtonRef = useRef<HTMLButtonElement>(null);
  const traceHeadingRef = useRef<HTMLHeadingElement>(null);
  const settingsOpen = side === 'settings';
  const settingsHeadingRef = useRef<HTMLHeadingElement>(null);
  const modelHeadingRef = useRef<HTMLHeadingElement>(null);
  const settingsButtonRef = useRef<HTMLButtonElement>(null);
  const toolsButtonRef = useRef<HTMLButtonElement>(null);
  const policiesButtonRef = useRef<HTMLButtonElement>(null);
  const toolsOpen = side === 'tools';
  const [draft, setDraft] = useState<{ text: string } | null>(null);
  // The message or tool card a search hit opened the conversation at.
  const [reveal, setReveal] = useState<(RevealTarget & { conversationId: string }) | null>(null);
  const toolsHeadingRef = useRef<HTMLHeadingElement>(null);

  const select = useCallback((id: string | null) => {
    setSelectedId(id);
    setPinnedTraceId(null);
    writeSelected(id);
  }, []);

  const openFound = useCallback(
    (id: string, at?: Pick<RevealTarget, 'kind' | 'id'>) => {
      select(id);
      setReveal(at ? { conversationId: id, ...at, nonce: Date.now() } : null);
    },
    [select],
  );

  // A remembered conversation that no longer exists is forgotten once the list is known.
  useEffect(() => {
    if (conversations.loaded && selectedId && !conversations.list.some((c) => c.id === selectedId)) select(null);
  }, [conversations.loaded, conversations.list, selectedId, select]);

  const selected = conversations.list.find((c) => c.id === selectedId) ?? null;
  const title = selected?.title || 'New chat';
  const waiting = approvals.pending.length;
  useEffect(() => {
    document.title = windowTitle(selected ? title : null, waiting);
  }, [selected, title, waiting]);

  // A chat being created: a message sent meanwhile belongs to it (a private one above all), not to the chat on
  // screen or to a new ordinary one.
  const creation = useRef<Promise<Conversation> | null>(null);
  const newChat = useCallback(async (options: { private?: boolean } = {}) => {
    setNewChatError(null);
    // The chat on screen is already a new one (nothing said in it yet, of the kind asked for): it is the new chat,
    // rather than one more empty "New chat" in the list.
    const shownMessages = selectedId ? chat.messages[selectedId] : undefined;
    if (selected && shownMessages?.length === 0 && !chat.running[selected.id] && Boolean(selected.private) === Boolean(options.private)) {
      focusSoon(composerRef);
      return;
    }
    // So is one made earlier and left empty (never touched since, still untitled): opened, not a second "New chat".
    const untouched = conversations.list.find(
      (c) => c.title === 'New chat' && c.updatedAt === c.createdAt && !chat.running[c.id] && Boolean(c.private) === Boolean(options.private),
    );
    if (untouched) {
      select(untouched.id);
      focusSoon(composerRef);
      return;
    }
    setCreating(true);
    const pending = conversations.create(options);
    creation.current = pending;
    try {
      const conversation = await pending;
      select(conversation.id);
      focusSoon(composerRef);
    } catch (error) {
      setNewChatError(`Could not start a new chat. ${describeError(error)}`);
    } finally {
      if (creation.current === pending) creation.current = null;
      setCreating(false);
    }
  }, [conversations, select, selected, selectedId, chat.messages, chat.running]);

  const ensureConversation = useCallback(
    async (titleHint: string) => {
      if (creation.current) return (await creation.current).id;
      if (selectedId) return selectedId;
      const conversation = await conversations.create({ title: truncate(titleHint.replace(/\s+/g, ' ').trim(), 60) });
      select(conversation.id);
      return conversation.id;
    },
    [conversations, selectedId, select],
  );

  const running = selectedId ? shownRunningTurn(chat, selectedId) : undefined;
  const latestTraceId = useMemo(() => {
    if (running?.traceId) return running.traceId;
    const messages = (selectedId && chat.messages[selectedId]) || [];
    for (let i = messages.length - 1; i >= 0; i--) {
      const traceId = messages[i]?.traceId;
      if (traceId) return traceId;
    }
    return null;
  }, [chat.messages, running, selectedId]);
  const shownTraceId = pinnedTraceId ?? latestTraceId;
  const traceLive = Object.values(chat.running).some((turns) => turns.some((turn) => turn.traceId !== null && turn.traceId === shownTraceId));

  const openTrace = useCallback((traceId: string) => {
    setPinnedTraceId(traceId);
    setTraceView('timeline');
    setSide('trace');
    focusSoon(traceHeadingRef);
  }, []);
  // Focus goes back to what opened the panel: the header's toggle for a turn's trace, the sidebar's Traces for the list.
  const closeTrace = useCallback(() => {
    setSide(null);
    const opener = traceView === 'list' ? tracesButtonRef : traceToggleRef;
    focusSoon(opener);
  }, [traceView]);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'n') {
        event.preventDefault();
        if (!creating) void newChat(event.shiftKey ? { private: true } : {});
      }
    };
    // Esc is not listened to here: the trace panel closes on an Esc pressed in it (or on its toggle), as the other
    // places do; pressed in the chat it stops a running turn, as the Stop button does, even with the panel open
    // (the live trace is where a person watches a turn they may want to stop), and otherwise does nothing.
    window.addEventListener('keydown', onKeyDown, { capture: true });
    return () => window.removeEventListener('keydown', onKeyDown, { capture: true });
  }, [newChat, creating]);

  const runningIds = useMemo(() => new Set(Object.keys(chat.running)), [chat.running]);
  const awaitingApproval = approvals.pending.some((r) => r.conversationId === selectedId);

  const approvalQueue = (
    <ApprovalQueue
      approvals={approvals}
      currentConversationId={selectedId}
      conversations={conversations.list}
      onOpenConversation={select}
      composerRef={composerRef}
    />
  );

  const deleteConversation = useCallback(
    async (conversationId: string) => {
      await conversations.remove(conversationId);
      if (conversationId === selectedId) select(null);
    },
    [conversations, selectedId, select],
  );

  // A place that closes gives the focus back to the sidebar button that opens it, not to the page's body.
  const closeSettings = () => {
    setSide(null);
    focusSoon(settingsButtonRef);
  };
  const closeTools = () => {
    setSide(null);
    focusSoon(toolsButtonRef);
  };
  // A refused fetch's card opens Tools & servers with its domain typed in; the section takes the focus.
  const [webAccessDraft, setWebAccessDraft] = useState<WebAccessDraft | null>(null);
  const openModelSettings = useCallback(() => {
    setSide('settings');
    focusSoon(modelHeadingRef);
  }, []);
  const openWebAccess = useCallback((domain: string) => {
    setSide('tools');
    setWebAccessDraft((last) => ({ domain, id: (last?.id ?? 0) + 1 }));
  }, []);
  const closePolicies = () => {
    setPoliciesOpen(false);
    focusSoon(policiesButtonRef);
  };
  // Settings' model section sits above the chat, where Policies would hide it: the two take turns.
  const toggleSettings = () => {
    if (settingsOpen) return setSide(null);
    setPoliciesOpen(false);
    setSide('settings');
    focusSoon(settingsHeadingRef);
  };
  const togglePolicies = () => {
    if (settingsOpen) setSide(null);
    setPoliciesOpen((open) => !open);
  };
  const openTools = () => {
    setWebAccessDraft(null);
    setSide('tools');
    focusSoon(toolsHeadingRef);
  };
  const toggleTools = () => (toolsOpen ? setSide(null) : openTools());
  const tracesListed = traceOpen && traceView === 'list';
  const toggleTraces = () => {
    if (tracesListed) return closeTrace();
    setTraceView('list');
    setSide('trace');
    focusSoon(traceHeadingRef);
  };

  // The sidebar's places, in UX.md's order; each keeps the name it had in the header.
  const places = (
    <>
      <MemoryCenter view={memoryView} onViewChange={setMemoryView} onOpenConversation={openFound} />
      {/* Esc on the button of an open place closes it too. */}
      <button ref={toolsButtonRef} type="button" className="toggle" aria-expanded={toolsOpen} onClick={toggleTools} {...(toolsOpen ? escapeCloses(closeTools) : {})}>
        Tools &amp; servers
      </button>
      <button ref={policiesButtonRef} type="button" className="toggle" aria-pressed={policiesOpen} onClick={togglePolicies} {...(policiesOpen ? escapeCloses(closePolicies) : {})}>
        Policies
      </button>
      <button ref={tracesButtonRef} type="button" className="toggle" aria-expanded={tracesListed} onClick={toggleTraces} {...(tracesListed ? escapeCloses(closeTrace) : {})}>
        Traces
      </button>
      <button ref={settingsButtonRef} type="button" className="toggle" aria-expanded={settingsOpen} onClick={toggleSettings} {...(settingsOpen ? escapeCloses(closeSettings) : {})}>
        Settings
      </button>
    </>
  );

  return (
    <div className={`app${side ? ' with-trace' : ''}${sideWidth ? ' side-sized' : ''}`} style={sideWidth ? ({ '--side-width': `${sideWidth}px` } as CSSProperties) : undefined}>
      <ConversationList
        conversations={conversations.list}
        selectedId={selectedId}
        onSelect={select}
        onNew={(options) => void newChat(options)}
        onRename={conversations.rename}
        onDelete={deleteConversation}
        onSearchMessages={(query) => setMemoryView({ tab: 'search', query })}
        busy={creating}
        error={newChatError ?? conversations.error}
        deletionNote={conversations.deletionNote}
        runningIds={runningIds}
        places={places}
        onListEmptied={() => focusSoon(composerRef)}
      />
      <main className="main">
        <header className="main-header">
          <h1 className="main-title">{policiesOpen ? 'Policies' : title}</h1>
          {selected?.private && !policiesOpen && (
            <span className="private-mark" title={PRIVATE_NOTE}>
              private
            </span>
          )}
          {selected && !policiesOpen && <ExportConversation conversation={selected} />}
          <button
            ref={traceToggleRef}
            type="button"
            className="toggle"
            aria-expanded={traceOpen && traceView === 'timeline'}
            aria-controls={traceOpen ? 'trace-panel' : undefined}
            onClick={() => (traceOpen && traceView === 'timeline' ? closeTrace() : (setPinnedTraceId(null), setTraceView('timeline'), setSide('trace')))}
            {...(traceOpen && traceView === 'timeline' ? escapeCloses(closeTrace) : {})}
          >
            Trace panel
          </button>
        </header>
        <ConnectionBanner />
        <RuntimeNoticeBanner known={info?.notices} onOpenTools={openTools} />
        {/* A waiting call stays in sight with its countdown while Policies covers the chat. */}
        {policiesOpen && approvalQueue}
        {policiesOpen && <PoliciesPage onClose={closePolicies} />}
        <div style={{ display: policiesOpen ? 'none' : 'contents' }}>
        {settingsOpen && <ModelSettingsPanel onClose={closeSettings} onSaved={() => setModelSaves((n) => n + 1)} headingRef={modelHeadingRef} />}
        <WebAccessOpener.Provider value={openWebAccess}>
        <ModelSettingsOpener.Provider value={openModelSettings}>
        <ChatView
          conversationId={selectedId}
          ensureConversation={ensureConversation}
          chat={chat}
          dispatch={dispatch}
          info={info}
          awaitingApproval={awaitingApproval}
          onOpenTrace={openTrace}
          composerRef={composerRef}
          draft={draft}
          reveal={reveal?.conversationId === selectedId ? reveal : null}
          approvals={policiesOpen ? null : approvalQueue}
          isPrivate={Boolean(selected?.private)}
        />
        </ModelSettingsOpener.Provider>
        </WebAccessOpener.Provider>
        </div>
      </main>
      {side && (
        <SideColumn id={traceOpen ? 'trace-panel' : undefined} width={sideWidth} onWidth={setSideWidth}>
          {settingsOpen && <SettingsPanel onClose={closeSettings} onOpenRetention={() => setMemoryView({ tab: 'retention' })} onOpenModel={() => focusSoon(modelHeadingRef)} headingRef={settingsHeadingRef} />}
          {toolsOpen && <ToolsPage onClose={closeTools} headingRef={toolsHeadingRef} onUseInChat={(text) => setDraft({ text })} webAccessDraft={webAccessDraft} />}
          {traceOpen && <TracePanel traceId={shownTraceId} live={traceLive} view={traceView} onViewChange={setTraceView} onClose={closeTrace} headingRef={traceHeadingRef} />}
        </SideColumn>
      )}
      {/* A server's question mid-call, over the window; a waiting approval is answered first. */}
      <ElicitationQueue
        elicitations={elicitations}
        approvalWaiting={approvals.pending.length > 0}
        currentConversationId={selectedId}
        conversations={conversations.list}
        onOpenConversation={select}
        composerRef={composerRef}
      />
    </div>
  );
}
