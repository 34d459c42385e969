import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RecordingGate } from '../helpers/recording-gate';
import { startTestRuntime } from '../helpers/test-runtime';
import { until } from '../helpers/until';

describe('http-fetch.json edited while Portcullis runs', () => {
  it('is taken up for the next call, as the refusal that sent the person there implies; a broken save is reported, then cleared', async () => {
    const gate = new RecordingGate();
    const { runtime, dataDir } = startTestRuntime({ approvalGate: gate });
    const file = join(dataDir, 'http-fetch.json');
    const fetchLocalhost = () => runtime.callTool('http.fetch', { url: 'http://localhost:8081/' });
    const problems = async () => (await runtime.handlers['tools.catalog']({})).problems;

    const before = await fetchLocalhost();
    expect(before.record.error?.message).toMatch(/localhost \(from the call\) is not on the http\.fetch allowlist\. If you trust it, add it under "Web access \(http\.fetch\)" on the Tools & servers page \(or to "allowedDomains" in .*http-fetch\.json\)/);
    expect(gate.asked).toEqual([]);

    writeFileSync(file, JSON.stringify({ allowedDomains: ['localhost'] }));
    // On the allowlist now: put to the person, then kept from the loopback address it resolves to (no request is made).
    const after = await until('the allowlist to be taken up', fetchLocalhost, (call) => !/allowlist/.test(call.record.error?.message ?? ''));
    expect(after.record.error?.message).toMatch(/private or reserved address, so it was not contacted/);
    expect(gate.asked.map((request) => request.toolName)).toContain('http.fetch');

    writeFileSync(file, '{ "allowedDomains": [');
    await until('the broken file to be reported', problems, (list) => list.some((p) => p.includes('http-fetch.json is not valid JSON')));
    expect((await fetchLocalhost()).record.error?.message).toMatch(/not on the http\.fetch allowlist/);

    writeFileSync(file, JSON.stringify({ allowedDomains: [] }));
    await until('the fixed file to clear the problem', problems, (list) => list.length === 0);
  }, 30_000);
});
