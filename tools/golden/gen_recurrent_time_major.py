"""Golden fixtures for time-major recurrent layers: PyTorch's nn.RNN / nn.LSTM / nn.GRU with batch_first=False.

Written to nn-recurrent/src/test/resources/golden/time_major_*.safetensors, with gen_recurrent.py's key names:
input.input is (T, B, F) and output.output is (T, B, D*H); h_n/c_n keep (layers*D, B, H). Cases with
lengths go through pack_padded_sequence(batch_first=False, enforce_sorted=False) and
pad_packed_sequence(batch_first=False, total_length=T), so outputs past each length are 0 and each
sequence's final state is its own. loss = sum over outputs k of sum(output.k * input.dk).
"""

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from common import Fixture, init_params, record, seeded

OUT = "nn-recurrent/src/test/resources/golden/"
T, F = 6, 3


def fixture(root, name, kind, seed, batch, lengths, initial_state, hidden=4, **kw):
    seeded(seed)
    m = {"RNN": nn.RNN, "LSTM": nn.LSTM, "GRU": nn.GRU}[kind](input_size=F, hidden_size=hidden, batch_first=False,
                                                             **kw)
    init_params(m)
    d = 2 if m.bidirectional else 1
    h_size = m.proj_size if getattr(m, "proj_size", 0) else hidden
    # Padding steps hold random values on purpose: an implementation must ignore them, not rely on zeros.
    inputs = {"input": torch.randn(T, batch, F)}
    if lengths is not None:
        inputs["lengths"] = torch.tensor(lengths, dtype=torch.float32)
    if initial_state:
        inputs["h0"] = torch.randn(m.num_layers * d, batch, h_size)
        if kind == "LSTM":
            inputs["c0"] = torch.randn(m.num_layers * d, batch, hidden)

    def forward(input, lengths=None, h0=None, c0=None):
        state = None if h0 is None else ((h0, c0) if kind == "LSTM" else h0)
        x = input if lengths is None else pack_padded_sequence(input, lengths.long(), batch_first=False,
                                                               enforce_sorted=False)
        out, s = m(x, state)
        if lengths is not None:
            out, _ = pad_packed_sequence(out, batch_first=False, total_length=T)
        result = {"output": out}
        if kind == "LSTM":
            result["h_n"], result["c_n"] = s
        else:
            result["h_n"] = s
        return result

    fx = Fixture(root, OUT + name + ".safetensors")
    record(fx, m, inputs, forward)
    fx.config(module="nn." + kind, input_size=F, hidden_size=hidden, num_layers=m.num_layers,
              bidirectional=m.bidirectional, proj_size=getattr(m, "proj_size", 0), batch_first=False, bias=True,
              nonlinearity=getattr(m, "nonlinearity", None), batch=batch, time=T, lengths=lengths,
              initial_state=initial_state,
              packing=None if lengths is None else
              "pack_padded_sequence(batch_first=False, enforce_sorted=False) -> layer -> "
              "pad_packed_sequence(batch_first=False, total_length=T)",
              loss="sum(output*doutput) + sum(h_n*dh_n)" + (" + sum(c_n*dc_n)" if kind == "LSTM" else ""))
    return fx.save()


def generate(root):
    return [
        fixture(root, "time_major_lstm_lengths_h0", "LSTM", 401, 3, [6, 2, 4], True, num_layers=2,
                bidirectional=True),
        fixture(root, "time_major_gru_lengths_h0", "GRU", 402, 4, [1, 6, 3, 5], True, num_layers=2,
                bidirectional=True),
        fixture(root, "time_major_rnn_relu_lengths", "RNN", 403, 3, [4, 6, 1], False, num_layers=2,
                bidirectional=True, nonlinearity="relu"),
        fixture(root, "time_major_lstm_proj", "LSTM", 404, 2, None, True, hidden=5, num_layers=2, proj_size=3),
    ]


if __name__ == "__main__":
    import os
    for f in generate(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")):
        print(f)
