"""Golden fixtures for nn-attention: MultiheadAttention, scaled dot-product attention, Transformer
encoder/decoder layers, LayerNorm and BatchNorm1d. Written to nn-attention/src/test/resources/golden/.

Masks are stored as float 0/1 in PyTorch's own meaning for that API (see each config's mask_meaning).
loss = sum over the outputs k in the config's loss of sum(output.k * input.dk).
"""

import math

import torch
import torch.nn.functional as F
from torch import nn

from common import Fixture, init_params, record, seeded

OUT = "nn-attention/src/test/resources/golden/"
E, NH = 8, 2


def mha_fixture(root, name, seed, lq, lk, kdim=None, vdim=None, self_attention=True, key_padding_lengths=None,
                causal=False, average_attn_weights=True):
    seeded(seed)
    m = nn.MultiheadAttention(E, NH, dropout=0.0, bias=True, batch_first=True, kdim=kdim, vdim=vdim)
    init_params(m)
    b = 2
    query = torch.randn(b, lq, E)
    if self_attention:
        key, value = query.clone(), query.clone()
    else:
        key, value = torch.randn(b, lk, kdim or E), torch.randn(b, lk, vdim or E)
    inputs = {"query": query, "key": key, "value": value}
    if key_padding_lengths is not None:
        # True / 1 = this key is padding and is ignored.
        inputs["key_padding_mask"] = torch.arange(lk)[None, :] >= torch.tensor(key_padding_lengths)[:, None]
    if causal:
        # True / 1 = query i may NOT attend to key j (j > i).
        inputs["attn_mask"] = torch.triu(torch.ones(lq, lk, dtype=torch.bool), diagonal=1)

    def forward(query, key, value, key_padding_mask=None, attn_mask=None):
        out, w = m(query, key, value, key_padding_mask=key_padding_mask, need_weights=True, attn_mask=attn_mask,
                   average_attn_weights=average_attn_weights)
        return {"output": out, "attn_weights": w}

    fx = Fixture(root, OUT + name + ".safetensors")
    record(fx, m, inputs, forward, in_loss=["output"])
    fx.config(module="nn.MultiheadAttention", embed_dim=E, num_heads=NH, kdim=kdim or E, vdim=vdim or E,
              bias=True, dropout=0.0, batch_first=True, self_attention=self_attention,
              key_padding_lengths=key_padding_lengths, causal=causal, need_weights=True,
              average_attn_weights=average_attn_weights,
              mask_meaning="key_padding_mask and attn_mask: 1 (True) = ignore / may not attend",
              attn_weights_shape="(B, L, S) averaged over heads" if average_attn_weights else "(B, heads, L, S)",
              loss="sum(output*doutput); attn_weights are recorded but not in the loss",
              note="for self-attention query, key and value hold equal values but are separate leaves: the "
                   "gradient for x used as all three is grad.query + grad.key + grad.value")
    return fx.save()


def sdpa_reference(q, k, v, attn_mask=None, is_causal=False):
    """PyTorch 2.x's documented reference for F.scaled_dot_product_attention (dropout 0, default scale)."""
    lq, lk = q.size(-2), k.size(-2)
    bias = torch.zeros(lq, lk, dtype=q.dtype)
    if is_causal:
        bias.masked_fill_(~torch.ones(lq, lk, dtype=torch.bool).tril(0), float("-inf"))
    if attn_mask is not None:
        bias = bias.masked_fill(~attn_mask, float("-inf"))
    w = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(q.size(-1)) + bias, dim=-1)
    return w @ v, w


def sdpa_fixture(root, name, seed, lq, lk, is_causal=False, with_mask=False):
    seeded(seed)
    b, h, d, dv = 2, 2, 8, 5
    inputs = {"query": torch.randn(b, h, lq, d), "key": torch.randn(b, h, lk, d), "value": torch.randn(b, h, lk, dv)}
    if with_mask:
        # SDPA's boolean mask is the opposite of MultiheadAttention's: True / 1 = may attend.
        mask = torch.rand(lq, lk) > 0.4
        mask[:, 0] = True  # every query keeps at least one key, so no row is all -inf
        inputs["attn_mask"] = mask

    def forward(query, key, value, attn_mask=None):
        # torch 1.13 has no public F.scaled_dot_product_attention; its private kernel has the same meaning.
        out, w = F._scaled_dot_product_attention(query, key, value, attn_mask, 0.0, True, is_causal)
        ref_out, ref_w = sdpa_reference(query, key, value, attn_mask, is_causal)
        assert torch.allclose(out, ref_out, atol=1e-6) and torch.allclose(w, ref_w, atol=1e-6)
        return {"output": out, "attn_weights": w}

    fx = Fixture(root, OUT + name + ".safetensors")
    record(fx, None, inputs, forward, in_loss=["output"])
    fx.config(function="F.scaled_dot_product_attention", batch=b, heads=h, lq=lq, lk=lk, head_dim=d, value_dim=dv,
              is_causal=is_causal, dropout_p=0.0, scale="1/sqrt(head_dim)",
              mask_meaning="attn_mask: 1 (True) = query may attend to this key (SDPA convention)",
              causal_mask="query i attends to keys j <= i (tril, top-left aligned)",
              computed_by="torch 1.13 F._scaled_dot_product_attention, checked against the PyTorch 2.x reference "
                          "formula softmax(q k^T / sqrt(d) + bias) v to 1e-6",
              loss="sum(output*doutput); attn_weights are recorded but not in the loss")
    return fx.save()


def encoder_fixture(root, name, seed, norm_first, activation, masked=False):
    seeded(seed)
    m = nn.TransformerEncoderLayer(E, NH, dim_feedforward=16, dropout=0.0, activation=activation,
                                   batch_first=True, norm_first=norm_first)
    init_params(m)
    b, t = 2, 5
    inputs = {"src": torch.randn(b, t, E)}
    if masked:
        inputs["src_mask"] = torch.triu(torch.ones(t, t, dtype=torch.bool), diagonal=1)
        inputs["src_key_padding_mask"] = torch.arange(t)[None, :] >= torch.tensor([5, 3])[:, None]

    def forward(src, src_mask=None, src_key_padding_mask=None):
        return {"output": m(src, src_mask=src_mask, src_key_padding_mask=src_key_padding_mask)}

    fx = Fixture(root, OUT + name + ".safetensors")
    m.train()  # dropout is 0; train mode keeps PyTorch off its inference fast path
    record(fx, m, inputs, forward)
    fx.config(module="nn.TransformerEncoderLayer", d_model=E, nhead=NH, dim_feedforward=16, dropout=0.0,
              activation=activation + (" (exact erf form)" if activation == "gelu" else ""), layer_norm_eps=1e-5,
              batch_first=True, norm_first=norm_first, masked=masked,
              mask_meaning="src_mask and src_key_padding_mask: 1 (True) = may not attend / ignore this key",
              loss="sum(output*doutput)")
    return fx.save()


def decoder_fixture(root, name, seed, norm_first, activation):
    seeded(seed)
    m = nn.TransformerDecoderLayer(E, NH, dim_feedforward=16, dropout=0.0, activation=activation,
                                   batch_first=True, norm_first=norm_first)
    init_params(m)
    b, t, s = 2, 4, 6
    inputs = {"tgt": torch.randn(b, t, E), "memory": torch.randn(b, s, E),
              "tgt_mask": torch.triu(torch.ones(t, t, dtype=torch.bool), diagonal=1),
              "memory_key_padding_mask": torch.arange(s)[None, :] >= torch.tensor([6, 4])[:, None]}

    def forward(tgt, memory, tgt_mask, memory_key_padding_mask):
        return {"output": m(tgt, memory, tgt_mask=tgt_mask, memory_key_padding_mask=memory_key_padding_mask)}

    fx = Fixture(root, OUT + name + ".safetensors")
    m.train()
    record(fx, m, inputs, forward)
    fx.config(module="nn.TransformerDecoderLayer", d_model=E, nhead=NH, dim_feedforward=16, dropout=0.0,
              activation=activation + (" (exact erf form)" if activation == "gelu" else ""), layer_norm_eps=1e-5,
              batch_first=True, norm_first=norm_first,
              mask_meaning="tgt_mask (causal) and memory_key_padding_mask: 1 (True) = may not attend / ignore",
              loss="sum(output*doutput)")
    return fx.save()


def layernorm_fixture(root, name, seed, shape, normalized_shape):
    seeded(seed)
    m = nn.LayerNorm(normalized_shape, eps=1e-5, elementwise_affine=True)
    init_params(m)
    with torch.no_grad():
        m.weight.uniform_(0.5, 1.5)  # a gain, whatever its rank
    inputs = {"input": torch.randn(*shape) * 2 + 0.5}
    fx = Fixture(root, OUT + name + ".safetensors")
    record(fx, m, inputs, lambda input: {"output": m(input)})
    fx.config(module="nn.LayerNorm", normalized_shape=list(normalized_shape), eps=1e-5, elementwise_affine=True,
              input_shape=list(shape), loss="sum(output*doutput)")
    return fx.save()


def batchnorm_fixture(root, name, seed, shape, train):
    seeded(seed)
    c = shape[1]
    m = nn.BatchNorm1d(c, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True)
    init_params(m)
    with torch.no_grad():
        # Non-default running statistics, so both the eval path and the update formula are visible.
        m.running_mean.copy_(torch.randn(c) * 0.5)
        m.running_var.copy_(torch.rand(c) + 0.5)
    m.train(train)
    inputs = {"input": torch.randn(*shape) * 1.5 + 0.3}

    def forward(input):
        out = m(input)
        return {"output": out, "running_mean": m.running_mean.clone(), "running_var": m.running_var.clone()}

    fx = Fixture(root, OUT + name + ".safetensors")
    record(fx, m, inputs, forward, in_loss=["output"])
    fx.config(module="nn.BatchNorm1d", num_features=c, eps=1e-5, momentum=0.1, affine=True,
              track_running_stats=True, mode="train" if train else "eval", input_shape=list(shape),
              statistics="over B" if len(shape) == 2 else "over B and T",
              running_update="running = (1 - momentum) * running + momentum * batch_stat; running_var uses the "
                             "unbiased batch variance (n / (n - 1)), normalization the biased one" if train else
                             "eval: normalizes with param.running_mean/param.running_var; they stay unchanged",
              state="param.running_mean/param.running_var are the statistics before the step; "
                    "num_batches_tracked (int64) is omitted",
              loss="sum(output*doutput); running statistics are not in the loss")
    return fx.save()


def generate(root):
    return [
        mha_fixture(root, "mha_self", 201, 5, 5),
        mha_fixture(root, "mha_cross_kdim_vdim", 202, 4, 6, kdim=5, vdim=6, self_attention=False,
                    average_attn_weights=False),
        mha_fixture(root, "mha_key_padding_mask", 203, 5, 5, key_padding_lengths=[5, 3]),
        mha_fixture(root, "mha_causal", 204, 5, 5, causal=True, average_attn_weights=False),
        mha_fixture(root, "mha_cross_padding_causal", 205, 5, 5, self_attention=False, key_padding_lengths=[4, 2],
                    causal=True),
        sdpa_fixture(root, "sdpa", 211, 4, 6),
        sdpa_fixture(root, "sdpa_causal", 212, 5, 5, is_causal=True),
        sdpa_fixture(root, "sdpa_bool_mask", 213, 4, 6, with_mask=True),
        encoder_fixture(root, "encoder_post_relu", 221, False, "relu"),
        encoder_fixture(root, "encoder_post_gelu", 222, False, "gelu"),
        encoder_fixture(root, "encoder_pre_relu", 223, True, "relu"),
        encoder_fixture(root, "encoder_pre_gelu", 224, True, "gelu"),
        encoder_fixture(root, "encoder_post_relu_masked", 225, False, "relu", masked=True),
        decoder_fixture(root, "decoder_post_relu", 231, False, "relu"),
        decoder_fixture(root, "decoder_post_gelu", 232, False, "gelu"),
        decoder_fixture(root, "decoder_pre_relu", 233, True, "relu"),
        decoder_fixture(root, "decoder_pre_gelu", 234, True, "gelu"),
        layernorm_fixture(root, "layernorm", 241, (2, 3, 8), (8,)),
        layernorm_fixture(root, "layernorm_2d", 242, (2, 3, 8), (3, 8)),
        batchnorm_fixture(root, "batchnorm1d_bc_train", 251, (6, 4), True),
        batchnorm_fixture(root, "batchnorm1d_bct_train", 252, (3, 4, 5), True),
        batchnorm_fixture(root, "batchnorm1d_bc_eval", 253, (6, 4), False),
        batchnorm_fixture(root, "batchnorm1d_bct_eval", 254, (3, 4, 5), False),
    ]
