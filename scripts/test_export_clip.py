#!/usr/bin/env python3
"""Runs export_clip.export on a small random CLIP-like model (patch embedding, argmax EOT pooling,
as OpenAI CLIP) and writes the result, with reference outputs, as a Java test fixture:
models/src/test/resources/models/exported-clip/. Needs only torch (Debian: python3-torch,
run with /usr/bin/python3). The Java test ExportedClipTest loads the directory.
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export_clip  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "..", "models", "src", "test", "resources", "models")
TOKENIZER = os.path.join(FIXTURE, "tiny-clip", "tokenizer.json")


class Visual(torch.nn.Module):
    def __init__(self, size, width, dim):
        super().__init__()
        self.input_resolution = size
        self.patch = torch.nn.Conv2d(3, width, kernel_size=8, stride=8)
        self.proj = torch.nn.Linear(width, dim)

    def forward(self, images):
        x = self.patch(images)
        x = x.reshape(x.shape[0], x.shape[1], -1).mean(dim=-1)
        return self.proj(x)


class FakeClip(torch.nn.Module):
    def __init__(self, vocab=64, size=32, width=24, dim=12, context=16):
        super().__init__()
        self.visual = Visual(size, width, dim)
        self.context_length = context
        self.token_embedding = torch.nn.Embedding(vocab, width)
        self.positional = torch.nn.Parameter(torch.randn(context, width) * 0.01)
        self.text_projection = torch.nn.Parameter(torch.randn(width, dim))
        self.logit_scale = torch.nn.Parameter(torch.tensor(4.6052))  # exp = 100

    def encode_image(self, images):
        return self.visual(images)

    def encode_text(self, tokens):
        x = self.token_embedding(tokens) + self.positional
        x = torch.tanh(x)
        # as OpenAI CLIP: features of the end-of-text token, the highest id of each sequence
        x = x[torch.arange(x.shape[0]), tokens.argmax(dim=-1)]
        return x @ self.text_projection


def main():
    torch.manual_seed(7)
    model = FakeClip().eval()
    with open(TOKENIZER, encoding="utf-8") as f:
        tokenizer_json = f.read()
    eot = json.loads(tokenizer_json)["post_processor"]["special_tokens"]["[EOS]"]["ids"][0]
    out = os.path.normpath(os.path.join(FIXTURE, "exported-clip"))
    descriptor = export_clip.export(model, None, export_clip.OPENAI_MEAN, export_clip.OPENAI_STD,
                                    "exported-fake-clip", out, "a photo of the {class}", tokenizer_json, eot)
    # reference: the eager model on a fixed image and fixed token ids
    # a uniformly red 32x32 image after CLIP normalisation: (v / 255 - mean) / std per channel
    red = torch.tensor([1.0, 0.0, 0.0])
    norm = (red - torch.tensor(export_clip.OPENAI_MEAN)) / torch.tensor(export_clip.OPENAI_STD)
    image = norm.reshape(1, 3, 1, 1).expand(1, 3, 32, 32).contiguous()
    tokens = torch.zeros(1, descriptor["contextLength"], dtype=torch.long)
    tokens[0, :4] = torch.tensor([2, 5, 6, 3])
    with torch.no_grad():
        expected = {"image": model.encode_image(image)[0].tolist(),
                    "tokens": tokens[0].tolist(), "text": model.encode_text(tokens)[0].tolist()}
    with open(os.path.join(out, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, indent=1)


if __name__ == "__main__":
    main()
