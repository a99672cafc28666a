// Draws the app icon (resources/icon.png, 512×512): a figure silhouette in DensePose's viridis
// part colours on the (68,1,84) background. Run once by hand; the PNG is committed.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 512;
const BG = [68, 1, 84];
const VIRIDIS = [[59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];

/** Distance from point p to the segment a–b. */
function segmentDistance(px, py, ax, ay, bx, by) {
  const dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

// Limbs as capsules [ax, ay, bx, by, radius, colour index]: a figure mid-stride.
const PARTS = [
  [256, 150, 256, 290, 52, 0], // torso
  [256, 290, 206, 420, 26, 1], [206, 420, 190, 470, 22, 2], // left leg
  [256, 290, 312, 410, 26, 1], [312, 410, 352, 460, 22, 2], // right leg
  [230, 170, 160, 230, 20, 2], [160, 230, 130, 160, 17, 3], // left arm, raised
  [282, 170, 350, 240, 20, 2], [350, 240, 390, 300, 17, 3], // right arm
];

const rows = [];
for (let y = 0; y < SIZE; y++) {
  const row = Buffer.alloc(1 + SIZE * 4);
  for (let x = 0; x < SIZE; x++) {
    let colour = BG;
    const r = Math.hypot(x - 256, y - 256);
    let alpha = r < 250 ? 255 : r < 252 ? Math.round((252 - r) * 127) : 0; // rounded tile
    for (const [ax, ay, bx, by, radius, c] of PARTS) {
      if (segmentDistance(x, y, ax, ay, bx, by) < radius) colour = VIRIDIS[c];
    }
    if (Math.hypot(x - 256, y - 92) < 40) colour = VIRIDIS[3]; // head
    row.set([...colour, alpha], 1 + x * 4);
  }
  rows.push(row);
}

function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}

function crc32(buf) {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c;
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('../resources/icon.png', import.meta.url), png);
console.log(`resources/icon.png: ${png.length} bytes`);
