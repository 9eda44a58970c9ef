#!/usr/bin/env python3
"""Writes a random-weight CLIP model directory of a real CLIP's shape, to time real-size models.

The weights are random: the scores mean nothing, but every layer of OpenAI CLIP's ResNet-50 or
ViT-B/16 is there, so a model call costs what the real model costs. The directory has the format
scripts/export_clip.py writes (clip.json, model.pt with encode_image and encode_text, tokenizer.json),
written by the same code; the tokenizer is the bundled mini-CLIP's (word level, 46 tokens) and the
text encoder's vocabulary is sized to it. Needs only torch (Debian: apt-get install python3-torch,
then run with /usr/bin/python3); nothing is downloaded.

  /usr/bin/python3 scripts/random_clip.py rn50 models/random-rn50
  /usr/bin/python3 scripts/random_clip.py vit-b-16 models/random-vit-b-16
  ./ccd bench throughput --clip-model models/random-rn50 --images 256 --cam-images 16

Shapes (OpenAI CLIP's): rn50, a modified ResNet-50 (three-convolution stem, anti-aliased strided
bottlenecks [3, 4, 6, 3], width 64, attention pooling with 32 heads) at 224 px, embedding 1024;
vit-b-16, a ViT with 16 px patches, width 768, 12 layers, 12 heads at 224 px, embedding 512. The
text encoder of both: a causal transformer of width 512, 8 heads, 12 layers over 77 tokens.
"""
import argparse
import json
import os
import sys
from collections import OrderedDict

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export_clip  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TOKENIZER = os.path.join(HERE, "..", "models", "src", "main", "resources", "io", "ccdstream", "models",
                         "mini-clip", "tokenizer.json")
CONTEXT = 77


class Bottleneck(nn.Module):
    """CLIP's ResNet bottleneck: strides by average pooling before the third convolution."""
    expansion = 4

    def __init__(self, inplanes, planes, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.avgpool = nn.AvgPool2d(stride) if stride > 1 else nn.Identity()
        self.conv3 = nn.Conv2d(planes, planes * self.expansion, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(planes * self.expansion)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = None
        if stride > 1 or inplanes != planes * self.expansion:
            self.downsample = nn.Sequential(OrderedDict([
                ("pool", nn.AvgPool2d(stride)),
                ("conv", nn.Conv2d(inplanes, planes * self.expansion, 1, bias=False)),
                ("bn", nn.BatchNorm2d(planes * self.expansion))]))

    def forward(self, x):
        identity = x
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.avgpool(out)
        out = self.bn3(self.conv3(out))
        if self.downsample is not None:
            identity = self.downsample(x)
        return self.relu(out + identity)


class AttentionPool2d(nn.Module):
    """Multi-head attention of the mean feature over the feature map, as CLIP's ResNet head."""

    def __init__(self, spacial_dim, embed_dim, num_heads, output_dim):
        super().__init__()
        self.positional_embedding = nn.Parameter(torch.randn(spacial_dim ** 2 + 1, embed_dim) / embed_dim ** 0.5)
        self.attn = nn.MultiheadAttention(embed_dim, num_heads)
        self.c_proj = nn.Linear(embed_dim, output_dim)

    def forward(self, x):
        x = x.flatten(start_dim=2).permute(2, 0, 1)  # NCHW -> (HW)NC
        x = torch.cat([x.mean(dim=0, keepdim=True), x], dim=0)
        x = x + self.positional_embedding[:, None, :].to(x.dtype)
        out, _ = self.attn(x[:1], x, x, need_weights=False)
        return self.c_proj(out.squeeze(0))


class ModifiedResNet(nn.Module):
    def __init__(self, layers, output_dim, heads, input_resolution, width):
        super().__init__()
        self.input_resolution = input_resolution
        self.conv1 = nn.Conv2d(3, width // 2, 3, stride=2, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(width // 2)
        self.conv2 = nn.Conv2d(width // 2, width // 2, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(width // 2)
        self.conv3 = nn.Conv2d(width // 2, width, 3, padding=1, bias=False)
        self.bn3 = nn.BatchNorm2d(width)
        self.avgpool = nn.AvgPool2d(2)
        self.relu = nn.ReLU(inplace=True)
        self._inplanes = width
        self.layer1 = self._make_layer(width, layers[0])
        self.layer2 = self._make_layer(width * 2, layers[1], stride=2)
        self.layer3 = self._make_layer(width * 4, layers[2], stride=2)
        self.layer4 = self._make_layer(width * 8, layers[3], stride=2)
        embed_dim = width * 32
        self.attnpool = AttentionPool2d(input_resolution // 32, embed_dim, heads, output_dim)

    def _make_layer(self, planes, blocks, stride=1):
        layers = [Bottleneck(self._inplanes, planes, stride)]
        self._inplanes = planes * Bottleneck.expansion
        layers += [Bottleneck(self._inplanes, planes) for _ in range(1, blocks)]
        return nn.Sequential(*layers)

    def forward(self, x):
        x = self.relu(self.bn1(self.conv1(x)))
        x = self.relu(self.bn2(self.conv2(x)))
        x = self.relu(self.bn3(self.conv3(x)))
        x = self.avgpool(x)
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.attnpool(x)


class QuickGELU(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class ResidualAttentionBlock(nn.Module):
    def __init__(self, width, heads, attn_mask=None):
        super().__init__()
        self.attn = nn.MultiheadAttention(width, heads)
        self.ln_1 = nn.LayerNorm(width)
        self.mlp = nn.Sequential(OrderedDict([
            ("c_fc", nn.Linear(width, width * 4)), ("gelu", QuickGELU()), ("c_proj", nn.Linear(width * 4, width))]))
        self.ln_2 = nn.LayerNorm(width)
        self.attn_mask = attn_mask

    def forward(self, x):
        mask = self.attn_mask.to(dtype=x.dtype) if self.attn_mask is not None else None
        y = self.ln_1(x)
        x = x + self.attn(y, y, y, need_weights=False, attn_mask=mask)[0]
        return x + self.mlp(self.ln_2(x))


class Transformer(nn.Module):
    def __init__(self, width, layers, heads, attn_mask=None):
        super().__init__()
        self.resblocks = nn.Sequential(*[ResidualAttentionBlock(width, heads, attn_mask) for _ in range(layers)])

    def forward(self, x):
        return self.resblocks(x)


class VisionTransformer(nn.Module):
    def __init__(self, input_resolution, patch_size, width, layers, heads, output_dim):
        super().__init__()
        self.input_resolution = input_resolution
        self.conv1 = nn.Conv2d(3, width, kernel_size=patch_size, stride=patch_size, bias=False)
        scale = width ** -0.5
        self.class_embedding = nn.Parameter(scale * torch.randn(width))
        self.positional_embedding = nn.Parameter(
            scale * torch.randn((input_resolution // patch_size) ** 2 + 1, width))
        self.ln_pre = nn.LayerNorm(width)
        self.transformer = Transformer(width, layers, heads)
        self.ln_post = nn.LayerNorm(width)
        self.proj = nn.Parameter(scale * torch.randn(width, output_dim))

    def forward(self, x):
        x = self.conv1(x)
        x = x.reshape(x.shape[0], x.shape[1], -1).permute(0, 2, 1)  # N, grid^2, width
        cls = self.class_embedding.to(x.dtype) + torch.zeros(x.shape[0], 1, x.shape[-1], dtype=x.dtype)
        x = torch.cat([cls, x], dim=1) + self.positional_embedding.to(x.dtype)
        x = self.ln_pre(x).permute(1, 0, 2)  # sequence first
        x = self.transformer(x).permute(1, 0, 2)
        return self.ln_post(x[:, 0, :]) @ self.proj


class RandomClip(nn.Module):
    """CLIP: an image encoder, a causal text transformer pooled at the end-of-text token, a logit scale."""

    def __init__(self, visual, embed_dim, vocab, eot, context=CONTEXT, width=512, heads=8, layers=12):
        super().__init__()
        self.visual = visual
        self.context_length = context
        self.eot = eot
        mask = torch.full((context, context), float("-inf")).triu_(1)
        self.transformer = Transformer(width, layers, heads, attn_mask=mask)
        self.token_embedding = nn.Embedding(vocab, width)
        self.positional_embedding = nn.Parameter(torch.randn(context, width) * 0.01)
        self.ln_final = nn.LayerNorm(width)
        self.text_projection = nn.Parameter(torch.randn(width, embed_dim) * width ** -0.5)
        self.logit_scale = nn.Parameter(torch.tensor(4.6052))  # exp = 100, as trained CLIP

    def encode_image(self, images):
        return self.visual(images)

    def encode_text(self, tokens):
        x = self.token_embedding(tokens) + self.positional_embedding
        x = self.transformer(x.permute(1, 0, 2)).permute(1, 0, 2)
        x = self.ln_final(x)
        # the end-of-text token's features (OpenAI CLIP takes the highest id, its end-of-text id;
        # this tokenizer's end-of-text is not its highest id, so its position is looked up)
        eot_position = (tokens == self.eot).to(torch.int64).argmax(dim=-1)
        return x[torch.arange(x.shape[0]), eot_position] @ self.text_projection


def build(shape, vocab, eot):
    if shape == "rn50":
        visual = ModifiedResNet(layers=(3, 4, 6, 3), output_dim=1024, heads=32, input_resolution=224, width=64)
        return RandomClip(visual, 1024, vocab, eot)
    if shape == "vit-b-16":
        visual = VisionTransformer(224, patch_size=16, width=768, layers=12, heads=12, output_dim=512)
        return RandomClip(visual, 512, vocab, eot)
    raise ValueError("unknown shape " + shape)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("shape", choices=["rn50", "vit-b-16"])
    parser.add_argument("out_dir")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--prompt-template", default="a photo of the {class}")
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    with open(TOKENIZER, encoding="utf-8") as f:
        tokenizer_json = f.read()
    tokenizer = json.loads(tokenizer_json)
    vocab = len(tokenizer["model"]["vocab"])
    eot = tokenizer["post_processor"]["special_tokens"]["[EOS]"]["ids"][0]
    model = build(args.shape, vocab, eot).eval()
    with torch.no_grad():
        probe = model.encode_image(torch.randn(1, 3, 224, 224))
    if not torch.isfinite(probe).all():
        sys.exit("the random model's image features are not finite")
    export_clip.export(model, None, export_clip.OPENAI_MEAN, export_clip.OPENAI_STD, "random-" + args.shape,
                       args.out_dir, args.prompt_template, tokenizer_json, eot)


if __name__ == "__main__":
    main()
