import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as NodeDns from 'node:dns';
import { describe, expect, it, vi } from 'vitest';
import { INTRANET_NAME } from '../helpers/intranet-name';
import { RecordingGate } from '../helpers/recording-gate';
import { startTestRuntime } from '../helpers/test-runtime';
import { until } from '../helpers/until';

vi.mock('node:dns', async (importOriginal) => (await import('../helpers/intranet-name')).withIntranetName(await importOriginal<typeof NodeDns>()));

describe('http-fetch.json edited while Portcullis runs', () => {
  it('is taken up for the next call, as the refusal that sent the person there implies; a broken save is reported, then cleared', async () => {
    const gate = new RecordingGate();
    const { runtime, dataDir } = startTestRuntime({ approvalGate: gate });
    const file = join(dataDir, 'http-fetch.json');
    const fetchIntranet = () => runtime.callTool('http.fetch', { url: `http://${INTRANET_NAME}:8081/` });
    const problems = async () => (await runtime.handlers['tools.catalog']({})).problems;

    const before = await fetchIntranet();
    expect(before.record.error?.message).toMatch(/intranet\.example\.com \(from the call\) is not on the http\.fetch allowlist\. If you trust it, add it under "Web access \(http\.fetch\)" on the Tools & servers page \(or to "allowedDomains" in .*http-fetch\.json\)/);
    expect(gate.asked).toEqual([]);

    writeFileSync(file, JSON.stringify({ allowedDomains: [INTRANET_NAME] }));
    // On the allowlist now: put to the person, then kept from the loopback address it resolves to (no request is made).
    const after = await until('the allowlist to be taken up', fetchIntranet, (call) => !/allowlist/.test(call.record.error?.message ?? ''));
    expect(after.record.error?.message).toMatch(/private or reserved address, so it was not contacted/);
    expect(gate.asked.map((request) => request.toolName)).toContain('http.fetch');

    // localhost by hand: left out with a warning that names it, the rest of the list still allowed.
    writeFileSync(file, JSON.stringify({ allowedDomains: ['localhost', INTRANET_NAME] }));
    const warned = await until('the left-out entry to be said', problems, (list) => list.length > 0);
    expect(warned).toEqual([expect.stringMatching(/http-fetch\.json: "localhost" in allowedDomains is left out: localhost names this computer; http\.fetch never reaches this computer or the local network .*Take it out of the file\.$/)]);
    expect((await fetchIntranet()).record.error?.message).toMatch(/private or reserved address/);
    const local = await runtime.callTool('http.fetch', { url: 'http://localhost:8081/' });
    expect(local.record.error?.message).toMatch(/^http\.fetch refused: localhost \(from the call\) names this computer; http\.fetch never reaches this computer or the local network/);

    writeFileSync(file, '{ "allowedDomains": [');
    await until('the broken file to be reported', problems, (list) => list.some((p) => p.includes('http-fetch.json is not valid JSON')));
    expect((await fetchIntranet()).record.error?.message).toMatch(/not on the http\.fetch allowlist/);

    writeFileSync(file, JSON.stringify({ allowedDomains: [] }));
    await until('the fixed file to clear the problem', problems, (list) => list.length === 0);
  }, 30_000);
});
