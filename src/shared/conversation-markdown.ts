import { budgetAnswerWords } from './budget-answer-words';
import { fenced } from './code-fence';
import { counted } from './counted';
import { repeatedDirectCallNotes } from './direct-call-notes';
import { directCallTurns, type DirectCallRequest } from './direct-call-requests';
import type { Conversation } from './domain/conversation';
import type { Message } from './domain/message';
import type { ToolCallRecord } from './domain/tool-call';
import { partAsText, readMcpContent } from './mcp-content';
import { prettyJson } from './pretty-json';
import { describeDecision, describeStatus, waitedFor } from './tool-call-words';
import { utcMinute } from './utc-minute';

/**
 * A conversation as a Markdown document, to keep or share: each message under who said it and when, each tool
 * call with who let it run, its arguments and its result (an untrusted one said to be so), as the chat shows them.
 * What the person typed and what tools returned goes in fences long enough that nothing in it can close them early,
 * and the model's replies (Markdown, kept readable) in block quotes, so no text can pass itself off as a part of
 * the document, as a message of the person's, say.
 */
export function conversationMarkdown(conversation: Conversation, messages: readonly Message[], exportedAt: Date): string {
  const direct = directCallTurns(messages);
  // A direct call's "Calls fs.read" is said by its request's heading: no model of Portcullis asked for it. Not a
  // section of its own, so not counted as a message either; nor "no model took part" again under each of a
  // caller's 30 calls of a day, as the chat says it once.
  const repeated = repeatedDirectCallNotes(messages, direct);
  const shown = messages.filter((message) => !direct.relayed.has(message.id) && !repeated.has(message.id));
  const lines = [
    `# ${conversation.title.replace(/\s+/g, ' ')}`,
    '',
    `Exported from Portcullis on ${utcMinute(exportedAt.getTime())} · ${counted(shown.length, 'message')}${conversation.private ? ' · a private conversation' : ''}`,
  ];
  for (const message of shown) lines.push('', ...messageLines(message, direct.requests.get(message.id)));
  return `${lines.join('\n')}\n`;
}

function messageLines(message: Message, directCall: DirectCallRequest | undefined): string[] {
  const when = utcMinute(message.createdAt);
  if (message.role === 'tool' && message.toolCall) return toolCallLines(message.toolCall, when);
  // A direct call's request was made by a script, an MCP client or the terminal, not typed by the person.
  // A message the terminal or a script sent to start the agent's turn is theirs, not the person's.
  const who = directCall ? directCallHeading(directCall) : message.role === 'user' ? (message.author ? `${escapedName(message.author)} (sent it, not you)` : 'You') : 'Portcullis';
  const lines = [`## ${who} · ${when}`, ''];
  // A reasoning model's thinking, said as such before its answer (a quote of its own, never taken for the answer).
  if (message.reasoning?.text.trim()) lines.push(`*Thought for ${Math.max(1, Math.round(message.reasoning.ms / 1000))} s:*`, '', quoted(message.reasoning.text.trim()), '');
  if (message.content) lines.push(message.role === 'user' ? fenced(message.content, 'text') : quoted(message.content));
  const calls = message.toolCalls?.map((call) => `\`${call.name}\``) ?? [];
  if (calls.length > 0) lines.push('', `Calls ${calls.join(', ')}.`);
  if (message.cutShort) lines.push('', '*Cut short here: the turn ended before the model finished.*');
  // An answer the turn's budget asked for says so, as in the chat: the model did not stop calling tools of its own accord.
  if (message.answeredAtBudget) lines.push('', `*${budgetAnswerWords(message.answeredAtBudget)}*`);
  return lines;
}

/**
 * How long a call took, its wait for the person apart, as its card says it ("56 ms, after 28615 ms waiting for
 * you"): the whole span alone read as a 28-second file write.
 */
function durationWords(call: ToolCallRecord): string {
  if (call.endedAt === null) return '';
  const total = call.endedAt - call.startedAt;
  const wait = call.approvalWaitMs;
  if (wait === undefined) return ` · ${total} ms`;
  // Not allowed, it never ran after the wait.
  if (call.status === 'denied') return ` · ${wait} ms ${waitedFor(call)}`;
  return ` · ${Math.max(0, total - wait)} ms, after ${wait} ms ${waitedFor(call)}`;
}

function toolCallLines(call: ToolCallRecord, when: string): string[] {
  const took = durationWords(call);
  const lines = [`### Tool \`${call.toolName}\` · ${when}`, '', `${describeDecision(call)} · ${describeStatus(call.status)}${took}`];
  if (call.decision?.reason) lines.push('', `Policy: ${call.decision.reason}`);
  lines.push('', 'Arguments:', '', fenced(prettyJson(call.arguments), 'json'));
  if (call.error) lines.push('', `Error: ${call.error.code}: ${call.error.message}`);
  if (call.result !== undefined) lines.push('', call.untrusted ? 'Result (untrusted: from outside your control):' : 'Result:', '', resultText(call.result));
  return lines;
}

/**
 * "Cursor (MCP) called `fs.read`". The author is a name a client gave itself: its Markdown is escaped, so it reads as
 * the words it is and cannot make the heading a link or pass for another part of the document.
 */
function directCallHeading({ author, toolNames }: DirectCallRequest): string {
  const name = escapedName(author);
  return toolNames.length > 0 ? `${name} called ${toolNames.map((tool) => `\`${tool}\``).join(', ')}` : name;
}

/** A sender's name as the words it is: no link, no heading, no emphasis of its own making. */
function escapedName(author: string): string {
  return author.replace(/\s+/g, ' ').replace(/[\\`*_[\]<>#|~!]/g, '\\$&');
}

/** An MCP result part by part (images named, not embedded); any other result as JSON. */
function resultText(result: unknown): string {
  const content = readMcpContent(result);
  if (!content) return fenced(prettyJson(result), 'json');
  const parts = content.parts.map((part) => partAsText(part));
  if (!content.hasText && content.structured !== undefined) parts.push(prettyJson(content.structured));
  return fenced(parts.join('\n'), 'text');
}

/** `text` as a block quote, every line of it: its Markdown still reads, inside the quote. */
function quoted(text: string): string {
  // Trailing line breaks (a model's "Reading sales.csv.\n" before its call) would end the quote with bare ">" lines.
  return text
    .replace(/\n+$/, '')
    .split('\n')
    .map((line) => (line === '' ? '>' : `> ${line}`))
    .join('\n');
}
