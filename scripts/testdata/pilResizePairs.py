#!/usr/bin/python3
"""Test-data generator (stays out of the app): reference pairs for src/main/images/resample.ts.

Makes small seeded uint8 images, resizes each with Pillow's own Image.resize, and writes
tests/images/data/pil_resize_pairs.safetensors (U8 tensors `<case>.src` and `<case>.out`) plus
pil_resize_pairs.json (per case: source size, channels, output size, filter, box, Pillow version).
Also writes small synthetic JPEGs (baseline 4:2:0, 4:2:2, 4:4:4, progressive) as
tests/images/data/jpeg_<name>.jpg with Pillow's decode (`<name>.decoded`) and the official demo's
`np.array(Image.open(p).resize((64, 64)))` (`<name>.resized`) in pil_jpeg_pairs.safetensors.

Run with Debian's Pillow: /usr/bin/python3 scripts/testdata/pilResizePairs.py
"""
import json
import os
import struct

import numpy as np
import PIL
from PIL import Image

FILTERS = {"bicubic": Image.BICUBIC, "bilinear": Image.BILINEAR, "box": Image.BOX}
OUT_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "images", "data")


def source(rng, w, h, channels):
    """Noise on a gradient with hard edges: bicubic overshoots past 0 and 255 there (clamping)."""
    yy, xx = np.mgrid[0:h, 0:w]
    base = (xx * 255.0 / max(w - 1, 1) + yy * 97.0 / max(h - 1, 1)) % 256
    img = np.stack([base + 40 * c for c in range(channels)], axis=-1) % 256
    img = img + rng.normal(0, 30, img.shape)
    edges = rng.random((h, w)) < 0.15
    img[edges] = rng.choice([0, 255], size=(int(edges.sum()), channels))
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


# (name, src w, h, channels, out w, h, filter, box or None)
CASES = [
    ("down_bicubic", 37, 23, 3, 16, 11, "bicubic", None),
    ("down_bilinear", 37, 23, 3, 16, 11, "bilinear", None),
    ("down_box", 37, 23, 3, 16, 11, "box", None),
    ("up_bicubic", 13, 9, 3, 40, 29, "bicubic", None),
    ("up_bilinear", 13, 9, 3, 40, 29, "bilinear", None),
    ("mixed_bicubic", 31, 31, 3, 70, 7, "bicubic", None),
    ("mixed_bilinear", 31, 31, 3, 7, 70, "bilinear", None),
    ("horizontal_only_bicubic", 50, 30, 3, 17, 30, "bicubic", None),
    ("vertical_only_bicubic", 50, 30, 3, 50, 11, "bicubic", None),
    ("vertical_only_bilinear", 24, 41, 3, 24, 64, "bilinear", None),
    ("big_down_bicubic", 160, 120, 3, 33, 25, "bicubic", None),
    ("big_down_bilinear", 160, 120, 3, 85, 64, "bilinear", None),
    ("odd_factor_bicubic", 97, 61, 3, 64, 40, "bicubic", None),
    ("gray_bicubic", 29, 19, 1, 12, 33, "bicubic", None),
    ("gray_bilinear", 29, 19, 1, 12, 33, "bilinear", None),
    ("one_pixel_bicubic", 1, 1, 3, 5, 3, "bicubic", None),
    ("to_one_pixel_bicubic", 20, 10, 3, 1, 1, "bicubic", None),
    ("box_crop_bicubic", 40, 30, 3, 20, 20, "bicubic", (2.5, 1.25, 30.75, 20.0)),
    ("box_crop_bilinear", 40, 30, 3, 25, 11, "bilinear", (0.0, 3.0, 33.3, 29.9)),
    ("box_same_size_bicubic", 40, 30, 3, 20, 20, "bicubic", (10.0, 5.0, 30.0, 25.0)),
    ("box_top_only_bicubic", 24, 24, 3, 24, 24, "bicubic", (0.0, 0.5, 24.0, 24.0)),
]


def write_safetensors(path, tensors):
    header, offset, blobs = {}, 0, []
    for key, arr in tensors:
        data = np.ascontiguousarray(arr).tobytes()
        header[key] = {"dtype": "U8", "shape": list(arr.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


# (name, Pillow save options)
JPEGS = [
    ("baseline_420", dict(quality=85, subsampling=2)),
    ("baseline_422", dict(quality=90, subsampling=1)),
    ("baseline_444", dict(quality=95, subsampling=0)),
    ("progressive_420", dict(quality=80, subsampling=2, progressive=True)),
]


def photo_like(w, h):
    """Smooth shading with a few hard shapes: what a JPEG's chroma upsampling and IDCT meet in photos."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    r = 128 + 100 * np.sin(xx / 9.0) * np.cos(yy / 13.0)
    g = 90 + 80 * np.cos((xx + yy) / 17.0)
    b = 60 + 150 * (xx / w)
    img = np.stack([r, g, b], axis=-1)
    img[(xx - w * 0.6) ** 2 + (yy - h * 0.4) ** 2 < (h * 0.2) ** 2] = (230, 40, 30)
    img[int(h * 0.7):int(h * 0.8), int(w * 0.1):int(w * 0.5)] = (20, 200, 240)
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


def jpeg_pairs():
    tensors, names = [], []
    src = Image.fromarray(photo_like(120, 90))
    for name, options in JPEGS:
        path = os.path.join(OUT_DIR, "jpeg_%s.jpg" % name)
        src.save(path, "JPEG", **options)
        decoded = np.asarray(Image.open(path))
        resized = np.asarray(Image.open(path).resize((64, 64)))
        tensors += [(name + ".decoded", decoded), (name + ".resized", resized)]
        names.append(name)
    write_safetensors(os.path.join(OUT_DIR, "pil_jpeg_pairs.safetensors"), tensors)
    return names


def main():
    rng = np.random.default_rng(15)
    tensors, meta = [], {"pillow": PIL.__version__, "cases": []}
    for name, w, h, channels, ow, oh, filt, box in CASES:
        src = source(rng, w, h, channels)
        im = Image.fromarray(src[:, :, 0] if channels == 1 else src)
        out = np.asarray(im.resize((ow, oh), FILTERS[filt], box=box))
        out = out.reshape(oh, ow, channels)
        tensors += [(name + ".src", src), (name + ".out", out)]
        meta["cases"].append({"name": name, "width": w, "height": h, "channels": channels,
                              "outWidth": ow, "outHeight": oh, "filter": filt, "box": box})
    os.makedirs(OUT_DIR, exist_ok=True)
    write_safetensors(os.path.join(OUT_DIR, "pil_resize_pairs.safetensors"), tensors)
    meta["jpegs"] = jpeg_pairs()
    with open(os.path.join(OUT_DIR, "pil_resize_pairs.json"), "w") as f:
        json.dump(meta, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
