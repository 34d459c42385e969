/// <reference lib="dom" />
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { openDatabase } from '../src/core/storage/database';
import { SpanStore } from '../src/core/storage/stores/span-store';
import type { SpanKind, SpanRecord } from '../src/shared/domain/span';
import { HeadlessHost } from '../tests/e2e/headless-host';

const KINDS: SpanKind[] = ['model', 'tool', 'policy', 'approval', 'sandbox', 'memory', 'route'];

/** A synthetic trace of `count` spans (span ids are unique per trace's first id character): a root and a tree below it, ~1% errors, spread over 60 s. */
export function syntheticTrace(traceId: string, count: number, name: string): SpanRecord[] {
  let seed = 42;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const start = Date.now() - 3_600_000;
  const spans: SpanRecord[] = [
    { traceId, spanId: `${traceId[0]}${'1'.padStart(15, '0')}`, parentSpanId: null, name, kind: 'turn', startTime: start, endTime: start + 60_000, status: 'ok', statusMessage: null, attributes: { 'gen_ai.operation.name': 'invoke_agent' } },
  ];
  for (let i = 1; i < count; i++) {
    const parent = spans[i < 50 ? 0 : Math.floor(random() * i)]!;
    const s = parent.startTime + random() * Math.max(parent.endTime - parent.startTime - 1, 1);
    const kind = KINDS[i % KINDS.length]!;
    spans.push({
      traceId, spanId: `${traceId[0]}${(i + 1).toString(16).padStart(15, '0')}`, parentSpanId: parent.spanId, name: `${kind} step ${i}`, kind,
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

/**
 * Render time of a scroll jump: set scrollTop and dispatch the scroll event ourselves, so the virtualizer's
 * synchronous re-render (flushSync) and the browser's layout happen inside the measured span rather than being
 * rounded up to frame boundaries; falls back to waiting for frames if the rows are not there yet.
 */
async function scrollJumps(page: Page, jumps: number): Promise<number[]> {
  return page.evaluate(async (jumps) => {
    const scroller = document.querySelector<HTMLElement>('[data-testid="waterfall-scroll"]')!;
    const rowHeight = 26;
    const count = Math.round(scroller.scrollHeight / rowHeight);
    const samples: number[] = [];
    let seed = 7;
    for (let j = 0; j < jumps; j++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      const index = Math.floor((seed / 2 ** 31) * (count - 40)) + 10;
      await new Promise((r) => requestAnimationFrame(r));
      const t0 = performance.now();
      scroller.scrollTop = index * rowHeight;
      scroller.dispatchEvent(new Event('scroll'));
      let row = document.querySelector<HTMLElement>(`[data-testid="span-row"][aria-posinset="${index + 1}"]`);
      while (!row) {
        await new Promise((r) => requestAnimationFrame(r));
        row = document.querySelector<HTMLElement>(`[data-testid="span-row"][aria-posinset="${index + 1}"]`);
      }
      void row.getBoundingClientRect(); // force style and layout of the new rows
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
    // tsx (esbuild keepNames) wraps named functions in `__name(...)`; the page has no such helper.
    await page.addInitScript('window.__name = (fn) => fn');
    await page.goto(host.url);
    await page.getByRole('button', { name: 'Trace panel' }).click();
    const result = { small: { open: [] as number[], scroll: [] as number[] }, large: { open: [] as number[], scroll: [] as number[] } };
    for (let round = 0; round < 3; round++) {
      for (const [which, trace] of [['small', small], ['large', large]] as const) {
        result[which].open.push(await openTrace(page, trace.id, trace.count));
        result[which].scroll.push(...(await scrollJumps(page, 40)));
      }
    }
    return { ...result, method: 'Chromium (Playwright) against the built renderer served by portcullis serve; open: performance.now() in the page from the click until the waterfall shows the trace and a frame has passed; scroll: synchronous re-render + layout after a scroll jump to a random row' };
  } finally {
    await browser.close();
    await host.stop();
  }
}
