// Writes a tiny baseline CMYK JPEG (Adobe APP14, transform 0) by hand: ffmpeg cannot encode one and
// no image tool is installed, yet CMYK JPEGs from print workflows are a real input. Every 8×8 block
// is flat (DC only), which keeps the encoder to a few dozen lines.

/** Adobe CMYK JPEGs store inverted ink: 255 = no ink. Inputs here are ink amounts 0..255. */
export function flatCmykJpeg(blocks: readonly (readonly [number, number, number, number])[], blocksWide: number): Buffer {
  const blocksHigh = Math.ceil(blocks.length / blocksWide);
  const bytes: number[] = [];
  const u16 = (v: number) => [v >> 8, v & 255];
  const segment = (marker: number, body: number[]) => bytes.push(0xff, marker, ...u16(body.length + 2), ...body);
  bytes.push(0xff, 0xd8);
  segment(0xee, [...Buffer.from('Adobe'), 0, 100, 0, 0, 0, 0, 0]); // transform 0: no colour transform
  segment(0xdb, [0, ...new Array(64).fill(1)]);
  segment(0xc0, [8, ...u16(blocksHigh * 8), ...u16(blocksWide * 8), 4, ...[1, 2, 3, 4].flatMap((id) => [id, 0x11, 0])]);
  // DC table: categories 0..11, all 4-bit codes (code = category). AC table: EOB only, code "0".
  segment(0xc4, [0x00, 0, 0, 0, 12, ...new Array(12).fill(0), ...Array.from({ length: 12 }, (_, i) => i)]);
  segment(0xc4, [0x10, 1, ...new Array(15).fill(0), 0x00]);
  segment(0xda, [4, ...[1, 2, 3, 4].flatMap((id) => [id, 0x00]), 0, 63, 0]);
  bytes.push(...entropyData(blocks));
  bytes.push(0xff, 0xd9);
  return Buffer.from(bytes);
}

function entropyData(blocks: readonly (readonly number[])[]): number[] {
  const out: number[] = [];
  let acc = 0;
  let nbits = 0;
  const put = (value: number, length: number) => {
    for (let i = length - 1; i >= 0; i--) {
      acc = (acc << 1) | ((value >> i) & 1);
      if (++nbits === 8) {
        out.push(acc);
        if (acc === 0xff) out.push(0); // byte stuffing
        acc = 0;
        nbits = 0;
      }
    }
  };
  const previous = [0, 0, 0, 0];
  for (const block of blocks) {
    for (let c = 0; c < 4; c++) {
      const dc = 8 * (255 - block[c] - 128); // flat block: DC = 8·(sample − 128), stored inverted
      const diff = dc - previous[c];
      previous[c] = dc;
      const category = diff === 0 ? 0 : Math.floor(Math.log2(Math.abs(diff))) + 1;
      put(category, 4);
      if (category > 0) put(diff > 0 ? diff : diff + (1 << category) - 1, category);
      put(0, 1); // EOB
    }
  }
  if (nbits > 0) put(0x7f, 8 - nbits); // pad with ones
  return out;
}
