// Draws a pose the way DensePose renderings used by MagicAnimate look: each body part filled with
// the viridis colour of its part index I (1…24, scaled to 0…1 over 24 parts) on viridis(0) =
// RGB(68,1,84). Parts facing the viewer use DensePose's "front" indices.
import { BODY, type Limb, type Pose } from './figure';
import { RgbCanvas, type Point, type Rgb } from './raster';

// matplotlib's viridis sampled at 0, 1/8, …, 1 (the same anchors media/densepose.ts checks against);
// colours between anchors are interpolated linearly, so they lie on the checked polyline.
const VIRIDIS: readonly Rgb[] = [
  [68, 1, 84], [72, 36, 117], [59, 82, 139], [44, 114, 142], [33, 145, 140],
  [40, 174, 128], [94, 201, 98], [173, 220, 48], [253, 231, 37],
];

export function viridis(t: number): Rgb {
  const x = Math.max(0, Math.min(1, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const mix = (k: number) => Math.round(VIRIDIS[i][k] + f * (VIRIDIS[i + 1][k] - VIRIDIS[i][k]));
  return [mix(0), mix(1), mix(2)];
}

/** DensePose body-part indices (the 24 "I" labels) for the parts a front view shows. */
export const PART = {
  torsoFront: 2,
  rightHand: 3,
  leftHand: 4,
  leftFoot: 5,
  rightFoot: 6,
  rightThighFront: 9,
  leftThighFront: 10,
  rightShinFront: 13,
  leftShinFront: 14,
  leftUpperArmFront: 17,
  rightUpperArmFront: 18,
  leftForearmFront: 21,
  rightForearmFront: 22,
  headRight: 23,
  headLeft: 24,
} as const;

const PART_COUNT = 24;
export const partColour = (part: number): Rgb => viridis(part / PART_COUNT);
export const DENSEPOSE_BACKGROUND: Rgb = viridis(0);

function drawLeg(canvas: RgbCanvas, leg: Limb, thigh: number, shin: number, foot: number, toeSide: number): void {
  canvas.fillCapsule(leg.root, leg.mid, 23, partColour(thigh));
  canvas.fillCapsule(leg.mid, leg.end, 18, partColour(shin));
  const toe: Point = { x: leg.end.x + toeSide * 22, y: leg.end.y + 14 };
  canvas.fillCapsule({ x: leg.end.x, y: leg.end.y + 6 }, toe, 12, partColour(foot));
}

function drawArm(canvas: RgbCanvas, arm: Limb, upper: number, fore: number, hand: number): void {
  canvas.fillCapsule(arm.root, arm.mid, 16, partColour(upper));
  canvas.fillCapsule(arm.mid, arm.end, 13, partColour(fore));
  canvas.fillCircle(arm.end, 15, partColour(hand));
}

function drawTorso(canvas: RgbCanvas, pose: Pose): void {
  const { shoulders, hips } = pose;
  const waist = (side: 'left' | 'right', dx: number): Point => ({ x: hips[side].x + dx, y: hips[side].y + 12 });
  canvas.fillConvex([shoulders.right, shoulders.left, waist('left', 14), waist('right', -14)], partColour(PART.torsoFront));
  canvas.fillCapsule(shoulders.right, shoulders.left, 16, partColour(PART.torsoFront));
}

function drawHead(canvas: RgbCanvas, pose: Pose): void {
  const { head } = pose;
  canvas.fillCapsule(pose.neck, { x: head.x, y: head.y + 20 }, 15, partColour(PART.headLeft));
  canvas.fillEllipse(head, BODY.headRadiusX, BODY.headRadiusY, partColour(PART.headLeft));
  // The figure's right half of the head is on the image's left.
  canvas.fillEllipse(head, BODY.headRadiusX, BODY.headRadiusY, partColour(PART.headRight), (x) => x < head.x);
}

/** One 512×512 RGB24 DensePose-style frame of `pose`. */
export function drawDensePoseFrame(pose: Pose, size = 512): Uint8Array {
  const canvas = new RgbCanvas(size, size, DENSEPOSE_BACKGROUND);
  drawLeg(canvas, pose.legs.right, PART.rightThighFront, PART.rightShinFront, PART.rightFoot, -1);
  drawLeg(canvas, pose.legs.left, PART.leftThighFront, PART.leftShinFront, PART.leftFoot, 1);
  drawTorso(canvas, pose);
  drawHead(canvas, pose);
  drawArm(canvas, pose.arms.right, PART.rightUpperArmFront, PART.rightForearmFront, PART.rightHand);
  drawArm(canvas, pose.arms.left, PART.leftUpperArmFront, PART.leftForearmFront, PART.leftHand);
  return canvas.data;
}
