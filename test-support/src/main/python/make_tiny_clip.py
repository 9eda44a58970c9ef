#!/usr/bin/python3
"""Builds the tiny CLIP-shaped test fixture in test-support/src/main/resources/models/tiny-clip/.

The fixture is a model directory in the project's format (see README.md written beside it):

  model.pt        TorchScript module, random weights from a fixed seed, with the exported
                  methods encode_image(images[N,3,S,S] float32) -> [N,D] and
                  encode_text(tokens[N,L] int64) -> [N,D] (features NOT normalised, as CLIP)
  tokenizer.json  HuggingFace tokenizers file, WordLevel, written by hand
  clip.json       the model-directory descriptor read by ClipModelDescriptor
  expected.json   test vectors computed here: token ids, normalised embeddings, probabilities

Run with Debian's torch (apt-get install python3-torch):
    /usr/bin/python3 test-support/src/main/python/make_tiny_clip.py [output-dir]

Only torch and the standard library are used; the tokenizer is re-implemented below (lowercase,
split on \\w+|[^\\w\\s]+, word lookup, [SOS] ... [EOS], truncate and pad to the context length)
so that the Java side's HuggingFace tokenizer is checked against independent token ids.
"""

import json
import math
import os
import re
import sys

import torch
from torch import nn

SEED = 20240607
IMAGE_SIZE = 32
EMBED_DIM = 16
CONTEXT_LENGTH = 16
LOGIT_SCALE = 100.0
MEAN = [0.48145466, 0.4578275, 0.40821073]
STD = [0.26862954, 0.26130258, 0.27577711]
TEMPLATE = "a photo of the {class}"

SPECIAL = ["[PAD]", "[UNK]", "[SOS]", "[EOS]"]
PAD_ID, UNK_ID, SOS_ID, EOS_ID = 0, 1, 2, 3
WORDS = ["a", "photo", "of", "the", "picture", "small", "big"]
# The 20 SynthScenes class names (io.ccdstream.data.synth.SynthClass).
CLASSES = ["tomato", "lime", "ball", "coin", "tyre", "box", "window", "book", "tent", "tree",
           "sail", "kite", "gem", "starfish", "badge", "medkit", "sign", "nut", "honeycomb", "cookie"]
VOCAB = {token: i for i, token in enumerate(SPECIAL + WORDS + CLASSES)}


class TinyClip(nn.Module):
    """A CLIP-shaped dual encoder small enough to live in the test resources."""

    def __init__(self, vocab_size: int, pad_id: int):
        super().__init__()
        self.pad_id = pad_id
        self.conv = nn.Conv2d(3, 8, kernel_size=4, stride=4)
        self.pool = nn.AdaptiveAvgPool2d(2)
        self.image_proj = nn.Linear(8 * 2 * 2, EMBED_DIM)
        self.token_embedding = nn.Embedding(vocab_size, 24)
        self.positional_embedding = nn.Parameter(torch.randn(CONTEXT_LENGTH, 24) * 0.1)
        self.text_proj = nn.Linear(24, EMBED_DIM)

    @torch.jit.export
    def encode_image(self, images: torch.Tensor) -> torch.Tensor:
        x = torch.relu(self.conv(images))
        x = self.pool(x).flatten(1)
        return self.image_proj(x)

    @torch.jit.export
    def encode_text(self, tokens: torch.Tensor) -> torch.Tensor:
        x = self.token_embedding(tokens) + self.positional_embedding[: tokens.shape[1]]
        # mean over real tokens only, so padding length and batching cannot change a result
        mask = (tokens != self.pad_id).unsqueeze(-1).to(x.dtype)
        x = (x * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        return self.text_proj(torch.tanh(x))

    def forward(self, images: torch.Tensor, tokens: torch.Tensor):
        return self.encode_image(images), self.encode_text(tokens)


def tokenize(text: str) -> list:
    words = re.findall(r"\w+|[^\w\s]+", text.lower())
    ids = [VOCAB.get(w, UNK_ID) for w in words][: CONTEXT_LENGTH - 2]
    ids = [SOS_ID] + ids + [EOS_ID]
    return ids + [PAD_ID] * (CONTEXT_LENGTH - len(ids))


def tokenizer_json() -> dict:
    special = lambda t: {"id": VOCAB[t], "content": t, "single_word": False, "lstrip": False,
                         "rstrip": False, "normalized": False, "special": True}
    seq = lambda name: {"Sequence": {"id": name, "type_id": 0}}
    tok = lambda name: {"SpecialToken": {"id": name, "type_id": 0}}
    return {
        "version": "1.0",
        "truncation": {"direction": "Right", "max_length": CONTEXT_LENGTH,
                       "strategy": "LongestFirst", "stride": 0},
        "padding": {"strategy": {"Fixed": CONTEXT_LENGTH}, "direction": "Right",
                    "pad_to_multiple_of": None, "pad_id": PAD_ID, "pad_type_id": 0,
                    "pad_token": "[PAD]"},
        "added_tokens": [special(t) for t in SPECIAL],
        "normalizer": {"type": "Lowercase"},
        "pre_tokenizer": {"type": "Whitespace"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [tok("[SOS]"), seq("A"), tok("[EOS]")],
            "pair": [tok("[SOS]"), seq("A"), tok("[EOS]"), seq("B"), tok("[EOS]")],
            "special_tokens": {
                "[SOS]": {"id": "[SOS]", "ids": [SOS_ID], "tokens": ["[SOS]"]},
                "[EOS]": {"id": "[EOS]", "ids": [EOS_ID], "tokens": ["[EOS]"]},
            },
        },
        "decoder": None,
        "model": {"type": "WordLevel", "vocab": VOCAB, "unk_token": "[UNK]"},
    }


def descriptor() -> dict:
    return {
        "format": "torchscript-clip",
        "formatVersion": 1,
        "modelId": "tiny-clip-fixture",
        "modelFile": "model.pt",
        "tokenizerFile": "tokenizer.json",
        "imageSize": IMAGE_SIZE,
        "resizeMode": "SHORTER_SIDE_CENTER_CROP",
        "mean": MEAN,
        "std": STD,
        "embeddingDim": EMBED_DIM,
        "logitScale": LOGIT_SCALE,
        "contextLength": CONTEXT_LENGTH,
        "padTokenId": PAD_ID,
        "promptTemplate": TEMPLATE,
    }


def test_images() -> list:
    """(name, packed 0xRRGGBB pixels row-major) for IMAGE_SIZE x IMAGE_SIZE images."""
    n = IMAGE_SIZE
    red = [0xDC1E1E] * (n * n)
    gray = [0x808080] * (n * n)
    gradient = [((x * 8) << 16) | ((y * 8) << 8) | 0x80 for y in range(n) for x in range(n)]
    return [("red", red), ("gray", gray), ("gradient", gradient)]


def to_input(pixels: list) -> torch.Tensor:
    """The same preprocessing as ClipPreprocessor.normalise: CHW, (v / 255 - mean) / std, float32."""
    p = torch.tensor(pixels, dtype=torch.int64).reshape(IMAGE_SIZE, IMAGE_SIZE)
    rgb = torch.stack([(p >> 16) & 0xFF, (p >> 8) & 0xFF, p & 0xFF]).to(torch.float32) / 255.0
    mean = torch.tensor(MEAN, dtype=torch.float32).view(3, 1, 1)
    std = torch.tensor(STD, dtype=torch.float32).view(3, 1, 1)
    return (rgb - mean) / std


def normalise(x: torch.Tensor) -> torch.Tensor:
    return x / x.norm(dim=-1, keepdim=True)


def class_embeddings(model, classes: list, templates: list) -> torch.Tensor:
    """Prompt ensembling: normalise each prompt's feature, average over templates, normalise."""
    rows = []
    for name in classes:
        tokens = torch.tensor([tokenize(t.replace("{class}", name)) for t in templates])
        rows.append(normalise(normalise(model.encode_text(tokens)).mean(0)))
    return torch.stack(rows)


def rounded(t: torch.Tensor) -> list:
    return [[round(float(v), 7) for v in row] for row in t]


def main(out_dir: str) -> None:
    torch.manual_seed(SEED)
    model = TinyClip(len(VOCAB), PAD_ID).eval()
    scripted = torch.jit.script(model)
    os.makedirs(out_dir, exist_ok=True)
    scripted.save(os.path.join(out_dir, "model.pt"))
    with open(os.path.join(out_dir, "tokenizer.json"), "w") as f:
        json.dump(tokenizer_json(), f, indent=1)
    with open(os.path.join(out_dir, "clip.json"), "w") as f:
        json.dump(descriptor(), f, indent=2)

    prompts = ["a photo of the tomato", "A Photo of the Zebra!",
               "a photo of the big small big small big small big small big small big tree",
               "kite"]
    images = test_images()
    class_sets = [
        {"classes": ["tomato", "lime", "ball", "coin", "tree"], "templates": [TEMPLATE]},
        {"classes": ["tomato", "lime", "ball", "coin", "tree"],
         "templates": [TEMPLATE, "a picture of a {class}", "a small {class}"]},
    ]
    with torch.no_grad():
        token_ids = [tokenize(p) for p in prompts]
        text_features = normalise(scripted.encode_text(torch.tensor(token_ids)))
        batch = torch.stack([to_input(px) for _, px in images])
        image_features = normalise(scripted.encode_image(batch))
        for cs in class_sets:
            weights = class_embeddings(scripted, cs["classes"], cs["templates"])
            logits = LOGIT_SCALE * image_features @ weights.T
            cs["textEmbeddings"] = rounded(weights)
            cs["probabilities"] = rounded(torch.softmax(logits, dim=-1))

    expected = {
        "source": "make_tiny_clip.py with torch " + torch.__version__ + ", seed " + str(SEED),
        "tolerance": 1e-4,
        "prompts": [{"text": p, "tokenIds": ids, "embedding": emb}
                    for p, ids, emb in zip(prompts, token_ids, rounded(text_features))],
        "images": [{"name": name, "width": IMAGE_SIZE, "height": IMAGE_SIZE, "pixels": px,
                    "embedding": emb}
                   for (name, px), emb in zip(images, rounded(image_features))],
        "classSets": class_sets,
    }
    with open(os.path.join(out_dir, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
    print("wrote", out_dir, "model.pt", os.path.getsize(os.path.join(out_dir, "model.pt")), "bytes")


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    default_out = os.path.join(here, "..", "resources", "models", "tiny-clip")
    main(os.path.normpath(sys.argv[1] if len(sys.argv) > 1 else default_out))
