import { onTestFinished } from 'vitest';
import { listenFakeOpenAiServer, type FakeOpenAiServer } from './openai-chat-server';

export { chunk, type FakeOpenAiServer, type FakeReply } from './openai-chat-server';

/** A fake OpenAI-compatible server (`listenFakeOpenAiServer`), closed after the test. */
export async function startFakeOpenAiServer(...args: Parameters<typeof listenFakeOpenAiServer>): Promise<FakeOpenAiServer> {
  const server = await listenFakeOpenAiServer(...args);
  onTestFinished(() => server.close());
  return server;
}
