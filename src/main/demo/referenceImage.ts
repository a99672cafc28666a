// The demo's reference "photo": a stylised person (the same skeleton as the motion clip, standing)
// in everyday colours on a plain background: skin, dark hair, a T-shirt, jeans and shoes.
import { BODY, REST_POSE, type Limb, type Pose } from './figure';
import { RgbCanvas, type Point, type Rgb } from './raster';

export const REFERENCE_COLOURS = {
  background: [232, 228, 220] as Rgb,
  skin: [226, 178, 142] as Rgb,
  hair: [58, 38, 28] as Rgb,
  shirt: [196, 64, 52] as Rgb,
  jeans: [52, 78, 128] as Rgb,
  shoes: [40, 36, 34] as Rgb,
  eyes: [34, 28, 26] as Rgb,
  mouth: [160, 70, 70] as Rgb,
};
const C = REFERENCE_COLOURS;

function drawLeg(canvas: RgbCanvas, leg: Limb, toeSide: number): void {
  canvas.fillCapsule(leg.root, leg.mid, 24, C.jeans);
  canvas.fillCapsule(leg.mid, leg.end, 19, C.jeans);
  canvas.fillCapsule({ x: leg.end.x, y: leg.end.y + 8 }, { x: leg.end.x + toeSide * 22, y: leg.end.y + 16 }, 13, C.shoes);
}

function drawArm(canvas: RgbCanvas, arm: Limb): void {
  canvas.fillCapsule(arm.mid, arm.end, 12, C.skin);
  canvas.fillCircle(arm.end, 14, C.skin);
  // Short sleeve: the upper arm, slightly wider than the arm under it.
  canvas.fillCapsule(arm.root, { x: (arm.root.x + arm.mid.x * 2) / 3, y: (arm.root.y + arm.mid.y * 2) / 3 }, 18, C.shirt);
  canvas.fillCapsule({ x: (arm.root.x + arm.mid.x * 2) / 3, y: (arm.root.y + arm.mid.y * 2) / 3 }, arm.mid, 14, C.skin);
}

function drawHead(canvas: RgbCanvas, pose: Pose): void {
  const { head, neck } = pose;
  canvas.fillCapsule(neck, { x: head.x, y: head.y + 24 }, 14, C.skin);
  canvas.fillEllipse({ x: head.x, y: head.y - 6 }, BODY.headRadiusX + 5, BODY.headRadiusY + 2, C.hair);
  canvas.fillEllipse(head, BODY.headRadiusX, BODY.headRadiusY, C.skin, (_x, y) => y > head.y - 22);
  const eye = (dx: number): Point => ({ x: head.x + dx, y: head.y - 4 });
  canvas.fillEllipse(eye(-13), 4, 5, C.eyes);
  canvas.fillEllipse(eye(13), 4, 5, C.eyes);
  canvas.fillEllipse({ x: head.x, y: head.y + 20 }, 11, 4, C.mouth);
}

function drawTorso(canvas: RgbCanvas, pose: Pose): void {
  const { shoulders, hips } = pose;
  canvas.fillConvex(
    [shoulders.right, shoulders.left, { x: hips.left.x + 16, y: hips.left.y + 4 }, { x: hips.right.x - 16, y: hips.right.y + 4 }],
    C.shirt,
  );
  canvas.fillCapsule(shoulders.right, shoulders.left, 17, C.shirt);
  // Waistband over the shirt's hem.
  canvas.fillConvex(
    [{ x: hips.right.x - 18, y: hips.right.y - 8 }, { x: hips.left.x + 18, y: hips.left.y - 8 }, { x: hips.left.x + 18, y: hips.left.y + 12 }, { x: hips.right.x - 18, y: hips.right.y + 12 }],
    C.jeans,
  );
}

/** The reference picture as RGB24, size×size (drawn for 512). */
export function drawReferencePerson(size = 512, pose: Pose = REST_POSE): Uint8Array {
  const canvas = new RgbCanvas(size, size, C.background);
  drawLeg(canvas, pose.legs.right, -1);
  drawLeg(canvas, pose.legs.left, 1);
  drawTorso(canvas, pose);
  drawArm(canvas, pose.arms.right);
  drawArm(canvas, pose.arms.left);
  drawHead(canvas, pose);
  return canvas.data;
}
