import type { SamplingAsk } from '../../../shared/domain/elicitation';
import { formatCount } from '../../lib/format';

/**
 * What a server would have the person's model read (MCP sampling), all of it: the model, the most it may write,
 * the server's system prompt and its messages, each as plain text.
 */
export function SamplingRequest({ ask }: { ask: SamplingAsk }) {
  return (
    <div className="sampling-request" data-testid="sampling-request">
      <p className="muted">
        Model: {ask.model} · at most {formatCount(ask.maxTokens)} tokens · no tools, nothing of your conversations
      </p>
      {ask.systemPrompt && <SamplingMessage label="System prompt" text={ask.systemPrompt} />}
      {ask.messages.map((message, i) => (
        <SamplingMessage key={i} label={message.role === 'user' ? 'Message' : 'As the model’s earlier reply'} text={message.text} />
      ))}
    </div>
  );
}

function SamplingMessage({ label, text }: { label: string; text: string }) {
  return (
    <figure className="sampling-message">
      <figcaption>{label}</figcaption>
      <pre className="elicitation-message">{text}</pre>
    </figure>
  );
}
