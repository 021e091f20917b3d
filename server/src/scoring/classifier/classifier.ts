/**
 * The shipped ONNX hack classifier, run in-process through onnxruntime-node.
 *
 * Execution providers: CPU by default. With `device: 'auto'` (the default) the CUDA provider is tried
 * when its library is installed beside the binding (`ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild
 * onnxruntime-node`); `device: 'cuda'` always tries it. Whenever CUDA was wanted and is not used, the
 * reason is logged once and kept in `fallbackReason` — the classifier never fails for lack of a GPU.
 *
 * Inference is batched: one `session.run` per `batchSize` rows of the [N, F] feature matrix.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type * as ort from 'onnxruntime-node';
import { FEATURE_COUNT } from './features';

export type ClassifierDevice = 'cpu' | 'cuda' | 'auto';

export interface ClassifierOptions {
  /** Defaults to the shipped `media/models/hack-classifier.onnx`. */
  readonly modelPath?: string;
  readonly device?: ClassifierDevice;
  /** Rows per `session.run` (default 256). */
  readonly batchSize?: number;
  /** Where provider choices and fallbacks are reported (default: silent). */
  readonly log?: (message: string) => void;
}

export const MODEL_FILE = 'hack-classifier.onnx';

/** The shipped model: `dist/../media/models` from the bundle, `<repo>/media/models` from source. */
export function defaultModelPath(): string {
  const candidates = [
    path.join(__dirname, '..', 'media', 'models', MODEL_FILE),
    path.resolve(__dirname, '..', '..', '..', '..', 'media', 'models', MODEL_FILE),
  ];
  return candidates.find((p) => existsSync(p)) ?? candidates[candidates.length - 1]!;
}

function cudaProviderInstalled(ortModule: typeof ort): boolean {
  try {
    const dir = path.dirname(require.resolve('onnxruntime-node/package.json'));
    const bin = path.join(dir, 'bin', `napi-v6`, process.platform, process.arch);
    const libs = existsSync(bin) ? readdirSync(bin) : [];
    if (libs.some((f) => /onnxruntime_providers_cuda/.test(f))) return true;
    return ortModule.listSupportedBackends().some((b) => b.name === 'cuda' && b.bundled);
  } catch {
    return false;
  }
}

export class HackClassifier {
  private constructor(
    private readonly ortModule: typeof ort,
    private readonly session: ort.InferenceSession,
    readonly provider: 'cpu' | 'cuda',
    readonly batchSize: number,
    readonly modelPath: string,
    /** Why CUDA was wanted but not used; undefined when not wanted or when used. */
    readonly fallbackReason?: string,
  ) {}

  static async create(opts: ClassifierOptions = {}): Promise<HackClassifier> {
    // Loaded lazily: the native binding is only paid for when the classifier is used.
    const ortModule = require('onnxruntime-node') as typeof ort;
    const modelPath = opts.modelPath ?? defaultModelPath();
    if (!existsSync(modelPath)) throw new Error(`hack classifier model not found: ${modelPath}`);
    const device = opts.device ?? 'auto';
    const log = opts.log ?? (() => undefined);
    let fallbackReason: string | undefined;
    const wantCuda = device === 'cuda' || (device === 'auto' && cudaProviderInstalled(ortModule));
    if (device === 'cuda' && !cudaProviderInstalled(ortModule)) {
      fallbackReason = 'the CUDA execution provider is not installed (ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node)';
    }
    if (wantCuda && !fallbackReason) {
      try {
        const session = await ortModule.InferenceSession.create(modelPath, { executionProviders: ['cuda', 'cpu'] });
        log(`classifier: CUDA execution provider (${modelPath})`);
        return await new HackClassifier(ortModule, session, 'cuda', opts.batchSize ?? 256, modelPath).checked();
      } catch (e) {
        fallbackReason = `the CUDA execution provider failed to start: ${(e as Error).message.split('\n')[0]}`;
      }
    }
    if (fallbackReason) log(`classifier: falling back to CPU — ${fallbackReason}`);
    const session = await ortModule.InferenceSession.create(modelPath, { executionProviders: ['cpu'] });
    return new HackClassifier(ortModule, session, 'cpu', opts.batchSize ?? 256, modelPath, fallbackReason).checked();
  }

  /** Fails early (with a clear message) when the model's input width is not the featurizer's. */
  private async checked(): Promise<this> {
    try {
      await this.predictFlat(new Float32Array(FEATURE_COUNT), 1);
    } catch (e) {
      throw new Error(`hack classifier ${this.modelPath} does not take ${FEATURE_COUNT} features (retrain it): ${(e as Error).message}`);
    }
    return this;
  }

  /** Probabilities for `n` rows of a row-major [n, FEATURE_COUNT] matrix, `batchSize` rows per run. */
  async predictFlat(flat: Float32Array, n: number, signal?: AbortSignal): Promise<Float32Array> {
    const out = new Float32Array(n);
    for (let start = 0; start < n; start += this.batchSize) {
      signal?.throwIfAborted();
      const rows = Math.min(this.batchSize, n - start);
      const data = flat.subarray(start * FEATURE_COUNT, (start + rows) * FEATURE_COUNT);
      const input = new this.ortModule.Tensor('float32', data, [rows, FEATURE_COUNT]);
      const result = await this.session.run({ features: input });
      out.set(result['probability']!.data as Float32Array, start);
    }
    return out;
  }

  async predict(rows: readonly Float32Array[], signal?: AbortSignal): Promise<Float32Array> {
    const flat = new Float32Array(rows.length * FEATURE_COUNT);
    rows.forEach((r, i) => flat.set(r, i * FEATURE_COUNT));
    return this.predictFlat(flat, rows.length, signal);
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
