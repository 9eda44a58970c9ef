#!/usr/bin/python3
"""Builds the classifier test fixtures in models/src/test/resources/classifier/.

  tiny-backbone.pt   a traced TorchScript backbone, random weights from a fixed seed, mapping
                     images float32[N, 3, 32, 32] to a feature map [N, 16, 8, 8]
                     (conv 3x3/2 + batch norm + ReLU, conv 3x3/2 + ReLU)
  color-jitter.json  reference outputs of torchvision's functional colour adjustments on float
                     tensors (torchvision.transforms.functional.adjust_brightness, adjust_contrast,
                     adjust_saturation, adjust_hue, i.e. what ColorJitter applies once it has drawn
                     its factors and order), for fixed factors and orders on a small image;
                     the expected pixels are round(255 * value)

Run with Debian's torch and torchvision (apt-get install python3-torch python3-torchvision):
    /usr/bin/python3 models/src/test/python/make_classifier_fixtures.py [output-dir]
"""

import json
import os
import sys

import torch
from torch import nn
import torchvision
import torchvision.transforms.functional as F

SEED = 20250607
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "resources", "classifier")


def tiny_backbone():
    torch.manual_seed(SEED)
    module = nn.Sequential(
        nn.Conv2d(3, 8, 3, stride=2, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
        nn.Conv2d(8, 16, 3, stride=2, padding=1), nn.ReLU())
    module.eval()
    traced = torch.jit.trace(module, torch.zeros(1, 3, 32, 32))
    traced.save(os.path.join(OUT, "tiny-backbone.pt"))


# a 6x4 image: saturated primaries, secondaries, greys (no hue), a dark and a light tint
PIXELS = [
    0xFF0000, 0x00FF00, 0x0000FF, 0xFFFF00, 0x00FFFF, 0xFF00FF,
    0x000000, 0x808080, 0xFFFFFF, 0x102030, 0xF0E0D0, 0x7F3F1F,
    0x336699, 0x996633, 0x669933, 0xC0C0C0, 0x0A0A0B, 0xFE01FE,
    0x123456, 0x654321, 0xABCDEF, 0xFEDCBA, 0x2E8B57, 0xDAA520,
]
WIDTH, HEIGHT = 6, 4

CASES = [
    {"order": ["BRIGHTNESS", "CONTRAST", "SATURATION", "HUE"],
     "brightness": 1.3, "contrast": 0.7, "saturation": 1.4, "hue": 0.1},
    {"order": ["HUE", "SATURATION", "CONTRAST", "BRIGHTNESS"],
     "brightness": 0.6, "contrast": 1.45, "saturation": 0.55, "hue": -0.35},
    {"order": ["CONTRAST", "HUE", "BRIGHTNESS", "SATURATION"],
     "brightness": 1.5, "contrast": 0.5, "saturation": 1.5, "hue": 0.5},
    {"order": ["SATURATION", "BRIGHTNESS", "HUE", "CONTRAST"],
     "brightness": 0.5, "contrast": 1.2, "saturation": 0.0, "hue": -0.05},
]


def to_tensor(pixels):
    rgb = [[(p >> 16) & 0xFF, (p >> 8) & 0xFF, p & 0xFF] for p in pixels]
    t = torch.tensor(rgb, dtype=torch.float32) / 255.0          # [H*W, 3]
    return t.t().reshape(3, HEIGHT, WIDTH).contiguous()


def to_pixels(t):
    v = torch.round(t.clamp(0, 1) * 255.0).to(torch.int64).reshape(3, -1).t().tolist()
    return [(r << 16) | (g << 8) | b for r, g, b in v]


def jitter(img, case):
    for step in case["order"]:
        if step == "BRIGHTNESS":
            img = F.adjust_brightness(img, case["brightness"])
        elif step == "CONTRAST":
            img = F.adjust_contrast(img, case["contrast"])
        elif step == "SATURATION":
            img = F.adjust_saturation(img, case["saturation"])
        else:
            img = F.adjust_hue(img, case["hue"])
    return img


def color_jitter_vectors():
    img = to_tensor(PIXELS)
    cases = []
    for case in CASES:
        out = dict(case)
        out["expected"] = to_pixels(jitter(img.clone(), case))
        cases.append(out)
    doc = {"source": "torchvision %s transforms.functional on float tensors" % torchvision.__version__,
           "width": WIDTH, "height": HEIGHT, "pixels": PIXELS, "cases": cases}
    with open(os.path.join(OUT, "color-jitter.json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    tiny_backbone()
    color_jitter_vectors()
