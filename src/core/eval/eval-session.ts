import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ModelProvider } from '../model/model-provider';
import { resourcesDir } from '../router/resource-paths';
import { BaselineSchema, baselineOf, regressions } from './baseline';
import { toMarkdown, type EvalReport } from './eval-report';
import { runSuiteFile } from './suite-runner';

export interface EvalOptions {
  /** Suite files; default: every suite in resources/eval. */
  suites?: string[];
  /** Where report.json and report.md go. */
  outDir: string;
  /** Default with no suites given: resources/eval/baseline.json. */
  baseline?: string;
  updateBaseline?: boolean;
  /** A live model instead of the scripted ones (scenario suites only). */
  model?: ModelProvider;
}

export const shippedSuites = (): string[] => {
  const dir = join(resourcesDir(), 'eval');
  return readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(dir, f));
};

export const shippedBaseline = (): string => join(resourcesDir(), 'eval', 'baseline.json');

/** Runs the suites, compares with the baseline, and writes the JSON and Markdown reports. */
export async function runEvaluation(options: EvalOptions): Promise<{ report: EvalReport; files: { json: string; markdown: string } }> {
  const suites = options.suites?.length ? options.suites.map((s) => resolve(s)) : shippedSuites();
  const reports = [];
  for (const file of suites) reports.push(await runSuiteFile(file, options.model ? { model: options.model } : {}));
  const baselineFile = options.baseline ?? (options.suites?.length ? undefined : shippedBaseline());
  let found: string[] = [];
  if (baselineFile && options.updateBaseline) {
    writeFileSync(baselineFile, `${JSON.stringify(baselineOf(reports), null, 2)}\n`);
  } else if (baselineFile && existsSync(baselineFile)) {
    found = regressions(reports, BaselineSchema.parse(JSON.parse(readFileSync(baselineFile, 'utf8'))));
  } else {
    found = regressions(reports, {});
  }
  const report: EvalReport = { createdAt: new Date().toISOString(), model: options.model?.id ?? 'scripted', suites: reports, regressions: found };
  mkdirSync(options.outDir, { recursive: true });
  const files = { json: join(options.outDir, 'report.json'), markdown: join(options.outDir, 'report.md') };
  writeFileSync(files.json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(files.markdown, toMarkdown(report));
  return { report, files };
}
