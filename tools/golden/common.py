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


def init_params(module, scale=0.5):
    """Re-draws every parameter from U(-scale, scale), and norm gains from U(0.5, 1.5), so that no bias
    is the default zero and no gain the default one: a missing bias or gain then shows in the outputs."""
    for name, p in module.named_parameters():
        with torch.no_grad():
            leaf = name.rsplit(".", 1)[-1]
            is_gain = leaf == "weight" and p.dim() == 1
            if is_gain:
                p.uniform_(0.5, 1.5)
            else:
                p.uniform_(-scale, scale)


def put_state(fx, module):
    """Stores the state dict (parameters and float buffers) under param.<state-dict name>."""
    for name, t in module.state_dict().items():
        if t.is_floating_point():
            fx.put("param." + name, t)


def record(fx, module, inputs, forward, differentiable=None, in_loss=None):
    """Runs forward(**leaves) -> dict of outputs and backpropagates loss = sum_k sum(output_k * d_k).

    inputs: dict name -> tensor; those listed in `differentiable` (default: all floating ones that are
    not masks or lengths) become leaves with gradients. Each output k gets a fixed random weight tensor
    stored as input.d<k> (e.g. input.doutput, input.dh_n); outputs not named in `in_loss` (default:
    all) are recorded but take no part in the loss (attention weights, running statistics).
    Stores input.*, output.*, output.loss, grad.<input> and grad.<parameter name>.
    """
    if differentiable is None:
        differentiable = [k for k, v in inputs.items()
                          if v.is_floating_point() and "mask" not in k and k != "lengths"]
    leaves = {}
    for k, v in inputs.items():
        leaf = v.detach().clone()
        if k in differentiable:
            leaf.requires_grad_(True)
        leaves[k] = leaf
    if module is not None:
        put_state(fx, module)
    outputs = forward(**leaves)
    if in_loss is None:
        in_loss = list(outputs)
    weights = {k: torch.randn_like(outputs[k]) for k in in_loss}
    loss = sum((outputs[k] * w).sum() for k, w in weights.items())
    loss.backward()
    for k, v in inputs.items():
        fx.put("input." + k, v.float() if not v.is_floating_point() else v)
    for k, w in weights.items():
        fx.put("input.d" + k, w)
    for k, o in outputs.items():
        fx.put("output." + k, o)
    fx.put("output.loss", loss)
    for k in differentiable:
        fx.put("grad." + k, leaves[k].grad)
    if module is not None:
        for name, p in module.named_parameters():
            fx.put("grad." + name, p.grad)
    return outputs
