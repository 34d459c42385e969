import { fitTemperature, softmax } from './calibration';
import { OUT_OF_SCOPE, type IntentCatalogue } from './intent-catalogue';
import { featuresOf } from './text-features';

export interface Classification {
  intent: string;
  confidence: number;
  /** Every intent's calibrated probability, best first. */
  ranking: { intent: string; confidence: number }[];
}

type SparseVector = Map<number, number>;

/** How many of an intent's nearest examples are averaged into its score. */
const TOP_K = 3;

/**
 * The offline classifier: TF-IDF over words and character n-grams, each intent scored by the mean cosine
 * similarity of its nearest examples, and confidence from a softmax whose temperature was fitted on the
 * catalogue's own examples (leave-one-out). Deterministic, no I/O, a few microseconds per request.
 */
export class IntentClassifier {
  private readonly vocabulary = new Map<string, number>();
  private readonly idf: number[] = [];
  private readonly labels: string[];
  private readonly exampleLabel: number[] = [];
  /** feature → (example, weight) postings: scoring touches only the examples that share a feature. */
  private readonly postings: { example: number; weight: number }[][] = [];
  private readonly outOfScope: number;
  private readonly minSimilarity: number;
  readonly temperature: number;

  constructor(catalogue: IntentCatalogue) {
    this.labels = catalogue.intents.map((intent) => intent.id);
    this.outOfScope = this.labels.indexOf(OUT_OF_SCOPE);
    this.minSimilarity = catalogue.minSimilarity;
    const raw: Map<string, number>[] = [];
    catalogue.intents.forEach((intent, label) => {
      for (const example of intent.examples) {
        raw.push(featuresOf(example));
        this.exampleLabel.push(label);
      }
    });
    const documentFrequency = new Map<string, number>();
    for (const features of raw) for (const key of features.keys()) documentFrequency.set(key, (documentFrequency.get(key) ?? 0) + 1);
    for (const [key, df] of documentFrequency) {
      this.vocabulary.set(key, this.idf.length);
      this.idf.push(Math.log((1 + raw.length) / (1 + df)) + 1);
      this.postings.push([]);
    }
    const vectors = raw.map((features) => this.vectorize(features));
    vectors.forEach((vector, example) => {
      for (const [feature, weight] of vector) this.postings[feature]!.push({ example, weight });
    });
    this.temperature = fitTemperature(vectors.map((vector, example) => ({ scores: this.scores(vector, example), label: this.exampleLabel[example]! })));
  }

  classify(text: string): Classification {
    const probabilities = softmax(this.scores(this.vectorize(featuresOf(text))), this.temperature);
    const ranking = probabilities.map((confidence, i) => ({ intent: this.labels[i]!, confidence })).sort((a, b) => b.confidence - a.confidence);
    return { intent: ranking[0]!.intent, confidence: ranking[0]!.confidence, ranking };
  }

  private vectorize(features: Map<string, number>): SparseVector {
    const vector: SparseVector = new Map();
    let norm = 0;
    for (const [key, count] of features) {
      const index = this.vocabulary.get(key);
      if (index === undefined) continue;
      const weight = (1 + Math.log(count)) * this.idf[index]!;
      vector.set(index, weight);
      norm += weight * weight;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [index, weight] of vector) vector.set(index, weight / norm);
    return vector;
  }

  /** Per intent, the mean similarity of its TOP_K nearest examples; out-of-scope never scores below the floor. */
  private scores(vector: SparseVector, skipExample = -1): number[] {
    const similarity = new Map<number, number>();
    for (const [feature, weight] of vector) {
      for (const posting of this.postings[feature]!) {
        if (posting.example === skipExample) continue;
        similarity.set(posting.example, (similarity.get(posting.example) ?? 0) + weight * posting.weight);
      }
    }
    const best: number[][] = this.labels.map(() => []);
    for (const [example, value] of similarity) {
      const top = best[this.exampleLabel[example]!]!;
      top.push(value);
      if (top.length > TOP_K) {
        top.sort((a, b) => b - a);
        top.length = TOP_K;
      }
    }
    const scores = best.map((top) => top.reduce((a, b) => a + b, 0) / TOP_K);
    if (this.outOfScope >= 0) scores[this.outOfScope] = Math.max(scores[this.outOfScope]!, this.minSimilarity);
    return scores;
  }
}
