// The demo's body: a skeleton posed per frame (a walk in place whose right arm waves), shared by
// the reference picture and the DensePose clip so both show the same proportions. Coordinates are
// pixels on a 512×512 canvas; "left"/"right" are the figure's own sides (it faces the viewer, so
// its right is on the image's left).
import type { Point } from './raster';

export interface Limb {
  root: Point;
  mid: Point;
  end: Point;
}

export interface Pose {
  head: Point;
  neck: Point;
  pelvis: Point;
  shoulders: { left: Point; right: Point };
  hips: { left: Point; right: Point };
  arms: { left: Limb; right: Limb };
  legs: { left: Limb; right: Limb };
}

export const BODY = {
  headRadiusX: 34,
  headRadiusY: 42,
  torsoLength: 130,
  shoulderHalfWidth: 50,
  hipHalfWidth: 28,
  upperArm: 78,
  forearm: 72,
  thigh: 96,
  shin: 96,
} as const;

/** A point `length` away from `from`, at `angle` radians from straight down (positive: towards +x). */
export function hang(from: Point, angle: number, length: number): Point {
  return { x: from.x + Math.sin(angle) * length, y: from.y + Math.cos(angle) * length };
}

function limb(root: Point, rootAngle: number, bend: number, first: number, second: number): Limb {
  const mid = hang(root, rootAngle, first);
  return { root, mid, end: hang(mid, rootAngle + bend, second) };
}

export interface PoseAngles {
  /** Per limb: angle of the upper part from hanging down, and the bend of the lower part. */
  leftArm: [number, number];
  rightArm: [number, number];
  leftLeg: [number, number];
  rightLeg: [number, number];
  bob: number;
  sway: number;
}

export function poseFrom(angles: PoseAngles): Pose {
  const pelvis = { x: 256 + angles.sway, y: 282 + angles.bob };
  const neck = { x: pelvis.x, y: pelvis.y - BODY.torsoLength };
  const head = { x: neck.x, y: neck.y - BODY.headRadiusY - 6 };
  const shoulders = { right: { x: neck.x - BODY.shoulderHalfWidth, y: neck.y + 10 }, left: { x: neck.x + BODY.shoulderHalfWidth, y: neck.y + 10 } };
  const hips = { right: { x: pelvis.x - BODY.hipHalfWidth, y: pelvis.y }, left: { x: pelvis.x + BODY.hipHalfWidth, y: pelvis.y } };
  return {
    head,
    neck,
    pelvis,
    shoulders,
    hips,
    arms: {
      right: limb(shoulders.right, ...angles.rightArm, BODY.upperArm, BODY.forearm),
      left: limb(shoulders.left, ...angles.leftArm, BODY.upperArm, BODY.forearm),
    },
    legs: {
      right: limb(hips.right, ...angles.rightLeg, BODY.thigh, BODY.shin),
      left: limb(hips.left, ...angles.leftLeg, BODY.thigh, BODY.shin),
    },
  };
}

/** The reference photo's pose: standing, arms slightly away from the body. */
export const REST_POSE: Pose = poseFrom({ leftArm: [0.25, 0.05], rightArm: [-0.25, -0.05], leftLeg: [0.06, 0], rightLeg: [-0.06, 0], bob: 0, sway: 0 });

/**
 * Frame `frame` of the motion: a walk cycle of `walkPeriod` frames (legs swing in opposition, the
 * knee bends on the forward swing, the body bobs twice per cycle) while the right arm, raised,
 * waves its forearm. The left arm swings against the left leg.
 */
export function walkingWavePose(frame: number, walkPeriod = 24, wavePeriod = 16): Pose {
  const phase = (2 * Math.PI * frame) / walkPeriod;
  const wave = (2 * Math.PI * frame) / wavePeriod;
  const swing = 0.3 * Math.sin(phase);
  const knee = (s: number) => -0.55 * Math.max(0, Math.sin(s));
  return poseFrom({
    leftLeg: [swing, knee(phase + Math.PI / 2)],
    rightLeg: [-swing, knee(phase - Math.PI / 2)],
    leftArm: [0.15 - 0.35 * Math.sin(phase), 0.25],
    // Raised to the side (angle near π is straight up), forearm waving about vertical.
    rightArm: [-2.2, -0.75 + 0.45 * Math.sin(wave)],
    bob: -6 * Math.abs(Math.cos(phase)),
    sway: 10 * Math.sin(phase / 2),
  });
}
