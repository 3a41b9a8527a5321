"""Fixture: a PyTorch state dict with an int64 buffer, as `safetensors.torch.save_file(m.state_dict())` writes it.

Writes core/src/test/resources/golden/io_state_dict_batchnorm.safetensors. Its keys without a prefix are the
state dict of a BatchNorm1d(4, momentum=None) after three training batches, untouched (so
num_batches_tracked is int64 with value 3); `next.input` is a fourth batch, and `next.<name>` the state
after training on it, which with momentum=None (a cumulative average, factor 1 / num_batches_tracked)
shows whether the loaded count was used.
"""

import torch
from torch import nn

from common import Fixture, init_params, seeded


def generate(root):
    seeded(301)
    m = nn.BatchNorm1d(4, eps=1e-5, momentum=None, affine=True, track_running_stats=True)
    init_params(m)
    m.train()
    for _ in range(3):
        m(torch.randn(5, 4) * 1.5 + 0.3)
    fx = Fixture(root, "core/src/test/resources/golden/io_state_dict_batchnorm.safetensors")
    for name, t in m.state_dict().items():
        fx.put(name, t)
    x = torch.randn(6, 4) * 0.7 - 0.2
    with torch.no_grad():
        m(x)
    fx.put("next.input", x)
    for name, t in m.state_dict().items():
        fx.put("next." + name, t)
    fx.config(module="nn.BatchNorm1d", num_features=4, eps=1e-5, momentum=None, affine=True,
              track_running_stats=True, batches_before=3,
              keys="state dict after 3 batches (num_batches_tracked int64); next.* after one more batch")
    return [fx.save()]
