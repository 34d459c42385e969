import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { openDatabase } from '../../core/storage/database';
import { prepareDataFolder } from '../../core/config/data-paths';
import { runEvaluation } from '../../core/eval/eval-session';
import { defaultModelSelection, MODEL_SELECTION_KEY, ModelSelectionSchema } from '../../core/model/model-selection';
import { createModelProvider } from '../../core/model/provider-factory';
import { SettingsStore } from '../../core/storage/stores/settings-store';
import { CliUsageError, type CommandContext } from '../command';

export const evalHelp = `portcullis eval [--suite PATH]... [--json] [--out DIR] [--baseline FILE] [--update-baseline] [--live] [--data-dir D]
  Runs evaluation suites (default: all shipped ones, checked against the committed baseline) and writes
  report.json and report.md to --out (default eval-results). --live plays the scenarios with the model chosen
  in Settings instead of scripted models. Exit code 1 on a regression. Suite format: docs/eval-suites.md.`;

export async function evalCommand({ values, out }: CommandContext): Promise<number> {
  // Compared with nothing, every run reads "No regressions": a baseline named but not there is a mistake, said first.
  if (values.baseline !== undefined && values['update-baseline'] !== true && !existsSync(resolve(values.baseline))) {
    throw new CliUsageError(`There is no baseline at ${resolve(values.baseline)}: name an existing file, or add --update-baseline to write it from this run.`);
  }
  const model = values.live ? liveModel(values['data-dir']) : undefined;
  const { report, files } = await runEvaluation({
    suites: values.suite ?? [],
    outDir: resolve(values.out ?? 'eval-results'),
    ...(values.baseline ? { baseline: resolve(values.baseline) } : {}),
    updateBaseline: values['update-baseline'] === true,
    ...(model ? { model } : {}),
  });
  if (values.json) {
    out(JSON.stringify(report));
  } else {
    for (const suite of report.suites) {
      if (suite.kind === 'router') out(`${suite.name}: accuracy ${suite.metrics.accuracy.toFixed(3)}, macro-F1 ${suite.metrics.macroF1.toFixed(3)}, ECE ${suite.metrics.ece.toFixed(3)} over ${suite.metrics.total} utterances`);
      else if (suite.kind === 'policy') out(`${suite.name}: ${suite.correct}/${suite.total} decisions as expected`);
      else {
        const parts = [
          ...(suite.attacks > 0 ? [`${suite.attacks} attacks, attack success rate ${suite.attackSuccessRate.toFixed(3)}, utility under attack ${suite.utilityUnderAttack.toFixed(3)}`] : []),
          ...(suite.benign > 0 ? [`${suite.benign} benign tasks, completion ${suite.benignCompletionRate.toFixed(3)}`] : []),
        ];
        out(`${suite.name}: ${parts.join('; ')}; ${suite.asksPerTask.toFixed(2)} asks per task`);
      }
    }
    out(report.regressions.length === 0 ? 'No regressions.' : `Regressions:\n${report.regressions.map((r) => `  - ${r}`).join('\n')}`);
    out(`Reports: ${files.json}, ${files.markdown}`);
  }
  return report.regressions.length === 0 ? 0 : 1;
}

function liveModel(dataDir: string | undefined) {
  const db = openDatabase(prepareDataFolder(dataDir).databaseFile);
  try {
    const selection = new SettingsStore(db).get(MODEL_SELECTION_KEY, ModelSelectionSchema, defaultModelSelection);
    // Hosted keys need the keychain port, which this command does not wire yet: local servers and the built-in model work.
    return createModelProvider(selection, undefined);
  } finally {
    db.close();
  }
}
