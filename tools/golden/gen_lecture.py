"""Golden fixtures for the lecture layers of nn-recurrent (issue 15): Conv1d with stride, padding and
dilation, and 1-D / 2-D max and average pooling, from PyTorch's own functional ops.

Run through tools/golden/generate_all.py (or alone: /usr/bin/python3 tools/golden/gen_lecture.py).
Writes nn-recurrent/src/test/resources/golden/lecture_*.safetensors, each holding:
  x                the input;  weight, bias (conv only)
  out.y            the op's output
  w.y              fixed weights of the loss L = sum(out.y * w.y)
  grad.x, grad.weight, grad.bias   dL/d(...)
and the op's arguments as the metadata "config".
"""

import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Fixture, seeded  # noqa: E402

DIR = "nn-recurrent/src/test/resources/golden/"


def _case(root, name, leaves, fn, **cfg):
    fx = Fixture(root, DIR + "lecture_" + name + ".safetensors")
    fx.config(**cfg)
    for k, v in leaves.items():
        v.requires_grad_(True)
        fx.put(k, v)
    y = fn(**leaves)
    w = torch.rand(y.shape) * 2 - 1
    fx.put("out.y", y)
    fx.put("w.y", w)
    (y * w).sum().backward()
    for k, v in leaves.items():
        fx.put("grad." + k, v.grad)
    return fx.save()


def conv1d(root, name, seed, B, C, L, O, k, stride, padding, dilation):
    seeded(seed)
    leaves = {"x": torch.rand(B, C, L) * 2 - 1, "weight": torch.rand(O, C, k) * 2 - 1, "bias": torch.rand(O) - 0.5}
    return _case(root, name, leaves,
                 lambda x, weight, bias: F.conv1d(x, weight, bias, stride=stride, padding=padding, dilation=dilation),
                 stride=stride, padding=padding, dilation=dilation)


def pool(root, name, seed, shape, kind, k, stride, padding):
    seeded(seed)
    leaves = {"x": torch.rand(*shape) * 2 - 1}
    fns = {1: (F.max_pool1d, F.avg_pool1d), 2: (F.max_pool2d, F.avg_pool2d)}[len(shape) - 2]
    fn = fns[0] if kind == "max" else fns[1]
    return _case(root, name, leaves, lambda x: fn(x, k, stride=stride, padding=padding),
                 kind=kind, kernel=k, stride=stride, padding=padding)


def generate(root):
    return [
        conv1d(root, "conv1d_plain", 1, 2, 3, 9, 4, 3, 1, 0, 1),
        conv1d(root, "conv1d_tdnn", 2, 2, 3, 11, 4, 3, 1, 2, 2),
        conv1d(root, "conv1d_strided", 3, 3, 2, 12, 5, 4, 3, 1, 3),
        pool(root, "maxpool1d", 4, (2, 3, 11), "max", 3, 2, 1),
        pool(root, "avgpool1d", 5, (2, 3, 11), "avg", 3, 2, 1),
        pool(root, "maxpool2d", 6, (2, 2, 7, 6), "max", 3, 2, 1),
        pool(root, "avgpool2d", 7, (2, 2, 7, 6), "avg", 2, 2, 0),
    ]


if __name__ == "__main__":
    for path, size in generate(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))):
        print(f"{size:8d}  {path}")
