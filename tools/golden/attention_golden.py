#!/usr/bin/python3
"""Golden fixtures for nn-attention from PyTorch (scaled dot-product attention as F.scaled_dot_product_attention, nn.MultiheadAttention,
nn.TransformerEncoderLayer, nn.TransformerDecoderLayer).

Run: /usr/bin/python3 tools/golden/attention_golden.py   (writes nn-attention/src/test/resources/golden/)

Key scheme, per case prefix "<case>.":
  inputs by name (q, k, v, query, key, value, src, tgt, memory, ...), float32;
  masks as float 0/1 tensors named *_ignore (1 = must not attend, PyTorch's bool convention for nn modules)
  or *_keep (1 = may attend, F.scaled_dot_product_attention's bool convention), or *_add (additive floats);
  param.<pytorch name>  the module's parameters (state_dict keys);
  gout                  the upstream gradient; the loss is sum(out * gout);
  out, weights          forward results;
  grad.<input name>, grad.param.<name>   gradients of the loss.
Everything is float32 except the computation, which runs in float64 and is rounded at the end, so the
fixtures hold the exact answer to float32 precision.
"""
import json
import os
import struct

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "nn-attention", "src", "test", "resources", "golden")


def write_safetensors(path, tensors, metadata=None):
    """A minimal safetensors writer (little-endian F32 only), so the script needs no extra package."""
    header = {}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        arr = np.ascontiguousarray(tensors[name].detach().to(torch.float32).numpy()).astype("<f4")
        data = arr.tobytes()
        header[name] = {"dtype": "F32", "shape": list(arr.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    if metadata:
        header["__metadata__"] = metadata
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def rnd(gen, *shape):
    return torch.randn(*shape, generator=gen, dtype=torch.float64)


def leaf(x):
    return x.clone().requires_grad_(True)


def sdpa(q, k, v, attn_mask=None, is_causal=False):
    """F.scaled_dot_product_attention of PyTorch 2.x, written out: Debian's torch 1.13 lacks it. Bool masks
    mean True = take part (keep); float masks are added; is_causal keeps the lower triangle (L == S here)."""
    scores = q @ k.transpose(-2, -1) / (q.shape[-1] ** 0.5)
    if is_causal:
        keep = torch.ones(q.shape[-2], k.shape[-2], dtype=torch.bool).tril()
        scores = scores.masked_fill(~keep, float("-inf"))
    if attn_mask is not None:
        if attn_mask.dtype == torch.bool:
            scores = scores.masked_fill(~attn_mask, float("-inf"))
        else:
            scores = scores + attn_mask
    return torch.softmax(scores, dim=-1) @ v


def sdpa_cases(gen):
    t = {}

    def case(name, q, k, v, mask=None, mask_key=None, causal=False):
        q, k, v = leaf(q), leaf(k), leaf(v)
        out = sdpa(q, k, v, attn_mask=mask, is_causal=causal)
        gout = rnd(gen, *out.shape)
        (out * gout).sum().backward()
        t.update({f"{name}.q": q, f"{name}.k": k, f"{name}.v": v, f"{name}.out": out, f"{name}.gout": gout,
                  f"{name}.grad.q": q.grad, f"{name}.grad.k": k.grad, f"{name}.grad.v": v.grad})
        if mask is not None:
            t[f"{name}.{mask_key}"] = mask.to(torch.float64)

    case("plain", rnd(gen, 2, 3, 4, 8), rnd(gen, 2, 3, 5, 8), rnd(gen, 2, 3, 5, 6))
    case("causal", rnd(gen, 2, 2, 5, 4), rnd(gen, 2, 2, 5, 4), rnd(gen, 2, 2, 5, 4), causal=True)
    keep = torch.rand(2, 1, 4, 5, generator=gen) > 0.4
    keep[..., 0] = True  # every query keeps at least one key: PyTorch gives NaN otherwise
    case("boolmask", rnd(gen, 2, 3, 4, 8), rnd(gen, 2, 3, 5, 8), rnd(gen, 2, 3, 5, 8), mask=keep, mask_key="mask_keep")
    case("floatmask", rnd(gen, 2, 2, 4, 8), rnd(gen, 2, 2, 5, 8), rnd(gen, 2, 2, 5, 8), mask=rnd(gen, 4, 5),
         mask_key="mask_add")
    case("rank3", rnd(gen, 3, 4, 8), rnd(gen, 3, 6, 8), rnd(gen, 3, 6, 5))
    return t


def module_case(t, name, module, inputs, call, gen):
    """Runs call(module, inputs) -> (out, weights or None); records params, outputs and gradients."""
    for k, p in module.state_dict().items():
        t[f"{name}.param.{k}"] = p
    leaves = {k: leaf(v) for k, v in inputs.items()}
    out, weights = call(module, leaves)
    gout = rnd(gen, *out.shape)
    (out * gout).sum().backward()
    t[f"{name}.out"] = out
    t[f"{name}.gout"] = gout
    if weights is not None:
        t[f"{name}.weights"] = weights
    for k, v in leaves.items():
        t[f"{name}.{k}"] = v
        t[f"{name}.grad.{k}"] = v.grad.clone()
    for k, p in module.named_parameters():
        t[f"{name}.grad.param.{k}"] = p.grad.clone()


def mha_cases(gen):
    t = {}
    torch.manual_seed(1)
    m = torch.nn.MultiheadAttention(8, 2, batch_first=True).double()
    with torch.no_grad():
        m.in_proj_bias.copy_(rnd(gen, 24) * 0.1)
        m.out_proj.bias.copy_(rnd(gen, 8) * 0.1)
    pad = torch.tensor([[0, 0, 0, 0, 0], [0, 0, 0, 1, 1]], dtype=torch.bool)  # True = ignore
    t["self_padding.key_padding_ignore"] = pad.double()
    module_case(t, "self_padding", m, {"x": rnd(gen, 2, 5, 8)},
                lambda mod, i: mod(i["x"], i["x"], i["x"], key_padding_mask=pad, need_weights=True), gen)

    m.zero_grad(set_to_none=True)
    causal = torch.triu(torch.ones(5, 5, dtype=torch.bool), diagonal=1)  # True = ignore
    t["self_causal.attn_ignore"] = causal.double()
    module_case(t, "self_causal", m, {"x": rnd(gen, 2, 5, 8)},
                lambda mod, i: mod(i["x"], i["x"], i["x"], attn_mask=causal, need_weights=True,
                                   average_attn_weights=False), gen)

    torch.manual_seed(2)
    c = torch.nn.MultiheadAttention(8, 2, batch_first=True, kdim=6, vdim=4).double()
    with torch.no_grad():
        c.in_proj_bias.copy_(rnd(gen, 24) * 0.1)
        c.out_proj.bias.copy_(rnd(gen, 8) * 0.1)
    pad2 = torch.tensor([[0, 0, 0, 0, 1], [0, 0, 1, 1, 1]], dtype=torch.bool)
    add = rnd(gen, 4, 3, 5)  # (B*H, L, S) additive
    t["cross_kvdim.key_padding_ignore"] = pad2.double()
    t["cross_kvdim.attn_add"] = add
    module_case(t, "cross_kvdim", c, {"query": rnd(gen, 2, 3, 8), "key": rnd(gen, 2, 5, 6), "value": rnd(gen, 2, 5, 4)},
                lambda mod, i: mod(i["query"], i["key"], i["value"], key_padding_mask=pad2, attn_mask=add,
                                   need_weights=True), gen)
    return t


def transformer_cases(gen):
    """nn.Transformer (2 + 2 layers, post-norm) with every parameter re-drawn, so none is a default."""
    t = {}
    torch.manual_seed(3)
    m = torch.nn.Transformer(d_model=8, nhead=2, num_encoder_layers=2, num_decoder_layers=2, dim_feedforward=16,
                             dropout=0.0, batch_first=True).double()
    with torch.no_grad():
        for k, p in m.named_parameters():
            if "norm" in k and k.endswith("weight"):
                p.copy_(torch.rand(p.shape, generator=gen, dtype=torch.float64) + 0.5)
            else:
                p.copy_(torch.rand(p.shape, generator=gen, dtype=torch.float64) - 0.5)
    src_pad = torch.tensor([[0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 1, 1]], dtype=torch.bool)  # True = ignore
    causal = torch.triu(torch.ones(4, 4, dtype=torch.bool), diagonal=1)
    t["transformer.src_key_padding_ignore"] = src_pad.double()
    t["transformer.tgt_mask_ignore"] = causal.double()
    module_case(t, "transformer", m, {"src": rnd(gen, 2, 6, 8), "tgt": rnd(gen, 2, 4, 8)},
                lambda mod, i: (mod(i["src"], i["tgt"], tgt_mask=causal, src_key_padding_mask=src_pad,
                                    memory_key_padding_mask=src_pad), None), gen)
    return t


def main():
    os.makedirs(OUT, exist_ok=True)
    gen = torch.Generator().manual_seed(20260521)
    write_safetensors(os.path.join(OUT, "attention_sdpa.safetensors"), sdpa_cases(gen),
                      {"generator": "tools/golden/attention_golden.py", "torch": torch.__version__})
    write_safetensors(os.path.join(OUT, "attention_mha.safetensors"), mha_cases(gen),
                      {"generator": "tools/golden/attention_golden.py", "torch": torch.__version__})
    write_safetensors(os.path.join(OUT, "attention_transformer.safetensors"), transformer_cases(gen),
                      {"generator": "tools/golden/attention_golden.py", "torch": torch.__version__})


def generate(root):
    """generate_all.py entry point: writes the three attention fixtures, returns (relative path, size)."""
    main()
    names = ["attention_sdpa.safetensors", "attention_mha.safetensors", "attention_transformer.safetensors"]
    return [(os.path.relpath(os.path.join(OUT, n), root), os.path.getsize(os.path.join(OUT, n))) for n in names]


if __name__ == "__main__":
    main()
