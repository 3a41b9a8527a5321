"""Fixture for core's safetensors reader: every loadable dtype next to PyTorch's own float32 conversion.

Writes core/src/test/resources/golden/io_dtypes.safetensors (see README.md for the keys).
"""

import json

import torch

from common import Fixture, seeded


def special_f16():
    # Raw half bit patterns: zeros, smallest/largest subnormal, smallest normal, one, max, infinities, NaN.
    bits = [0x0000, 0x8000, 0x0001, 0x03FF, 0x0400, 0x3C00, 0xBC00, 0x3555, 0x7BFF, 0xFBFF,
            0x7C00, 0xFC00, 0x7E00]
    return torch.tensor(bits, dtype=torch.int32).to(torch.int16).view(torch.float16)


def special_bf16():
    bits = [0x0000, 0x8000, 0x0001, 0x007F, 0x0080, 0x3F80, 0xBF80, 0x3EAB, 0x7F7F, 0xFF7F,
            0x7F80, 0xFF80, 0x7FC0]
    return torch.tensor(bits, dtype=torch.int32).to(torch.int16).view(torch.bfloat16)


def generate(root):
    seeded(0)
    f32 = torch.randn(3, 4)
    f32[0, 0] = -0.0
    f32[0, 1] = float("inf")
    f32[0, 2] = 1e-45  # the smallest float32 subnormal
    f16 = torch.cat([special_f16(), torch.randn(5).to(torch.float16).reshape(-1)]).reshape(3, 6)
    bf16 = torch.cat([special_bf16(), torch.randn(11).to(torch.bfloat16)]).reshape(4, 6)
    f64 = torch.randn(2, 3, 2, dtype=torch.float64)
    f64[0, 0, 0] = 1.0 + 2.0 ** -30  # rounds to 1.0f
    f64[0, 0, 1] = 1e300  # beyond float range: +inf
    f64[0, 1, 0] = 1e-50  # below the smallest subnormal: +0
    fx = Fixture(root, "core/src/test/resources/golden/io_dtypes.safetensors")
    fx.put("f32", f32)
    fx.put("f16", f16)
    fx.put("f16.as_f32", f16.float())
    fx.put("bf16", bf16)
    fx.put("bf16.as_f32", bf16.float())
    fx.put("f64", f64)
    fx.put("f64.as_f32", f64.float())
    fx.put("scalar", torch.tensor(2.5))
    fx.put("empty", torch.zeros(0, 3))
    fx.put("n\u00e4me/with.unicode", torch.arange(4, dtype=torch.float32))
    fx.meta["format"] = "pt"
    fx.meta["config"] = json.dumps({"hidden_size": 8, "layers": [1, 2], "name": "caf\u00e9"})
    fx.meta["note"] = "quote \" backslash \\ newline \n tab \t"
    return [fx.save()]
