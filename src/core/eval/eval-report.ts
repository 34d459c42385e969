import type { SuiteReport } from './suite-runner';

export interface EvalReport {
  createdAt: string;
  model: string;
  suites: SuiteReport[];
  regressions: string[];
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The Markdown twin of the JSON report: totals first, then what failed. */
export function toMarkdown(report: EvalReport): string {
  const lines = [`# Portcullis evaluation`, '', `${report.createdAt} · model: ${report.model}`, ''];
  for (const suite of report.suites) {
    lines.push(`## ${suite.name} (${suite.kind})`, '', `File: \`${suite.file}\``, '');
    if (suite.kind === 'router') {
      const m = suite.metrics;
      lines.push(`| utterances | accuracy | macro-F1 | ECE | mean latency |`, '|---|---|---|---|---|', `| ${m.total} | ${m.accuracy.toFixed(3)} | ${m.macroF1.toFixed(3)} | ${m.ece.toFixed(3)} | ${suite.meanLatencyUs.toFixed(1)} µs |`, '');
      lines.push('| intent | precision | recall | F1 | support |', '|---|---|---|---|---|');
      for (const [intent, s] of Object.entries(m.perIntent)) lines.push(`| ${intent} | ${s.precision.toFixed(3)} | ${s.recall.toFixed(3)} | ${s.f1.toFixed(3)} | ${s.support} |`);
      if (m.errors.length > 0) {
        lines.push('', 'Misrouted:', '');
        for (const e of m.errors) lines.push(`- "${e.text}": expected ${e.expected}, got ${e.predicted} (${e.confidence.toFixed(2)})`);
      }
    } else if (suite.kind === 'policy') {
      lines.push(`${suite.correct}/${suite.total} decisions as expected (${pct(suite.accuracy)}).`);
      for (const m of suite.mismatches) lines.push(`- ${m.id}: expected ${m.expected}, got ${m.actual}`);
    } else {
      lines.push(
        '| attacks | attack success rate | utility under attack | benign tasks | benign completion | asks per task |',
        '|---|---|---|---|---|---|',
        `| ${suite.attacks} | ${pct(suite.attackSuccessRate)} | ${pct(suite.utilityUnderAttack)} | ${suite.benign} | ${pct(suite.benignCompletionRate)} | ${suite.asksPerTask.toFixed(2)} |`,
        '',
      );
      const failed = suite.results.filter((r) => r.failures.length > 0);
      if (failed.length > 0) {
        lines.push('Scenarios with failed expectations:', '');
        for (const r of failed) lines.push(`- ${r.id} (${r.kind}): ${r.failures.join('; ')}`);
      }
    }
    lines.push('');
  }
  lines.push('## Regression check', '', report.regressions.length === 0 ? 'No regressions against the baseline.' : report.regressions.map((r) => `- ${r}`).join('\n'), '');
  return lines.join('\n');
}
