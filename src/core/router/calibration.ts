/**
 * Temperature scaling: confidence = softmax(score / T). T is fitted once, by minimizing the negative
 * log-likelihood of the right intent over leave-one-out scores of the catalogue's own examples.
 */
export function softmax(scores: readonly number[], temperature: number): number[] {
  const max = Math.max(...scores);
  const exps = scores.map((s) => Math.exp((s - max) / temperature));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

export function fitTemperature(samples: readonly { scores: number[]; label: number }[]): number {
  const nll = (t: number) => samples.reduce((sum, s) => sum - Math.log(Math.max(1e-12, softmax(s.scores, t)[s.label]!)), 0);
  // The NLL is unimodal in log T: a golden-section search over [0.005, 2] is exact enough and deterministic.
  let lo = Math.log(0.005);
  let hi = Math.log(2);
  const phi = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 60; i++) {
    const a = hi - phi * (hi - lo);
    const b = lo + phi * (hi - lo);
    if (nll(Math.exp(a)) < nll(Math.exp(b))) hi = b;
    else lo = a;
  }
  return Math.exp((lo + hi) / 2);
}
