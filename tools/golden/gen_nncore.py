"""Golden fixtures for core's nn package beyond gen_core.py: label-smoothed cross-entropy over
batch-first (B, T, C) logits, RMSNorm and an Embedding with a padding row.

Run: /usr/bin/python3 tools/golden/gen_nncore.py  (writes core/src/test/resources/golden/nncore_*).
Keys follow README.md: input.*, output.*, output.loss, grad.*, param.*; loss = sum(output * doutput)
for modules, the loss itself for losses.
"""

import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from common import Fixture, init_params, record, seeded  # noqa: E402

ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
DIR = "core/src/test/resources/golden/"


def cross_entropy_btc(reduction):
    """(B, T, C) logits with the class axis last, as Sequor takes them; PyTorch wants it second."""
    seeded(101)
    fx = Fixture(ROOT, DIR + f"nncore_ce_btc_smooth_{reduction}.safetensors")
    logits = torch.randn(2, 3, 5) * 2
    logits[1, 2] *= 30  # needs log-sum-exp
    target = torch.tensor([[0., 4., -100.], [2., -100., 1.]])
    leaf = logits.clone().requires_grad_(True)
    loss = torch.nn.functional.cross_entropy(leaf.permute(0, 2, 1), target.long(), ignore_index=-100,
                                             reduction=reduction, label_smoothing=0.1)
    seed = torch.randn_like(loss) if reduction == "none" else torch.ones_like(loss)
    (loss * seed).sum().backward()
    fx.put("input.logits", logits)
    fx.put("input.target", target)
    if reduction == "none":
        fx.put("input.doutput", seed)
        fx.put("output.output", loss)
    fx.put("output.loss", loss if reduction != "none" else (loss * seed).sum())
    fx.put("grad.logits", leaf.grad)
    fx.config(function="cross_entropy", logits_layout="(B, T, C), class axis last", ignore_index=-100,
              label_smoothing=0.1, reduction=reduction,
              loss="the loss itself" if reduction != "none" else "sum(output*doutput)")
    return fx.save()


def rms_norm():
    """PyTorch 1.13 has no nn.RMSNorm; this is its definition (torch >= 2.4) with eps=None."""
    seeded(102)
    fx = Fixture(ROOT, DIR + "nncore_rmsnorm.safetensors")
    weight = torch.empty(8).uniform_(0.5, 1.5).requires_grad_(True)
    eps = torch.finfo(torch.float32).eps

    def forward(input):
        return {"output": input * torch.rsqrt(input.pow(2).mean(-1, keepdim=True) + eps) * weight}

    fx.put("param.weight", weight)
    record(fx, None, {"input": torch.randn(2, 3, 8) * 2}, forward)
    fx.put("grad.weight", weight.grad)
    fx.config(module="nn.RMSNorm", normalized_shape=[8], eps=eps, elementwise_affine=True,
              loss="sum(output*doutput)")
    return fx.save()


def embedding_padding():
    seeded(103)
    fx = Fixture(ROOT, DIR + "nncore_embedding_padding.safetensors")
    emb = torch.nn.Embedding(6, 3, padding_idx=1)
    init_params(emb)
    with torch.no_grad():
        emb.weight[1].zero_()  # what padding_idx gives at construction
    ids = torch.tensor([[1., 0., 5., 1.], [3., 3., 2., 1.]])
    record(fx, emb, {"input": ids}, lambda input: {"output": emb(input.long())}, differentiable=[])
    fx.config(module="nn.Embedding", num_embeddings=6, embedding_dim=3, padding_idx=1,
              loss="sum(output*doutput)")
    return fx.save()


def generate(root=None):
    return [cross_entropy_btc("mean"), cross_entropy_btc("sum"), cross_entropy_btc("none"), rms_norm(),
            embedding_padding()]


if __name__ == "__main__":
    for path, size in generate():
        print(path, size)
