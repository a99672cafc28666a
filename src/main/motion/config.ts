// Test-time settings of a DensePose R-CNN, read from the detectron2 config the person has: the YAML
// the DensePose project ships (with `_BASE_` chains) or the same config dumped as JSON (the fixtures'
// config.json `tiny` entry). Keys a file does not set keep densepose_rcnn_R_50_FPN_s1x's values
// (DEFAULT_CONFIG = the fixtures' `full` entry: detectron2 defaults + add_densepose_config + that
// YAML). Architecture (depths, widths) comes from the checkpoint, not from here.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { load as loadYaml } from 'js-yaml';
import { StudioFailure } from '../../shared/result';

export interface DensePoseSettings {
  readonly minSizeTest: number;
  readonly maxSizeTest: number;
  /** BGR order, as INPUT.FORMAT 'BGR' models expect. */
  readonly pixelMean: readonly [number, number, number];
  readonly pixelStd: readonly [number, number, number];
  readonly sizeDivisibility: number;
  readonly anchorSizes: readonly (readonly number[])[];
  readonly anchorRatios: readonly number[];
  readonly anchorOffset: number;
  readonly rpn: { preNmsTopk: number; postNmsTopk: number; nmsThresh: number; minBoxSize: number; weights: [number, number, number, number] };
  readonly box: {
    scoreThresh: number; nmsThresh: number; detectionsPerImage: number; weights: [number, number, number, number];
    resolution: number; samplingRatio: number; aligned: boolean;
  };
  readonly densepose: { resolution: number; samplingRatio: number; aligned: boolean; upScale: number };
}

type Cfg = Record<string, unknown>;

/** The `full` entry's values that the settings read (densepose_rcnn_R_50_FPN_s1x). */
export const DEFAULT_CONFIG: Cfg = {
  INPUT: { MIN_SIZE_TEST: 800, MAX_SIZE_TEST: 1333, FORMAT: 'BGR' },
  TEST: { DETECTIONS_PER_IMAGE: 100 },
  MODEL: {
    PIXEL_MEAN: [103.53, 116.28, 123.675],
    PIXEL_STD: [1.0, 1.0, 1.0],
    FPN: { OUT_CHANNELS: 256 },
    ANCHOR_GENERATOR: { SIZES: [[32], [64], [128], [256], [512]], ASPECT_RATIOS: [[0.5, 1.0, 2.0]], OFFSET: 0.0 },
    RPN: { PRE_NMS_TOPK_TEST: 1000, POST_NMS_TOPK_TEST: 1000, NMS_THRESH: 0.7, BBOX_REG_WEIGHTS: [1.0, 1.0, 1.0, 1.0] },
    ROI_HEADS: { NAME: 'DensePoseROIHeads', SCORE_THRESH_TEST: 0.05, NMS_THRESH_TEST: 0.5, NUM_CLASSES: 1 },
    ROI_BOX_HEAD: {
      NAME: 'FastRCNNConvFCHead', BBOX_REG_WEIGHTS: [10.0, 10.0, 5.0, 5.0], POOLER_RESOLUTION: 7,
      POOLER_SAMPLING_RATIO: 2, POOLER_TYPE: 'ROIAlign',
    },
    ROI_DENSEPOSE_HEAD: {
      NAME: 'DensePoseV1ConvXHead', POOLER_RESOLUTION: 28, POOLER_SAMPLING_RATIO: 2, POOLER_TYPE: 'ROIAlign',
      UP_SCALE: 2, DECODER_ON: true, DECODER_COMMON_STRIDE: 4, PREDICTOR_NAME: 'DensePoseChartWithConfidencePredictor',
    },
  },
};

const isObject = (v: unknown): v is Cfg => typeof v === 'object' && v !== null && !Array.isArray(v);

function merge(base: Cfg, over: Cfg): Cfg {
  const out: Cfg = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isObject(v) && isObject(out[k]) ? merge(out[k] as Cfg, v) : v;
  return out;
}

const bad = (file: string, message: string) => new StudioFailure('invalid_request', `${file}: ${message}`, { file });

/** A YAML file with its `_BASE_` chain resolved (the base's values, then this file's). */
function readYaml(file: string, depth = 0): Cfg {
  if (depth > 8) throw bad(file, '_BASE_ chain is deeper than 8 files');
  let doc: unknown;
  try {
    doc = loadYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw bad(file, `cannot read the config (${(err as Error).message.split('\n')[0]})`);
  }
  if (!isObject(doc)) throw bad(file, 'the config is not a mapping');
  const { _BASE_: base, ...rest } = doc;
  if (typeof base !== 'string') return rest;
  return merge(readYaml(resolve(dirname(file), base), depth + 1), rest);
}

export function readConfigFile(file: string): Cfg {
  if (/\.ya?ml$/i.test(file)) return merge(DEFAULT_CONFIG, readYaml(file));
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw bad(file, `cannot read the config (${(err as Error).message})`);
  }
  if (!isObject(doc) || !isObject(doc.MODEL)) throw bad(file, 'expected a detectron2 config object with a MODEL section');
  return merge(DEFAULT_CONFIG, doc);
}

function at(cfg: Cfg, path: string, file: string): unknown {
  let v: unknown = cfg;
  for (const part of path.split('.')) v = isObject(v) ? v[part] : undefined;
  if (v === undefined) throw bad(file, `${path} is missing`);
  return v;
}

const num = (cfg: Cfg, path: string, file: string): number => {
  const v = at(cfg, path, file);
  if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(file, `${path} must be a number, got ${JSON.stringify(v)}`);
  return v;
};

const nums = (cfg: Cfg, path: string, file: string, length?: number): number[] => {
  const v = at(cfg, path, file);
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number') || (length !== undefined && v.length !== length)) {
    throw bad(file, `${path} must be a list of${length ? ` ${length}` : ''} numbers, got ${JSON.stringify(v)}`);
  }
  return v as number[];
};

function expectValue(cfg: Cfg, path: string, allowed: readonly unknown[], file: string): unknown {
  const v = at(cfg, path, file);
  if (!allowed.includes(v)) throw bad(file, `${path} = ${JSON.stringify(v)} is not supported (supported: ${allowed.join(', ')})`);
  return v;
}

/** ROIAlign = aligned False (the s1x configs), ROIAlignV2 = aligned True. */
const aligned = (cfg: Cfg, path: string, file: string): boolean => expectValue(cfg, path, ['ROIAlign', 'ROIAlignV2'], file) === 'ROIAlignV2';

export function settingsFromConfig(cfg: Cfg, file = 'densepose_rcnn_R_50_FPN_s1x (built-in)'): DensePoseSettings {
  expectValue(cfg, 'MODEL.ROI_HEADS.NAME', ['DensePoseROIHeads'], file);
  expectValue(cfg, 'MODEL.ROI_HEADS.NUM_CLASSES', [1], file);
  expectValue(cfg, 'MODEL.ROI_BOX_HEAD.NAME', ['FastRCNNConvFCHead'], file);
  expectValue(cfg, 'MODEL.ROI_DENSEPOSE_HEAD.NAME', ['DensePoseV1ConvXHead'], file);
  expectValue(cfg, 'MODEL.ROI_DENSEPOSE_HEAD.DECODER_ON', [true], file);
  expectValue(cfg, 'MODEL.ROI_DENSEPOSE_HEAD.DECODER_COMMON_STRIDE', [4], file);
  expectValue(cfg, 'MODEL.ROI_DENSEPOSE_HEAD.PREDICTOR_NAME', ['DensePoseChartWithConfidencePredictor', 'DensePoseChartPredictor'], file);
  expectValue(cfg, 'INPUT.FORMAT', ['BGR'], file);
  const ratios = at(cfg, 'MODEL.ANCHOR_GENERATOR.ASPECT_RATIOS', file);
  const sizes = at(cfg, 'MODEL.ANCHOR_GENERATOR.SIZES', file);
  if (!Array.isArray(ratios) || !Array.isArray(sizes)) throw bad(file, 'anchor SIZES / ASPECT_RATIOS must be lists');
  return {
    minSizeTest: num(cfg, 'INPUT.MIN_SIZE_TEST', file),
    maxSizeTest: num(cfg, 'INPUT.MAX_SIZE_TEST', file),
    pixelMean: nums(cfg, 'MODEL.PIXEL_MEAN', file, 3) as [number, number, number],
    pixelStd: nums(cfg, 'MODEL.PIXEL_STD', file, 3) as [number, number, number],
    sizeDivisibility: 32,
    anchorSizes: sizes.map((s) => (Array.isArray(s) ? s : [s]) as number[]),
    anchorRatios: (Array.isArray(ratios[0]) ? ratios[0] : ratios) as number[],
    anchorOffset: num(cfg, 'MODEL.ANCHOR_GENERATOR.OFFSET', file),
    rpn: {
      preNmsTopk: num(cfg, 'MODEL.RPN.PRE_NMS_TOPK_TEST', file),
      postNmsTopk: num(cfg, 'MODEL.RPN.POST_NMS_TOPK_TEST', file),
      nmsThresh: num(cfg, 'MODEL.RPN.NMS_THRESH', file),
      minBoxSize: 0,
      weights: nums(cfg, 'MODEL.RPN.BBOX_REG_WEIGHTS', file, 4) as [number, number, number, number],
    },
    box: {
      scoreThresh: num(cfg, 'MODEL.ROI_HEADS.SCORE_THRESH_TEST', file),
      nmsThresh: num(cfg, 'MODEL.ROI_HEADS.NMS_THRESH_TEST', file),
      detectionsPerImage: num(cfg, 'TEST.DETECTIONS_PER_IMAGE', file),
      weights: nums(cfg, 'MODEL.ROI_BOX_HEAD.BBOX_REG_WEIGHTS', file, 4) as [number, number, number, number],
      resolution: num(cfg, 'MODEL.ROI_BOX_HEAD.POOLER_RESOLUTION', file),
      samplingRatio: num(cfg, 'MODEL.ROI_BOX_HEAD.POOLER_SAMPLING_RATIO', file),
      aligned: aligned(cfg, 'MODEL.ROI_BOX_HEAD.POOLER_TYPE', file),
    },
    densepose: {
      resolution: num(cfg, 'MODEL.ROI_DENSEPOSE_HEAD.POOLER_RESOLUTION', file),
      samplingRatio: num(cfg, 'MODEL.ROI_DENSEPOSE_HEAD.POOLER_SAMPLING_RATIO', file),
      aligned: aligned(cfg, 'MODEL.ROI_DENSEPOSE_HEAD.POOLER_TYPE', file),
      upScale: num(cfg, 'MODEL.ROI_DENSEPOSE_HEAD.UP_SCALE', file),
    },
  };
}

/** `--config FILE`, or the built-in densepose_rcnn_R_50_FPN_s1x settings. */
export function loadSettings(file?: string): DensePoseSettings {
  return file ? settingsFromConfig(readConfigFile(file), file) : settingsFromConfig(DEFAULT_CONFIG);
}
