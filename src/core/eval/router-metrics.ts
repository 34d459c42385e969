/** One labelled prediction: the right intent, the predicted one and its confidence. */
export interface Prediction {
  text: string;
  expected: string;
  predicted: string;
  confidence: number;
}

export interface RouterMetrics {
  total: number;
  accuracy: number;
  macroF1: number;
  /** Expected calibration error over 10 equal-width confidence bins. */
  ece: number;
  perIntent: Record<string, { precision: number; recall: number; f1: number; support: number }>;
  errors: Prediction[];
}

export function routerMetrics(predictions: readonly Prediction[], bins = 10): RouterMetrics {
  const labels = [...new Set(predictions.flatMap((p) => [p.expected, p.predicted]))].sort();
  const perIntent: RouterMetrics['perIntent'] = {};
  for (const label of labels) {
    const tp = predictions.filter((p) => p.predicted === label && p.expected === label).length;
    const fp = predictions.filter((p) => p.predicted === label && p.expected !== label).length;
    const fn = predictions.filter((p) => p.predicted !== label && p.expected === label).length;
    const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
    const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    perIntent[label] = { precision, recall, f1, support: tp + fn };
  }
  // Macro-F1 over the intents the suite labels (a spurious predicted label counts through precision elsewhere).
  const labelled = labels.filter((l) => perIntent[l]!.support > 0);
  const macroF1 = labelled.reduce((sum, l) => sum + perIntent[l]!.f1, 0) / Math.max(1, labelled.length);
  const correct = predictions.filter((p) => p.predicted === p.expected).length;
  let ece = 0;
  for (let b = 0; b < bins; b++) {
    const inBin = predictions.filter((p) => Math.min(bins - 1, Math.floor(p.confidence * bins)) === b);
    if (inBin.length === 0) continue;
    const accuracy = inBin.filter((p) => p.predicted === p.expected).length / inBin.length;
    const confidence = inBin.reduce((sum, p) => sum + p.confidence, 0) / inBin.length;
    ece += (inBin.length / predictions.length) * Math.abs(accuracy - confidence);
  }
  return {
    total: predictions.length,
    accuracy: predictions.length === 0 ? 0 : correct / predictions.length,
    macroF1,
    ece,
    perIntent,
    errors: predictions.filter((p) => p.predicted !== p.expected),
  };
}
