import { isIP } from 'node:net';
import { Agent, fetch } from 'undici';
import { AppError, messageOf, type WireError } from '../../shared/errors';
import { guardedLookup, type AddressPolicy } from './address-guard';
import { localHostRefusal } from './local-host-names';
import type { ToolDefinition } from './tool-definition';
import type { ToolOutcome, ToolRunner, ToolRunRequest } from './tool-runner';

export const httpFetchTool: ToolDefinition = {
  name: 'http.fetch',
  description: 'Fetch a web page or API response (GET) from a domain on the allowlist. Returns the status, content type and text.',
  inputSchema: {
    type: 'object',
    properties: { url: { type: 'string', minLength: 1, maxLength: 4096, description: 'An http(s) URL on an allowed domain.' } },
    required: ['url'],
    additionalProperties: false,
  },
  annotations: { title: 'Fetch URL', readOnlyHint: true, openWorldHint: true },
  sandboxed: true,
  describeCall: (args) => `Fetch ${String(args.url)}`,
};

export interface HttpFetchOptions extends AddressPolicy {
  /** Domains that may be fetched: `example.com` (exactly) or `*.example.com` (its subdomains). Default: none. */
  allowedDomains: readonly string[];
  maxBytes?: number;
  timeoutMs?: number;
  maxRedirects?: number;
  /** Where the allowlist is kept, for the refusal to say. */
  configFile?: string;
}

/**
 * Runs `http.fetch`: only allowlisted domains, never an IP literal, never a name that resolves to a private or
 * loopback address (checked when the socket connects), and each redirect is checked by the same rules.
 */
export class HttpFetchRunner implements ToolRunner {
  private readonly agent: Agent;
  private options: HttpFetchOptions;

  constructor(options: HttpFetchOptions) {
    this.options = options;
    this.agent = new Agent({ connect: { lookup: guardedLookup(options) as never }, connectTimeout: 10_000 });
  }

  /**
   * Takes up an edited http-fetch.json for the calls from now on: the refusal tells the person to add a domain
   * there, so the next call must see it without a restart. The address rules stay as the runner was made.
   */
  configure(settings: Pick<HttpFetchOptions, 'allowedDomains' | 'maxBytes' | 'timeoutMs'>): void {
    this.options = { ...this.options, allowedDomains: settings.allowedDomains, maxBytes: settings.maxBytes, timeoutMs: settings.timeoutMs };
  }

  async run(request: ToolRunRequest, { signal }: { signal?: AbortSignal } = {}): Promise<ToolOutcome> {
    try {
      return { ok: true, result: await this.fetch(String(request.arguments.url), signal), untrusted: true };
    } catch (error) {
      const wire: WireError = error instanceof AppError ? error.toWire() : { code: 'TOOL_FAILED', message: `http.fetch failed: ${reason(error)}` };
      return { ok: false, error: wire, untrusted: true };
    }
  }

  refusal(request: ToolRunRequest): WireError | undefined {
    try {
      this.check(String(request.arguments.url));
      return undefined;
    } catch (error) {
      return error instanceof AppError ? error.toWire() : undefined;
    }
  }

  dispose(): Promise<void> {
    return this.agent.close();
  }

  private async fetch(start: string, signal?: AbortSignal) {
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 15_000);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let url = this.check(start);
    for (let hop = 0; ; hop++) {
      const response = await fetch(url, { redirect: 'manual', dispatcher: this.agent, signal: combined });
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        if (hop >= (this.options.maxRedirects ?? 5)) throw refuse(`${start} redirected more than ${this.options.maxRedirects ?? 5} times.`);
        url = this.check(new URL(location, url).toString(), `a redirect from ${url.host}`);
        continue;
      }
      const { text, truncated } = await readCapped(response.body as ReadableStream<Uint8Array> | null, this.options.maxBytes ?? 1024 * 1024);
      return { url: url.toString(), status: response.status, contentType: response.headers.get('content-type'), text, truncated };
    }
  }

  /** The URL if it may be fetched, else a refusal that says which rule and how to allow it. */
  private check(raw: string, via = 'the call'): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw refuse(`"${raw}" (from ${via}) is not a valid URL.`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refuse(`${url.protocol} URLs (from ${via}) are not fetched; only http and https.`);
    if (url.username || url.password) throw refuse(`URLs with credentials in them (from ${via}) are not fetched.`);
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    // IP literals skip DNS and so the connect-time check; only the explicit test allowance lets one through.
    if (isIP(host) && !this.options.testAllowedAddresses?.includes(host)) {
      throw refuse(`${host} (from ${via}) is an IP address; http.fetch only reaches allowlisted domain names, never addresses.`);
    }
    if (!this.options.allowedDomains.some((pattern) => matches(host, pattern.toLowerCase()))) {
      // localhost and the like: no allowlist entry would let it through, so the refusal does not send the person to add one.
      const local = localHostRefusal(host, via);
      if (local) throw refuse(local);
      // Said where the person can act: the page's list first, the file for those who keep it by hand.
      throw refuse(`${host} (from ${via}) is not on the http.fetch allowlist. If you trust it, add it under "Web access (http.fetch)" on the Tools & servers page (or to "allowedDomains" in ${this.options.configFile ?? 'http-fetch.json in the data folder'}).`);
    }
    return url;
  }
}

function matches(host: string, pattern: string): boolean {
  return pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1 : host === pattern;
}

async function readCapped(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<{ text: string; truncated: boolean }> {
  if (!body) return { text: '', truncated: false };
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { text: Buffer.concat(chunks).toString('utf8'), truncated: false };
    chunks.push(value);
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return { text: Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8'), truncated: true };
    }
  }
}

function refuse(message: string): AppError {
  return new AppError('POLICY_DENIED', `http.fetch refused: ${message}`);
}

/** Node's network error codes in words a person reads ("getaddrinfo ENOTFOUND example.com" said nothing to most). */
const NETWORK_WORDS: Record<string, string> = {
  ENOTFOUND: 'no such host was found (check the address, or whether this computer is online)',
  EAI_AGAIN: 'the host name could not be looked up just now (is this computer online?)',
  ECONNREFUSED: 'the server refused the connection',
  ECONNRESET: 'the server closed the connection',
  ETIMEDOUT: 'the server did not answer in time',
  UND_ERR_CONNECT_TIMEOUT: 'the server did not answer in time',
};

function reason(error: unknown): string {
  const cause = (error as { cause?: { message?: string; code?: string } }).cause;
  const words = cause?.code ? NETWORK_WORDS[cause.code] : undefined;
  if (words) return `${words} (${cause!.message ?? cause!.code})`;
  return cause?.message ?? messageOf(error);
}
