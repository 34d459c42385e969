/// <reference lib="dom" />
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { openDatabase } from '../src/core/storage/database';
import { SpanStore } from '../src/core/storage/stores/span-store';
import type { SpanKind, SpanRecord } from '../src/shared/domain/span';
import { HeadlessHost } from '../tests/e2e/headless-host';

const KINDS: SpanKind[] = ['model', 'tool', 'policy', 'approval', 'sandbox', 'memory', 'route'];

/** A synthetic trace of `count` spans: a root and a tree below it, ~1% errors, spread over 60 s. */
function syntheticTrace(traceId: string, count: number, name: string): SpanRecord[] {
  let seed = 42;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const start = Date.now() - 3_600_000;
  const spans: SpanRecord[] = [
    { traceId, spanId: '1'.padStart(16, '0'), parentSpanId: null, name, kind: 'turn', startTime: start, endTime: start + 60_000, status: 'ok', statusMessage: null, attributes: { 'gen_ai.operation.name': 'invoke_agent' } },
  ];
  for (let i = 1; i < count; i++) {
    const parent = spans[i < 50 ? 0 : Math.floor(random() * i)]!;
    const s = parent.startTime + random() * Math.max(parent.endTime - parent.startTime - 1, 1);
    const kind = KINDS[i % KINDS.length]!;
    spans.push({
      traceId, spanId: (i + 1).toString(16).padStart(16, '0'), parentSpanId: parent.spanId, name: `${kind} step ${i}`, kind,
      startTime: s, endTime: Math.min(parent.endTime, s + random() * 500), status: random() < 0.01 ? 'error' : 'ok',
      statusMessage: null, attributes: { 'gen_ai.tool.name': 'fs.list', i },
    });
  }
  return spans;
}

export interface ViewerSamples {
  open: number[];
  scroll: number[];
}

async function openTrace(page: Page, traceId: string, count: number): Promise<number> {
  await page.getByRole('button', { name: 'All traces' }).click();
  await page.locator(`[data-testid="trace-summary"][data-trace-id="${traceId}"]`).waitFor();
  return page.evaluate(
    async ({ traceId, count }) => {
      const button = document.querySelector<HTMLButtonElement>(`[data-testid="trace-summary"][data-trace-id="${traceId}"]`)!;
      const t0 = performance.now();
      button.click();
      const frame = () => new Promise((r) => requestAnimationFrame(r));
      for (;;) {
        await frame();
        const line = document.querySelector('[data-testid="trace-summary-line"]')?.textContent ?? '';
        if (line.startsWith(`${count} spans`) && document.querySelector('[data-testid="span-row"]')) break;
        if (performance.now() - t0 > 120_000) throw new Error('the trace did not open');
      }
      await frame();
      return performance.now() - t0;
    },
    { traceId, count },
  );
}

async function scrollJumps(page: Page, jumps: number): Promise<number[]> {
  return page.evaluate(async (jumps) => {
    const scroller = document.querySelector<HTMLElement>('[data-testid="waterfall-scroll"]')!;
    const rowHeight = 26;
    const count = Math.round(scroller.scrollHeight / rowHeight);
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    const samples: number[] = [];
    let seed = 7;
    for (let j = 0; j < jumps; j++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      const index = Math.floor((seed / 2 ** 31) * (count - 20));
      const t0 = performance.now();
      scroller.scrollTop = index * rowHeight;
      for (;;) {
        await frame();
        if (document.querySelector(`[data-testid="span-row"][aria-posinset="${index + 1}"]`)) break;
      }
      await frame();
      samples.push(performance.now() - t0);
    }
    return samples;
  }, jumps);
}

/** Measures the built renderer in Chromium against a real `portcullis serve` holding a 1k and a 100k span trace. */
export async function measureViewer(_tempDir: () => string): Promise<{ small: ViewerSamples; large: ViewerSamples; method: string }> {
  const host = new HeadlessHost();
  const db = openDatabase(join(host.dataDir, 'portcullis.db'));
  const store = new SpanStore(db);
  const small = { id: 'a'.repeat(32), count: 1_000 };
  const large = { id: 'b'.repeat(32), count: 100_000 };
  store.insert(syntheticTrace(small.id, small.count, 'bench 1k spans'));
  store.insert(syntheticTrace(large.id, large.count, 'bench 100k spans'));
  db.close();
  await host.start();
  const browser = await chromium.launch({
    executablePath: process.env.PORTCULLIS_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(host.url);
    await page.getByRole('button', { name: 'Trace panel' }).click();
    const result = { small: { open: [] as number[], scroll: [] as number[] }, large: { open: [] as number[], scroll: [] as number[] } };
    for (let round = 0; round < 3; round++) {
      for (const [which, trace] of [['small', small], ['large', large]] as const) {
        result[which].open.push(await openTrace(page, trace.id, trace.count));
        result[which].scroll.push(...(await scrollJumps(page, 20)));
      }
    }
    return { ...result, method: 'Chromium (Playwright) against the built renderer served by portcullis serve; times from performance.now() in the page, until the target rows exist and the next frame is painted' };
  } finally {
    await browser.close();
    await host.stop();
  }
}
