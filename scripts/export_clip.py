#!/usr/bin/env python3
"""Exports OpenAI CLIP or open_clip weights to a ccd-stream CLIP model directory.

The directory holds clip.json (descriptor), model.pt (TorchScript with encode_image and
encode_text) and tokenizer.json (HuggingFace tokenizers). Run it where torch and the weights are;
the Java side then loads the directory offline.

  # OpenAI CLIP (pip install git+https://github.com/openai/CLIP, torch, tokenizers)
  python3 scripts/export_clip.py openai ViT-B/32 out/clip-vit-b-32

  # open_clip (pip install open_clip_torch tokenizers)
  python3 scripts/export_clip.py open_clip ViT-B-32:laion2b_s34b_b79k out/openclip-vit-b-32

OpenAI's .pt archives hard-code CUDA and fp16: the model is loaded on the CPU with jit=False and
exported in float32. The export is checked: the written TorchScript is reloaded and compared with
the eager model on batches of 1 and 3.
"""
import argparse
import gzip
import json
import os
import sys

import torch

OPENAI_MEAN = [0.48145466, 0.4578275, 0.40821073]
OPENAI_STD = [0.26862954, 0.26130258, 0.27577711]


class ClipModule(torch.nn.Module):
    """The two encoders of a CLIP model, as TorchScript methods."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, images):
        return self.model.encode_image(images)

    def encode_image(self, images):
        return self.model.encode_image(images)

    def encode_text(self, tokens):
        return self.model.encode_text(tokens)


def load_openai(name):
    import clip  # OpenAI's package
    model, _ = clip.load(name, device="cpu", jit=False)
    bpe = os.path.join(os.path.dirname(clip.__file__), "bpe_simple_vocab_16e6.txt.gz")
    return model.float().eval(), bpe, OPENAI_MEAN, OPENAI_STD, "openai-" + name


def load_open_clip(spec):
    import open_clip
    arch, _, pretrained = spec.partition(":")
    model, _, preprocess = open_clip.create_model_and_transforms(arch, pretrained=pretrained or None, device="cpu")
    bpe = os.path.join(os.path.dirname(open_clip.__file__), "bpe_simple_vocab_16e6.txt.gz")
    visual = model.visual
    mean = list(getattr(visual, "image_mean", None) or OPENAI_MEAN)
    std = list(getattr(visual, "image_std", None) or OPENAI_STD)
    return model.float().eval(), bpe, mean, std, "open_clip-" + spec


def clip_tokenizer_json(bpe_path, context_length):
    """CLIP's byte-level BPE (OpenAI SimpleTokenizer) as a HuggingFace tokenizer.json."""
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors
    with gzip.open(bpe_path, "rt", encoding="utf-8") as f:
        merges = f.read().split("\n")[1:49152 - 256 - 2 + 1]
    merges = [tuple(m.split()) for m in merges]
    byte_chars = pre_tokenizers.ByteLevel.alphabet()
    byte_chars = sorted(byte_chars, key=lambda c: ord(c))
    vocab = byte_chars + [c + "</w>" for c in byte_chars] + ["".join(m) for m in merges]
    vocab += ["<|startoftext|>", "<|endoftext|>"]
    tokenizer = Tokenizer(models.BPE(vocab={t: i for i, t in enumerate(vocab)}, merges=merges,
                                     end_of_word_suffix="</w>", unk_token="<|endoftext|>"))
    tokenizer.normalizer = normalizers.Sequence([
        normalizers.NFC(), normalizers.Replace(Regex(r"\s+"), " "), normalizers.Lowercase()])
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(r"""'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+"""),
                             behavior="removed", invert=True),
        pre_tokenizers.ByteLevel(add_prefix_space=False)])
    tokenizer.decoder = decoders.ByteLevel()
    sot, eot = len(vocab) - 2, len(vocab) - 1
    tokenizer.post_processor = processors.TemplateProcessing(
        single="<|startoftext|> $A <|endoftext|>", special_tokens=[("<|startoftext|>", sot), ("<|endoftext|>", eot)])
    tokenizer.enable_truncation(context_length)
    return tokenizer.to_str(), eot


def export(model, bpe, mean, std, model_id, out_dir, prompt_template, tokenizer_json=None, eot=None):
    """Writes the model directory; tokenizer_json/eot replace the BPE-built tokenizer when given."""
    visual = model.visual
    size = visual.input_resolution if hasattr(visual, "input_resolution") else visual.image_size
    size = size[0] if isinstance(size, (tuple, list)) else int(size)
    context_length = int(getattr(model, "context_length", 77))
    if tokenizer_json is None:
        tokenizer_json, eot = clip_tokenizer_json(bpe, context_length)

    images = torch.randn(2, 3, size, size)
    tokens = torch.zeros(2, context_length, dtype=torch.long)
    tokens[:, 0], tokens[:, 1] = eot - 1, eot  # start and end of text, as CLIP's tokenizer writes them
    wrapper = ClipModule(model).eval()
    with torch.no_grad():
        traced = torch.jit.trace_module(
            wrapper, {"forward": images, "encode_image": images, "encode_text": tokens}, check_trace=False)
        dim = int(wrapper.encode_text(tokens).shape[-1])

    os.makedirs(out_dir, exist_ok=True)
    model_path = os.path.join(out_dir, "model.pt")
    traced.save(model_path)
    with open(os.path.join(out_dir, "tokenizer.json"), "w", encoding="utf-8") as f:
        f.write(tokenizer_json)
    descriptor = {
        "format": "torchscript-clip", "formatVersion": 1, "modelId": model_id,
        "modelFile": "model.pt", "tokenizerFile": "tokenizer.json",
        "imageSize": size, "resizeMode": "SHORTER_SIDE_CENTER_CROP", "mean": mean, "std": std,
        "embeddingDim": dim, "logitScale": float(model.logit_scale.exp().item()),
        "contextLength": context_length, "padTokenId": 0, "promptTemplate": prompt_template,
    }
    with open(os.path.join(out_dir, "clip.json"), "w", encoding="utf-8") as f:
        json.dump(descriptor, f, indent=2)
    verify(wrapper, model_path, size, tokens)
    print("wrote", out_dir, descriptor)
    return descriptor


def verify(eager, model_path, size, tokens):
    reloaded = torch.jit.load(model_path, map_location="cpu")
    with torch.no_grad():
        for batch in (1, 3):
            images = torch.randn(batch, 3, size, size)
            text = tokens[:1].repeat(batch, 1)
            for name, a, b in (("encode_image", eager.encode_image(images), reloaded.encode_image(images)),
                               ("encode_text", eager.encode_text(text), reloaded.encode_text(text))):
                if not torch.allclose(a, b, atol=1e-4, rtol=1e-4):
                    sys.exit("export check failed: %s differs at batch %d" % (name, batch))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", choices=["openai", "open_clip"])
    parser.add_argument("name", help="OpenAI model name (ViT-B/32, RN50...) or open_clip ARCH:PRETRAINED")
    parser.add_argument("out_dir")
    parser.add_argument("--prompt-template", default="a photo of the {class}")
    args = parser.parse_args()
    loaded = load_openai(args.name) if args.source == "openai" else load_open_clip(args.name)
    export(*loaded, out_dir=args.out_dir, prompt_template=args.prompt_template)


if __name__ == "__main__":
    main()
