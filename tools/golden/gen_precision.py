"""An ill-conditioned precision case for every backend (issue 13): a 2-layer layer-normalised LSTM
(Sequor's variant, which PyTorch lacks, written here from the equations in nn-recurrent's LstmWeights)
whose gradients reach the hundreds. Everything is computed in float64 from float32-representable
inputs and parameters, so a backend's float32 error can be measured against the exact answer.

Run through tools/golden/generate_all.py (or alone: /usr/bin/python3 tools/golden/gen_precision.py).
Writes nn-recurrent/src/test/resources/golden/precision_ln_lstm*.safetensors (three sizes), each holding:
  x (B, T, in)                  the input
  param.<name>                  every parameter under Sequor's state-dict name (weight_ih_l0, ln_ih_weight_l0, ...)
  out.output                    the top layer's output (B, T, H)
  w.output                      fixed weights of the loss L = sum(out.output * w.output)
  grad.x, grad.param.<name>     dL/d(...), from float64 autograd
and, as the metadata "pytorch_float32_relative_errors", the error max|g - g64| / max|g64| of the same model
run in PyTorch's float32: the bar for a float32 backend.
"""

import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Fixture, seeded  # noqa: E402

DIR = "nn-recurrent/src/test/resources/golden/"
EPS = 1e-5


def f32(t):
    return t.float().double()


def _relative(got, exact):
    """max|got - exact| / max|exact|, the measure the Java test applies."""
    return float((got.double() - exact).abs().max() / exact.abs().max())


def layer_norm(x, gamma, beta):
    centred = x - x.mean(-1, keepdim=True)
    var = (centred * centred).mean(-1, keepdim=True)
    return centred / torch.sqrt(var + EPS) * gamma + beta


def lstm_layer(x, p, l):
    """One direction of one layer: the equations of LstmWeights.inputProjection and step."""
    w_ih, w_hh = p[f"weight_ih_l{l}"], p[f"weight_hh_l{l}"]
    a_in = layer_norm(x @ w_ih.T, p[f"ln_ih_weight_l{l}"], p[f"ln_ih_bias_l{l}"]) \
        + p[f"bias_ih_l{l}"] + p[f"bias_hh_l{l}"]
    b, t, _ = x.shape
    h_size = w_hh.shape[1]
    h = torch.zeros(b, h_size, dtype=x.dtype)
    c = torch.zeros(b, h_size, dtype=x.dtype)
    outs = []
    for s in range(t):
        rec = layer_norm(h @ w_hh.T, p[f"ln_hh_weight_l{l}"], p[f"ln_hh_bias_l{l}"])
        ai, af, ag, ao = (a_in[:, s] + rec).chunk(4, 1)
        i, f, g = torch.sigmoid(ai), torch.sigmoid(af), torch.tanh(ag)
        c = f * c + i * g
        h = torch.sigmoid(ao) * torch.tanh(layer_norm(c, p[f"ln_c_weight_l{l}"], p[f"ln_c_bias_l{l}"]))
        outs.append(h)
    return torch.stack(outs, 1)


def ln_lstm(root, name, seed, B, T, n_in, H, layers, w_scale, x_scale, loss_scale):
    seeded(seed)
    fx = Fixture(root, DIR + "precision_" + name + ".safetensors")
    fx.config(input_size=n_in, hidden_size=H, num_layers=layers, layer_norm=True, B=B, T=T)
    p = {}
    for l in range(layers):
        width = n_in if l == 0 else H
        p[f"weight_ih_l{l}"] = (torch.rand(4 * H, width) * 2 - 1) * w_scale
        p[f"weight_hh_l{l}"] = (torch.rand(4 * H, H) * 2 - 1) * w_scale
        p[f"bias_ih_l{l}"] = torch.rand(4 * H) * 2 - 1
        p[f"bias_hh_l{l}"] = torch.rand(4 * H) * 2 - 1
        for ln, n in (("ih", 4 * H), ("hh", 4 * H), ("c", H)):
            p[f"ln_{ln}_weight_l{l}"] = torch.rand(n) * 1.5 + 0.5
            p[f"ln_{ln}_bias_l{l}"] = torch.rand(n) - 0.5
    p = {k: f32(v).requires_grad_(True) for k, v in p.items()}
    x = f32(torch.randn(B, T, n_in) * x_scale).requires_grad_(True)
    y = x
    for l in range(layers):
        y = lstm_layer(y, p, l)
    w = f32(torch.randn(y.shape) * loss_scale)
    (y * w).sum().backward()
    # The same model in PyTorch's float32, for the bar a float32 backend is held to
    p32 = {k: v.detach().float().requires_grad_(True) for k, v in p.items()}
    x32 = x.detach().float().requires_grad_(True)
    y32 = x32
    for l in range(layers):
        y32 = lstm_layer(y32, p32, l)
    (y32 * w.float()).sum().backward()
    errors = {"output": _relative(y32, y), "x": _relative(x32.grad, x.grad)}
    errors.update({k: _relative(p32[k].grad, v.grad) for k, v in p.items()})
    fx.meta["pytorch_float32_relative_errors"] = json.dumps(errors, sort_keys=True)
    fx.put("x", x.float())
    for k, v in p.items():
        fx.put("param." + k, v.float())
    fx.put("out.output", y.float())
    fx.put("w.output", w.float())
    fx.put("grad.x", x.grad.float())
    for k, v in p.items():
        fx.put("grad.param." + k, v.grad.float())
    return fx.save()


def generate(root):
    return [ln_lstm(root, "ln_lstm", 13, 8, 40, 16, 32, 2, 0.6, 2.0, 4.0),
            ln_lstm(root, "ln_lstm_wide", 21, 16, 20, 8, 64, 2, 0.5, 2.0, 4.0),
            ln_lstm(root, "ln_lstm_long", 5, 4, 60, 32, 16, 2, 0.7, 2.0, 4.0)]


if __name__ == "__main__":
    for path, size in generate(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))):
        print(f"{size:8d}  {path}")
