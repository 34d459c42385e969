import { AppError } from '../../shared/errors';

/** How long a model's server may send nothing: before the first piece of its reply, and between two once it has begun. */
export interface SilenceLimits {
  firstOutputMs: number;
  betweenOutputMs: number;
}

/**
 * Before the first piece: 5 minutes, as a local server on a CPU-only laptop may load the model from disk and then read
 * a long prompt (8k tokens at ~30 tokens/s is over 4 minutes) before it says a word; the chat counts the wait the
 * while ("Waiting for the model… N s"). Between pieces: 90 s, as once it writes, even a slow model sends a token a
 * second or so; that long a gap is a server stuck (a hung GPU, a deadlocked slot). Both under the turn's 10 minutes,
 * which a silent server ran out before, with no word of which server or why.
 */
export const defaultSilenceLimits: SilenceLimits = { firstOutputMs: 5 * 60_000, betweenOutputMs: 90_000 };

/**
 * Watches one model stream for its server going silent: `heard` at each piece of output. Once silent too long, the
 * request is aborted (`signal`), whatever waits `within` it fails, and `error` says which server was silent for how
 * long.
 */
export class SilenceWatch {
  error: AppError | null = null;
  private readonly controller = new AbortController();
  private readonly silenced: Promise<never>;
  private fail: (error: AppError) => void = () => undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private begun = false;

  constructor(
    private readonly modelId: string,
    private readonly limits: SilenceLimits,
  ) {
    this.silenced = new Promise<never>((_resolve, reject) => (this.fail = reject));
    this.silenced.catch(() => undefined); // read through `within` or `error`; never left unhandled
    this.arm();
  }

  /** Aborts the request once the server is silent too long. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The server sent a piece of its reply. */
  heard(): void {
    this.begun = true;
    this.arm();
  }

  /** `waiting`, or the silence error if it comes first. */
  within<T>(waiting: PromiseLike<T>): Promise<T> {
    return Promise.race([waiting, this.silenced]);
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private arm(): void {
    clearTimeout(this.timer);
    const ms = this.begun ? this.limits.betweenOutputMs : this.limits.firstOutputMs;
    this.timer = setTimeout(() => {
      this.error = this.begun ? stoppedMidReply(this.modelId, ms) : neverBegan(this.modelId, ms);
      this.controller.abort(this.error);
      this.fail(this.error);
    }, ms);
  }
}

function neverBegan(modelId: string, ms: number): AppError {
  return new AppError(
    'MODEL_UNAVAILABLE',
    `The model ${modelId} took the request but sent nothing for ${seconds(ms)}, so the turn was ended. A local server may still be loading the model or reading a long prompt (its log says which), or it is stuck: check it, then Retry.`,
  );
}

function stoppedMidReply(modelId: string, ms: number): AppError {
  return new AppError(
    'MODEL_UNAVAILABLE',
    `The model ${modelId} did not finish its reply: its server sent nothing more for ${seconds(ms)}, so the turn was ended. Check that the server is still running and not stuck, then Retry.`,
  );
}

function seconds(ms: number): string {
  return `${ms % 1000 === 0 ? ms / 1000 : (ms / 1000).toFixed(1)} s`;
}
