import { describe, expect, it } from 'vitest';
import { ProgressSeries } from '../../src/server/mcp-progress-series';

describe("the progress an MCP client hears of one call, Portcullis' beats and its server's reports as one series", () => {
  it("passes a server's figures on unchanged when no beat came before them", () => {
    const series = new ProgressSeries();
    expect([1, 2, 3].map((progress) => series.report({ progress, total: 3 }))).toEqual([{ progress: 1, total: 3 }, { progress: 2, total: 3 }, { progress: 3, total: 3 }]);
  });

  it('keeps rising when the server starts after beats (a wait for the person), or goes quiet between reports', () => {
    const series = new ProgressSeries();
    expect([series.beat(), series.beat(), series.beat()]).toEqual([{ progress: 1 }, { progress: 2 }, { progress: 3 }]);
    // A server that counts from 0 after three beats.
    expect(series.report({ progress: 0, total: 5 })).toEqual({ progress: 4, total: 9 });
    expect(series.report({ progress: 1, total: 5 })).toEqual({ progress: 5, total: 9 });
    expect(series.beat()).toEqual({ progress: 6, total: 10 });
    expect(series.report({ progress: 2, total: 5 })).toEqual({ progress: 7, total: 10 });
    // A server that repeats itself or goes back is not passed on: the series would not rise.
    expect(series.report({ progress: 2, total: 5 })).toBeNull();
    expect(series.report({ progress: 1.5 })).toBeNull();
    expect(series.report({ progress: 5, total: 5 })).toEqual({ progress: 10, total: 10 });
  });

  it('takes a server counting in fractions after beats as it goes, above them', () => {
    const series = new ProgressSeries();
    series.beat();
    series.beat();
    expect(series.report({ progress: 0.25, total: 1 })).toEqual({ progress: 2.25, total: 3 });
    expect(series.report({ progress: 0.5, total: 1 })).toEqual({ progress: 2.5, total: 3 });
  });
});
