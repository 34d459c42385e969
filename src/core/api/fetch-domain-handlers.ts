import type { RequestHandlers } from '../../shared/api/contract';
import type { HttpFetchConfigEditor } from '../tools/http-fetch-config-editor';

type FetchDomainChannels = 'tools.fetchDomains' | 'tools.setFetchDomain';

/** Tools & servers' "Web access (http.fetch)": the built-in fetch's allowlist, read and changed one domain at a time. */
export function createFetchDomainHandlers(editor: HttpFetchConfigEditor): Pick<RequestHandlers, FetchDomainChannels> {
  return {
    'tools.fetchDomains': async () => editor.read(),
    'tools.setFetchDomain': async ({ domain, allowed }) => (allowed ? editor.allow(domain) : editor.remove(domain)),
  };
}
