// One DensePose R-CNN (densepose_rcnn_R_50_FPN) on onnxruntime: three graphs built from the
// person's checkpoint (graph/backbone.ts, graph/heads.ts) and the data-dependent steps between them
// in TypeScript (anchors, proposals, RoIAlign, detections, chart post-processing). Each stage is its
// own method so tests can feed it the fixture's input for that stage; `runFrame` chains them in
// detectron2's order. A StageDump, when given, receives every stage's tensors under the fixtures'
// names.
import { saveToBuffer } from '../compiler/onnx';
import type { WeightSource } from '../compiler/weights/source';
import { createSession, float32Tensor, type RuntimeSession, type ProviderChoice } from '../engine/runtime';
import { StudioFailure } from '../../shared/result';
import { assignLevels, cellAnchors, gridAnchors } from './boxes';
import { detect, type Detections } from './boxInference';
import type { DensePoseSettings } from './config';
import type { StageDump } from './dump';
import { buildBackbone, FPN_LEVELS, FPN_STRIDES, RES_STAGES } from './graph/backbone';
import { buildBoxHead, buildDensePoseHead, CHART_OUTPUTS } from './graph/heads';
import { preprocess, type Frame, type Preprocessed } from './preprocess';
import { roiAlignLevels, type FeatureMap } from './roiAlign';
import { findProposals, type Proposals } from './rpn';

export interface BackboneOut {
  /** p2..p6 */
  levels: FeatureMap[];
  decoder: FeatureMap;
  rpnLogits: Float32Array[];
  rpnDeltas: Float32Array[];
}

export interface DensePoseOut {
  /** Boxes the pooler received (resized-image px). */
  boxes: Float32Array;
  count: number;
  /** [N, 2, S, S] and [N, 25, S, S], S = 4 · pooler resolution. */
  coarse: Float32Array;
  fine: Float32Array;
  u: Float32Array;
  v: Float32Array;
  size: number;
}

export interface StageTimes {
  preprocess: number;
  backbone: number;
  proposals: number;
  boxHead: number;
  densepose: number;
}

const map = (data: Float32Array, shape: readonly number[]): FeatureMap => ({
  data, channels: shape[1], height: shape[2], width: shape[3],
});

export class DensePoseDetector {
  readonly channels: number;
  readonly times: StageTimes = { preprocess: 0, backbone: 0, proposals: 0, boxHead: 0, densepose: 0 };

  private constructor(
    readonly settings: DensePoseSettings,
    private readonly backboneSession: RuntimeSession,
    private readonly boxSession: RuntimeSession,
    private readonly dpSession: RuntimeSession,
    channels: number,
  ) {
    this.channels = channels;
  }

  /** Builds the graphs from `weights` (every key must be consumed) and opens their sessions. */
  static async create(weights: WeightSource, settings: DensePoseSettings, o: { threads?: number; provider?: ProviderChoice } = {}): Promise<DensePoseDetector> {
    const graphs = buildDensePoseGraphs(weights, settings);
    const open = (g: ReturnType<typeof buildBackbone>) => createSession(saveToBuffer(g), { provider: o.provider ?? 'cpu', threads: o.threads ?? 0 });
    const [bb, box, dp] = [await open(graphs.backbone), await open(graphs.boxHead), await open(graphs.densepose)];
    return new DensePoseDetector(settings, bb, box, dp, graphs.channels);
  }

  async release(): Promise<void> {
    await Promise.all([this.backboneSession.release(), this.boxSession.release(), this.dpSession.release()]);
  }

  preprocess(frame: Frame, dump?: StageDump): Preprocessed {
    const t0 = performance.now();
    const pre = preprocess(frame, this.settings);
    this.times.preprocess += performance.now() - t0;
    dump?.u8('pre.resized_bgr', [pre.height, pre.width, 3], pre.resizedBgr);
    dump?.f32('pre.images_tensor', [1, 3, pre.paddedHeight, pre.paddedWidth], pre.tensor);
    dump?.f32('pre.image_size_hw', [2], [pre.height, pre.width]);
    dump?.f32('pre.padded_size_hw', [2], [pre.paddedHeight, pre.paddedWidth]);
    dump?.f32('pre.orig_size_hw', [2], [frame.height, frame.width]);
    return pre;
  }

  async backbone(pre: Preprocessed, dump?: StageDump): Promise<BackboneOut> {
    const t0 = performance.now();
    const out = await this.backboneSession.run({ images: float32Tensor(pre.tensor, [1, 3, pre.paddedHeight, pre.paddedWidth]) });
    this.times.backbone += performance.now() - t0;
    const get = (name: string) => ({ data: out[name].data as Float32Array, shape: out[name].dims as readonly number[] });
    if (dump) {
      for (const s of RES_STAGES) dump.f32(`bb.${s}`, get(s).shape, get(s).data);
      for (const l of FPN_LEVELS) dump.f32(`fpn.${l}`, get(l).shape, get(l).data);
      for (const l of FPN_LEVELS) {
        dump.f32(`rpn.${l}.objectness_logits`, get(`rpn_logits_${l}`).shape, get(`rpn_logits_${l}`).data);
        dump.f32(`rpn.${l}.anchor_deltas`, get(`rpn_deltas_${l}`).shape, get(`rpn_deltas_${l}`).data);
      }
      dump.f32('dp.decoder_out', get('decoder_out').shape, get('decoder_out').data);
    }
    return {
      levels: FPN_LEVELS.map((l) => map(get(l).data, get(l).shape)),
      decoder: map(get('decoder_out').data, get('decoder_out').shape),
      rpnLogits: FPN_LEVELS.map((l) => get(`rpn_logits_${l}`).data),
      rpnDeltas: FPN_LEVELS.map((l) => get(`rpn_deltas_${l}`).data),
    };
  }

  proposals(bb: BackboneOut, pre: Preprocessed, dump?: StageDump): Proposals {
    const t0 = performance.now();
    const s = this.settings;
    const levels = bb.levels.map((m, i) => {
      const cell = cellAnchors(s.anchorSizes[i], s.anchorRatios);
      const anchors = gridAnchors(cell, m.height, m.width, FPN_STRIDES[i], s.anchorOffset);
      dump?.f32(`rpn.${FPN_LEVELS[i]}.anchors`, [anchors.length / 4, 4], anchors);
      return { logits: bb.rpnLogits[i], deltas: bb.rpnDeltas[i], anchors, height: m.height, width: m.width, anchorsPerCell: cell.length / 4 };
    });
    const p = findProposals(levels, pre.height, pre.width, s);
    this.times.proposals += performance.now() - t0;
    if (dump) {
      dump.f32('rpn.prenms_boxes', [p.prenmsLogits.length, 4], p.prenmsBoxes);
      dump.f32('rpn.prenms_logits', [p.prenmsLogits.length], p.prenmsLogits);
      dump.f32('rpn.prenms_level', [p.prenmsLevel.length], p.prenmsLevel);
      dump.f32('rpn.prenms_index_in_level', [p.prenmsIndexInLevel.length], p.prenmsIndexInLevel);
      dump.f32('rpn.proposal_boxes', [p.logits.length, 4], p.boxes);
      dump.f32('rpn.proposal_logits', [p.logits.length], p.logits);
    }
    return p;
  }

  /** Box head on `proposals` (xyxy, resized px), then detections. */
  async boxHead(bb: BackboneOut, proposals: Float32Array, pre: { height: number; width: number }, dump?: StageDump): Promise<Detections> {
    const t0 = performance.now();
    const s = this.settings;
    const n = proposals.length / 4;
    const level = assignLevels(proposals, { canonicalBoxSize: 224, canonicalLevel: 4, minLevel: 2, maxLevel: 5 });
    const o = { resolution: s.box.resolution, samplingRatio: s.box.samplingRatio, aligned: s.box.aligned };
    const pooled = roiAlignLevels(bb.levels.slice(0, 4), FPN_STRIDES.slice(0, 4).map((st) => 1 / st), proposals, level, o);
    const r = s.box.resolution;
    let classLogits: Float32Array = new Float32Array(0);
    let boxDeltas: Float32Array = new Float32Array(0);
    let headOut: Float32Array = new Float32Array(0);
    if (n > 0) {
      const out = await this.boxSession.run({ pooled: float32Tensor(pooled, [n, this.channels, r, r]) });
      classLogits = out.class_logits.data as Float32Array;
      boxDeltas = out.box_deltas.data as Float32Array;
      headOut = out.head_out.data as Float32Array;
    }
    const det = detect(proposals, classLogits, boxDeltas, pre.height, pre.width, s);
    this.times.boxHead += performance.now() - t0;
    if (dump) {
      const subset = pooledSubsetRows(level);
      const size = this.channels * r * r;
      const pooledSubset = new Float32Array(subset.length * size);
      subset.forEach((row, i) => pooledSubset.set(pooled.subarray(row * size, (row + 1) * size), i * size));
      dump.f32('box.level_assignment', [n], level);
      dump.f32('box.pooled_subset_index', [subset.length], subset);
      dump.f32('box.pooled_subset', [subset.length, this.channels, r, r], pooledSubset);
      dump.f32('box.head_out', [n, headOut.length / Math.max(n, 1)], headOut);
      dump.f32('box.class_logits', [n, 2], classLogits);
      dump.f32('box.box_deltas', [n, 4], boxDeltas);
      dump.f32('box.probs', [n, 2], det.probs);
      dump.f32('box.decoded_boxes', [n, 4], det.decodedBoxes);
      const k = det.scores.length;
      dump.f32('det.boxes', [k, 4], det.boxes);
      dump.f32('det.scores', [k], det.scores);
      dump.f32('det.classes', [k], new Float32Array(k));
      dump.f32('det.proposal_index', [k], det.proposalIndex);
    }
    return det;
  }

  /** DensePose pooler (decoder output, stride 4) + head + chart predictor on `boxes` (resized px). */
  async densepose(bb: BackboneOut, boxes: Float32Array, dump?: StageDump): Promise<DensePoseOut> {
    const t0 = performance.now();
    const s = this.settings.densepose;
    const n = boxes.length / 4;
    const size = s.resolution * 2 * s.upScale;
    const empty: DensePoseOut = { boxes, count: 0, coarse: new Float32Array(0), fine: new Float32Array(0), u: new Float32Array(0), v: new Float32Array(0), size };
    if (n === 0) return empty;
    const o = { resolution: s.resolution, samplingRatio: s.samplingRatio, aligned: s.aligned };
    const pooled = roiAlignLevels([bb.decoder], [1 / 4], boxes, null, o);
    const out = await this.dpSession.run({ pooled: float32Tensor(pooled, [n, bb.decoder.channels, s.resolution, s.resolution]) });
    this.times.densepose += performance.now() - t0;
    const data = (name: string) => out[name].data as Float32Array;
    if (dump) {
      dump.f32('dp.boxes', [n, 4], boxes);
      dump.f32('dp.pooled', [n, bb.decoder.channels, s.resolution, s.resolution], pooled);
      dump.f32('dp.head_out', out.head_out.dims, data('head_out'));
      dump.f32('dp.coarse_segm', out.coarse_segm.dims, data('coarse_segm'));
      dump.f32('dp.fine_segm', out.fine_segm.dims, data('fine_segm'));
      const first = (name: string) => {
        const dims = out[name].dims;
        const per = dims.slice(1).reduce((a, b) => a * b, 1);
        return { shape: [1, ...dims.slice(1)], data: data(name).slice(0, per) };
      };
      for (const [lowres] of CHART_OUTPUTS) dump.f32(`dp.lowres_box0.${lowres}`, first(lowres).shape, first(lowres).data);
      dump.f32('dp.u_box0', first('u').shape, first('u').data);
      dump.f32('dp.v_box0', first('v').shape, first('v').data);
    }
    return { boxes, count: n, coarse: data('coarse_segm'), fine: data('fine_segm'), u: data('u'), v: data('v'), size };
  }
}

/** Rows whose pooled features the fixtures store: the first 8 proposals of each level, sorted. */
function pooledSubsetRows(level: Int32Array): number[] {
  const rows: number[] = [];
  for (let l = 0; l < 4; l++) rows.push(...[...level.keys()].filter((i) => level[i] === l).slice(0, 8));
  return rows.sort((a, b) => a - b);
}

export interface DensePoseGraphs {
  backbone: ReturnType<typeof buildBackbone>;
  boxHead: ReturnType<typeof buildBackbone>;
  densepose: ReturnType<typeof buildBackbone>;
  channels: number;
}

/** The three graphs; throws unless every checkpoint key was consumed with its shape. */
export function buildDensePoseGraphs(weights: WeightSource, settings: DensePoseSettings): DensePoseGraphs {
  const backbone = buildBackbone(weights);
  const channels = weights.shape('backbone.fpn_output2.weight')?.[0] ?? 0;
  const decoderOut = weights.shape('roi_heads.decoder.predictor.weight')?.[0] ?? 0;
  const boxHead = buildBoxHead(weights, channels, settings.box.resolution);
  const densepose = buildDensePoseHead(weights, decoderOut, settings.densepose.resolution, settings.densepose.upScale);
  const unused = weights.keys().filter((k) => !weights.usedKeys().has(k));
  if (unused.length > 0) {
    throw new StudioFailure('model_invalid', `${weights.name}: ${unused.length} weights are not part of a densepose_rcnn_R_50_FPN model (${unused.slice(0, 5).join(', ')})`, { file: weights.name, unused });
  }
  return { backbone, boxHead, densepose, channels };
}
