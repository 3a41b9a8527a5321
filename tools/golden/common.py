"""Shared helpers for the golden-fixture generators: seeding, fixture assembly and saving."""

import json
import os

import torch

import safetensors_io

# Every fixture is float32 unless a test is about dtypes; every generator starts from a known seed.
torch.set_default_dtype(torch.float32)
torch.set_num_threads(1)


def seeded(seed):
    torch.manual_seed(seed)


class Fixture:
    """One .safetensors file under construction: tensors in insertion order plus __metadata__."""

    def __init__(self, root, relpath):
        self.path = os.path.join(root, relpath)
        self.relpath = relpath
        self.tensors = {}
        self.meta = {}

    def put(self, name, tensor):
        if name in self.tensors:
            raise KeyError(f"{self.relpath}: duplicate key {name}")
        self.tensors[name] = tensor.detach().clone().contiguous()

    def config(self, **cfg):
        """Stores the configuration as one JSON string under the metadata key "config"."""
        self.meta["config"] = json.dumps(cfg, sort_keys=True)

    def save(self):
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        size = safetensors_io.save(self.path, self.tensors, self.meta)
        back, meta = safetensors_io.load(self.path)
        assert meta == self.meta, self.relpath
        for name, t in self.tensors.items():
            assert back[name].dtype == t.dtype and back[name].shape == t.shape, (self.relpath, name)
            assert torch.equal(_bits(back[name]), _bits(t)), (self.relpath, name)
        return self.relpath, size


def _bits(t):
    """The tensor's raw bit patterns, so that a NaN compares equal to itself."""
    ints = {torch.float16: torch.int16, torch.bfloat16: torch.int16, torch.float32: torch.int32,
            torch.float64: torch.int64}
    return t.view(ints[t.dtype]) if t.dtype in ints else t
