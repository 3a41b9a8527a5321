#!/usr/bin/python3
"""Golden fixtures for the gradient of a float attention mask (a learned mask, a relative-position bias):
PyTorch backpropagates into a float attn_mask, in scaled dot-product attention and in nn.MultiheadAttention.

Run: /usr/bin/python3 tools/golden/attention_mask_grad.py   (writes nn-attention/src/test/resources/golden/)

Key scheme, per case prefix "<case>.", as attention_golden.py: inputs (q, k, v, query, key, value), the
additive mask "mask_add" (its shape is the broadcast under test; -inf entries exclude a key), boolean masks
"*_ignore" (1 = must not attend), param.<name>, gout (the loss is sum(out * gout)), out, and
grad.<input name> including grad.mask_add. Computed in float64, stored as float32.
"""
import os

import torch

from attention_golden import OUT, leaf, rnd, sdpa, write_safetensors

NAME = "attention_mask_grad.safetensors"


def sdpa_cases(gen):
    t = {}

    def case(name, q, k, v, bias, causal=False):
        q, k, v, bias = leaf(q), leaf(k), leaf(v), leaf(bias)
        out = sdpa(q, k, v, attn_mask=bias, is_causal=causal)
        gout = rnd(gen, *out.shape)
        (out * gout).sum().backward()
        for key, x in {"q": q, "k": k, "v": v, "mask_add": bias}.items():
            t[f"{name}.{key}"] = x
            t[f"{name}.grad.{key}"] = x.grad
        t[f"{name}.out"] = out
        t[f"{name}.gout"] = gout

    b, h, l, s = 2, 3, 4, 5
    # a relative-position bias per head, (H, L, S), shared over the batch
    rel = torch.tensor([[j - i for j in range(s)] for i in range(l)], dtype=torch.float64)
    case("relpos", rnd(gen, b, h, l, 8), rnd(gen, b, h, s, 8), rnd(gen, b, h, s, 6),
         rnd(gen, h, 1, 1) * rel.abs() + 0.3 * rnd(gen, h, l, s))
    # a full (B, H, L, S) mask with excluded keys (no row fully excluded: PyTorch gives NaN there)
    full = rnd(gen, b, h, l, s)
    full[0, 1, 2, 3] = float("-inf")
    full[1, 0, :, 4] = float("-inf")
    case("full", rnd(gen, b, h, l, 8), rnd(gen, b, h, s, 8), rnd(gen, b, h, s, 8), full)
    # a shared (L, S) mask under the causal flag (L == S)
    case("causal", rnd(gen, b, 2, 5, 4), rnd(gen, b, 2, 5, 4), rnd(gen, b, 2, 5, 4), rnd(gen, 5, 5), causal=True)
    # rank 3 (one head) with a per-key bias (B, 1, S)
    case("rank3", rnd(gen, 3, 4, 8), rnd(gen, 3, 6, 8), rnd(gen, 3, 6, 5), rnd(gen, 3, 1, 6))
    return t


def mha_cases(gen):
    t = {}

    def case(name, module, inputs, bias, key_padding=None):
        for k, p in module.state_dict().items():
            t[f"{name}.param.{k}"] = p
        leaves = {k: leaf(v) for k, v in inputs.items()}
        bias = leaf(bias)
        x = leaves.get("x")
        q, k, v = (x, x, x) if x is not None else (leaves["query"], leaves["key"], leaves["value"])
        out, _ = module(q, k, v, attn_mask=bias, key_padding_mask=key_padding, need_weights=False)
        gout = rnd(gen, *out.shape)
        (out * gout).sum().backward()
        t[f"{name}.out"] = out
        t[f"{name}.gout"] = gout
        t[f"{name}.mask_add"] = bias
        t[f"{name}.grad.mask_add"] = bias.grad
        if key_padding is not None:
            t[f"{name}.key_padding_ignore"] = key_padding.double()
        for key, leaf_ in leaves.items():
            t[f"{name}.{key}"] = leaf_
            t[f"{name}.grad.{key}"] = leaf_.grad
        for key, p in module.named_parameters():
            t[f"{name}.grad.param.{key}"] = p.grad.clone()

    torch.manual_seed(4)
    m = torch.nn.MultiheadAttention(8, 2, batch_first=True).double()
    with torch.no_grad():
        m.in_proj_bias.copy_(rnd(gen, 24) * 0.1)
        m.out_proj.bias.copy_(rnd(gen, 8) * 0.1)
    # a learned (L, S) mask in self-attention
    case("mha_shared", m, {"x": rnd(gen, 2, 5, 8)}, rnd(gen, 5, 5))
    m.zero_grad(set_to_none=True)
    # a (B*H, L, S) mask in cross-attention joined with key padding: padded keys get no mask gradient
    pad = torch.tensor([[0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 1, 1]], dtype=torch.bool)  # True = ignore
    case("mha_perhead", m, {"query": rnd(gen, 2, 4, 8), "key": rnd(gen, 2, 6, 8), "value": rnd(gen, 2, 6, 8)},
         rnd(gen, 4, 4, 6), key_padding=pad)
    return t


def main():
    os.makedirs(OUT, exist_ok=True)
    gen = torch.Generator().manual_seed(20261204)
    t = sdpa_cases(gen)
    t.update(mha_cases(gen))
    write_safetensors(os.path.join(OUT, NAME), t,
                      {"generator": "tools/golden/attention_mask_grad.py", "torch": torch.__version__})


def generate(root):
    """generate_all.py entry point: writes the fixture, returns [(relative path, size)]."""
    main()
    path = os.path.join(OUT, NAME)
    return [(os.path.relpath(path, root), os.path.getsize(path))]


if __name__ == "__main__":
    main()
