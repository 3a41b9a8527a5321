"""Extra golden fixtures for nn-recurrent (files extra_*.safetensors), beside gen_recurrent.py's official set:
cases that set lacks (variable lengths with projection, 2-layer bidirectional variable-length GRU with h0,
no-bias LSTM, variable-length ReLU RNN), in the same spirit but this script's own key names.

Run: /usr/bin/python3 tools/golden/gen_recurrent_extra.py  (writes nn-recurrent/src/test/resources/golden/extra_*)

Each file holds, as F32 tensors (computed in float64 from float32-representable inputs):
  x (B, T, in) or (B, in) for cells, h0, c0 (LSTM), lengths (B, as floats; only where used),
  param.<name>       every parameter under PyTorch's state-dict name,
  out.output, out.h_n, out.c_n (LSTM)          (cells: out.h, out.c)
  w.<out>            fixed weights of the loss  L = sum_k sum(out_k * w_k),
  grad.x, grad.h0, grad.c0, grad.param.<name>  dL/d(...)
Variable lengths use pack_padded_sequence(enforce_sorted=False) / pad_packed_sequence(total_length=T).
The file is self-contained (its own minimal safetensors writer) so it runs before tools/golden's
shared helpers exist; the format is standard safetensors.
"""

import json
import os
import struct

import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "nn-recurrent", "src", "test", "resources", "golden")


WRITTEN = []


def write_safetensors(path, tensors):
    WRITTEN.append(os.path.normpath(path))
    header = {}
    chunks = []
    offset = 0
    for name, t in tensors.items():
        data = t.detach().to(torch.float32).contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * ((8 - len(raw) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for c in chunks:
            f.write(c)


def f32(t):
    """Rounds to float32 and back to float64, so inputs are exactly representable in the Java test."""
    return t.to(torch.float32).to(torch.float64)


def layer_case(name, module, B, T, lengths=None, seed=0):
    torch.manual_seed(seed)
    module = module.double()
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(f32(p))
    num_dir = 2 if module.bidirectional else 1
    hout = module.proj_size if getattr(module, "proj_size", 0) else module.hidden_size
    is_lstm = isinstance(module, torch.nn.LSTM)
    x = f32(torch.rand(B, T, module.input_size, dtype=torch.float64) * 2 - 1).requires_grad_(True)
    h0 = f32(torch.rand(module.num_layers * num_dir, B, hout, dtype=torch.float64) * 2 - 1).requires_grad_(True)
    c0 = f32(torch.rand(module.num_layers * num_dir, B, module.hidden_size, dtype=torch.float64) * 2 - 1) \
        .requires_grad_(True)
    state = (h0, c0) if is_lstm else h0
    if lengths is None:
        out, st = module(x, state)
    else:
        packed = torch.nn.utils.rnn.pack_padded_sequence(x, torch.tensor(lengths), batch_first=True,
                                                         enforce_sorted=False)
        out_p, st = module(packed, state)
        out, _ = torch.nn.utils.rnn.pad_packed_sequence(out_p, batch_first=True, total_length=T)
    outs = {"output": out}
    if is_lstm:
        outs["h_n"], outs["c_n"] = st
    else:
        outs["h_n"] = st
    weights = {k: f32(torch.rand(v.shape, dtype=torch.float64) * 2 - 1) for k, v in outs.items()}
    loss = sum((v * weights[k]).sum() for k, v in outs.items())
    loss.backward()
    tensors = {"x": x, "h0": h0}
    if is_lstm:
        tensors["c0"] = c0
    if lengths is not None:
        tensors["lengths"] = torch.tensor(lengths, dtype=torch.float64)
    for k, p in module.named_parameters():
        tensors["param." + k] = p
    for k, v in outs.items():
        tensors["out." + k] = v
        tensors["w." + k] = weights[k]
    tensors["grad.x"] = x.grad
    tensors["grad.h0"] = h0.grad
    if is_lstm:
        tensors["grad.c0"] = c0.grad
    for k, p in module.named_parameters():
        tensors["grad.param." + k] = p.grad
    write_safetensors(os.path.join(OUT, "extra_" + name + ".safetensors"), tensors)


def cell_case(name, cell, B, seed=0):
    torch.manual_seed(seed)
    cell = cell.double()
    with torch.no_grad():
        for p in cell.parameters():
            p.copy_(f32(p))
    x = f32(torch.rand(B, cell.input_size, dtype=torch.float64) * 2 - 1).requires_grad_(True)
    h0 = f32(torch.rand(B, cell.hidden_size, dtype=torch.float64) * 2 - 1).requires_grad_(True)
    c0 = f32(torch.rand(B, cell.hidden_size, dtype=torch.float64) * 2 - 1).requires_grad_(True)
    is_lstm = isinstance(cell, torch.nn.LSTMCell)
    if is_lstm:
        h, c = cell(x, (h0, c0))
        outs = {"h": h, "c": c}
    else:
        outs = {"h": cell(x, h0)}
    weights = {k: f32(torch.rand(v.shape, dtype=torch.float64) * 2 - 1) for k, v in outs.items()}
    sum((v * weights[k]).sum() for k, v in outs.items()).backward()
    tensors = {"x": x, "h0": h0}
    if is_lstm:
        tensors["c0"] = c0
    for k, p in cell.named_parameters():
        tensors["param." + k] = p
    for k, v in outs.items():
        tensors["out." + k] = v
        tensors["w." + k] = weights[k]
    tensors["grad.x"] = x.grad
    tensors["grad.h0"] = h0.grad
    if is_lstm:
        tensors["grad.c0"] = c0.grad
    for k, p in cell.named_parameters():
        tensors["grad.param." + k] = p.grad
    write_safetensors(os.path.join(OUT, "extra_" + name + ".safetensors"), tensors)


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(1234)
    layer_case("lstm_2layer_bidir", torch.nn.LSTM(3, 4, num_layers=2, bidirectional=True, batch_first=True), 3, 5, seed=1)
    layer_case("lstm_lengths_bidir", torch.nn.LSTM(3, 4, num_layers=2, bidirectional=True, batch_first=True), 4, 6,
               lengths=[6, 2, 4, 1], seed=2)
    layer_case("lstm_proj", torch.nn.LSTM(3, 5, num_layers=2, bidirectional=True, proj_size=2, batch_first=True), 3, 4,
               lengths=[4, 3, 2], seed=3)
    layer_case("gru_2layer_bidir_lengths", torch.nn.GRU(3, 4, num_layers=2, bidirectional=True, batch_first=True), 3, 5,
               lengths=[3, 5, 1], seed=4)
    layer_case("gru_1layer", torch.nn.GRU(4, 3, batch_first=True), 2, 6, seed=5)
    layer_case("rnn_tanh_2layer_bidir", torch.nn.RNN(3, 4, num_layers=2, bidirectional=True, batch_first=True), 3, 5,
               seed=6)
    layer_case("rnn_relu_lengths", torch.nn.RNN(3, 4, nonlinearity="relu", batch_first=True), 3, 5,
               lengths=[5, 1, 3], seed=7)
    layer_case("lstm_nobias", torch.nn.LSTM(3, 4, bias=False, batch_first=True), 2, 4, seed=8)
    cell_case("lstm_cell", torch.nn.LSTMCell(3, 4), 2, seed=9)
    cell_case("gru_cell", torch.nn.GRUCell(3, 4), 2, seed=10)
    cell_case("rnn_cell_tanh", torch.nn.RNNCell(3, 4), 2, seed=11)
    cell_case("rnn_cell_relu", torch.nn.RNNCell(3, 4, nonlinearity="relu"), 2, seed=12)


def generate(root):
    """generate_all.py entry point: writes every extra_* fixture, returns (relative path, size) for each."""
    WRITTEN.clear()
    main()
    return [(os.path.relpath(p, root), os.path.getsize(p)) for p in WRITTEN]


if __name__ == "__main__":
    main()
