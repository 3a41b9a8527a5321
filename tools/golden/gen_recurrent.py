"""Golden fixtures for nn-recurrent: nn.RNN / nn.LSTM / nn.GRU layers, packed variable lengths, cells.

Written to nn-recurrent/src/test/resources/golden/. Every layer runs batch_first=True on (B, T, F).
loss = sum over outputs k of sum(output.k * input.dk); gradients are of that loss.
"""

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from common import Fixture, init_params, record, seeded

OUT = "nn-recurrent/src/test/resources/golden/"
B, T, F, H = 2, 5, 3, 4


def _layer(kind, **kw):
    return {"RNN": nn.RNN, "LSTM": nn.LSTM, "GRU": nn.GRU}[kind](batch_first=True, **kw)


def _state_shapes(m, batch):
    d = 2 if m.bidirectional else 1
    h_size = m.proj_size if getattr(m, "proj_size", 0) else m.hidden_size
    return (m.num_layers * d, batch, h_size), (m.num_layers * d, batch, m.hidden_size)


def layer_fixture(root, name, kind, seed, initial_state, **kw):
    seeded(seed)
    m = _layer(kind, input_size=F, hidden_size=H if "hidden_size" not in kw else kw.pop("hidden_size"), **kw)
    init_params(m)
    inputs = {"input": torch.randn(B, T, F)}
    h_shape, c_shape = _state_shapes(m, B)
    if initial_state:
        inputs["h0"] = torch.randn(h_shape)
        if kind == "LSTM":
            inputs["c0"] = torch.randn(c_shape)

    def forward(input, h0=None, c0=None):
        if kind == "LSTM":
            state = None if h0 is None else (h0, c0)
            out, (h_n, c_n) = m(input, state)
            return {"output": out, "h_n": h_n, "c_n": c_n}
        out, h_n = m(input, h0)
        return {"output": out, "h_n": h_n}

    fx = Fixture(root, OUT + name + ".safetensors")
    record(fx, m, inputs, forward)
    fx.config(module="nn." + kind, input_size=F, hidden_size=m.hidden_size, num_layers=m.num_layers,
              bidirectional=m.bidirectional, proj_size=getattr(m, "proj_size", 0), batch_first=True, bias=True,
              nonlinearity=getattr(m, "nonlinearity", None), batch=B, time=T, initial_state=initial_state,
              loss="sum(output*doutput) + sum(h_n*dh_n)" + (" + sum(c_n*dc_n)" if kind == "LSTM" else ""))
    return fx.save()


def packed_fixture(root, name, kind, seed, lengths, **kw):
    """Variable lengths through pack_padded_sequence(enforce_sorted=False) and pad_packed_sequence."""
    seeded(seed)
    batch = len(lengths)
    m = _layer(kind, input_size=F, hidden_size=H, num_layers=2, bidirectional=True, **kw)
    init_params(m)
    # Padding steps hold random values on purpose: an implementation must ignore them, not rely on zeros.
    inputs = {"input": torch.randn(batch, T, F), "lengths": torch.tensor(lengths, dtype=torch.float32)}

    def forward(input, lengths):
        packed = pack_padded_sequence(input, lengths.long(), batch_first=True, enforce_sorted=False)
        out, state = m(packed)
        out, _ = pad_packed_sequence(out, batch_first=True, total_length=T)
        result = {"output": out}
        if kind == "LSTM":
            result["h_n"], result["c_n"] = state
        else:
            result["h_n"] = state
        return result

    fx = Fixture(root, OUT + name + ".safetensors")
    record(fx, m, inputs, forward)
    fx.config(module="nn." + kind, input_size=F, hidden_size=H, num_layers=2, bidirectional=True, proj_size=0,
              batch_first=True, bias=True, nonlinearity=getattr(m, "nonlinearity", None), batch=batch, time=T,
              lengths=lengths, initial_state=False,
              packing="pack_padded_sequence(enforce_sorted=False) -> layer -> pad_packed_sequence(total_length=T)",
              output="zeros at t >= lengths[b]; h_n/c_n are each sequence's own final state: forward direction "
                     "at t = lengths[b]-1, reverse direction after reading back to t = 0",
              loss="sum(output*doutput) + sum(h_n*dh_n)" + (" + sum(c_n*dc_n)" if kind == "LSTM" else ""))
    return fx.save()


def cell_fixture(root, name, kind, seed, **kw):
    seeded(seed)
    cell = {"RNNCell": nn.RNNCell, "LSTMCell": nn.LSTMCell, "GRUCell": nn.GRUCell}[kind](F, H, **kw)
    init_params(cell)
    batch = 3
    inputs = {"input": torch.randn(batch, F), "h0": torch.randn(batch, H)}
    if kind == "LSTMCell":
        inputs["c0"] = torch.randn(batch, H)

    def forward(input, h0, c0=None):
        if kind == "LSTMCell":
            h1, c1 = cell(input, (h0, c0))
            return {"h1": h1, "c1": c1}
        return {"h1": cell(input, h0)}

    fx = Fixture(root, OUT + name + ".safetensors")
    record(fx, cell, inputs, forward)
    fx.config(module="nn." + kind, input_size=F, hidden_size=H, bias=True, batch=batch,
              nonlinearity=getattr(cell, "nonlinearity", None),
              loss="sum(h1*dh1)" + (" + sum(c1*dc1)" if kind == "LSTMCell" else ""))
    return fx.save()


def generate(root):
    files = [
        layer_fixture(root, "rnn_tanh_2l_bi", "RNN", 101, True, num_layers=2, bidirectional=True,
                      nonlinearity="tanh"),
        layer_fixture(root, "rnn_relu_2l_bi", "RNN", 102, True, num_layers=2, bidirectional=True,
                      nonlinearity="relu"),
        layer_fixture(root, "lstm_1l", "LSTM", 103, False, num_layers=1),
        layer_fixture(root, "lstm_2l_bi", "LSTM", 104, False, num_layers=2, bidirectional=True),
        layer_fixture(root, "lstm_h0c0", "LSTM", 105, True, num_layers=2),
        layer_fixture(root, "lstm_proj", "LSTM", 106, False, num_layers=1, hidden_size=5, proj_size=3),
        layer_fixture(root, "lstm_proj_2l_bi_h0c0", "LSTM", 107, True, num_layers=2, bidirectional=True,
                      hidden_size=5, proj_size=3),
        layer_fixture(root, "gru_1l", "GRU", 108, False, num_layers=1),
        layer_fixture(root, "gru_2l_bi", "GRU", 109, True, num_layers=2, bidirectional=True),
        packed_fixture(root, "lstm_packed", "LSTM", 110, [5, 3, 1]),
        packed_fixture(root, "gru_packed", "GRU", 111, [3, 5, 1]),
        packed_fixture(root, "rnn_tanh_packed", "RNN", 112, [2, 5, 4], nonlinearity="tanh"),
        cell_fixture(root, "lstm_cell", "LSTMCell", 113),
        cell_fixture(root, "gru_cell", "GRUCell", 114),
        cell_fixture(root, "rnn_cell_tanh", "RNNCell", 115, nonlinearity="tanh"),
        cell_fixture(root, "rnn_cell_relu", "RNNCell", 116, nonlinearity="relu"),
    ]
    return files
