"""Golden fixtures for core: losses and a three-step optimizer trace.

Written to core/src/test/resources/golden/. Loss fixtures hold the scalar loss and the gradient of that
loss itself (no extra weighting). Optimizer fixtures hold parameters after each of three steps taken
with fixed, stored gradients.
"""

import torch
import torch.nn.functional as F

from common import Fixture, seeded

OUT = "core/src/test/resources/golden/"


def _loss_fixture(root, name, cfg, inputs, grad_of, fn):
    leaves = {k: v.detach().clone().requires_grad_(k in grad_of) for k, v in inputs.items()}
    loss = fn(**leaves)
    loss.backward()
    fx = Fixture(root, OUT + name + ".safetensors")
    for k, v in inputs.items():
        fx.put("input." + k, v.float())
    fx.put("output.loss", loss)
    for k in grad_of:
        fx.put("grad." + k, leaves[k].grad)
    fx.config(**cfg, gradients="of output.loss itself, for " + ", ".join(grad_of))
    return fx.save()


def _class_logits():
    logits = torch.randn(6, 5)
    logits[1] *= 40  # large logits: an implementation without log-sum-exp shifting overflows here
    return logits


def losses(root):
    files = []
    seeded(301)
    logits = _class_logits()
    target = torch.tensor([0, 4, -100, 2, -100, 1])
    for reduction in ("mean", "sum"):
        files.append(_loss_fixture(
            root, "loss_cross_entropy_" + reduction,
            dict(function="F.cross_entropy", reduction=reduction, ignore_index=-100, label_smoothing=0.0,
                 target="class indices stored as float; -100 entries are ignored",
                 mean="sum over non-ignored rows / number of non-ignored rows"),
            {"logits": logits, "target": target}, ["logits"],
            lambda logits, target: F.cross_entropy(logits, target, ignore_index=-100, reduction=reduction)))
    seeded(302)
    logits = _class_logits()
    target = torch.tensor([3, 0, 3, 2, 4, 1])
    files.append(_loss_fixture(
        root, "loss_cross_entropy_ignore3_mean",
        dict(function="F.cross_entropy", reduction="mean", ignore_index=3, label_smoothing=0.0,
             target="class indices stored as float; entries equal to 3 are ignored"),
        {"logits": logits, "target": target}, ["logits"],
        lambda logits, target: F.cross_entropy(logits, target, ignore_index=3, reduction="mean")))
    seeded(303)
    log_probs = torch.log_softmax(torch.randn(6, 5), dim=1)
    target = torch.tensor([1, -100, 0, 4, 4, 2])
    for reduction in ("mean", "sum"):
        files.append(_loss_fixture(
            root, "loss_nll_" + reduction,
            dict(function="F.nll_loss", reduction=reduction, ignore_index=-100,
                 input="log-probabilities (log_softmax of random logits)",
                 target="class indices stored as float; -100 entries are ignored"),
            {"input": log_probs, "target": target}, ["input"],
            lambda input, target: F.nll_loss(input, target, ignore_index=-100, reduction=reduction)))
    seeded(304)
    pred, tgt = torch.randn(3, 4), torch.randn(3, 4)
    for reduction in ("mean", "sum"):
        files.append(_loss_fixture(
            root, "loss_mse_" + reduction, dict(function="F.mse_loss", reduction=reduction),
            {"input": pred, "target": tgt}, ["input", "target"],
            lambda input, target: F.mse_loss(input, target, reduction=reduction)))
    seeded(305)
    logits = torch.randn(3, 4) * 3
    logits[0] = torch.tensor([40.0, -40.0, 100.0, -100.0])  # saturated: needs the stable formula
    tgt = torch.rand(3, 4)
    tgt[1] = torch.tensor([0.0, 1.0, 1.0, 0.0])
    tgt[0] = torch.tensor([0.0, 1.0, 1.0, 0.0])
    for reduction in ("mean", "sum"):
        files.append(_loss_fixture(
            root, "loss_bce_with_logits_" + reduction,
            dict(function="F.binary_cross_entropy_with_logits", reduction=reduction, weight=None, pos_weight=None,
                 target="probabilities in [0, 1]: rows 0 and 1 hard 0/1 labels, row 2 soft labels"),
            {"logits": logits, "target": tgt}, ["logits"],
            lambda logits, target: F.binary_cross_entropy_with_logits(logits, target, reduction=reduction)))
    return files


OPTIMIZERS = [
    ("sgd", torch.optim.SGD, dict(lr=0.1)),
    ("sgd_momentum", torch.optim.SGD, dict(lr=0.1, momentum=0.9)),
    ("sgd_nesterov_wd", torch.optim.SGD, dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)),
    ("sgd_momentum_dampening_wd", torch.optim.SGD, dict(lr=0.05, momentum=0.8, dampening=0.3, weight_decay=0.05)),
    ("adam", torch.optim.Adam, dict(lr=0.01, betas=(0.9, 0.999), eps=1e-8)),
    ("adam_l2", torch.optim.Adam, dict(lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)),
    ("adam_amsgrad", torch.optim.Adam, dict(lr=0.01, amsgrad=True)),
    ("adamw", torch.optim.AdamW, dict(lr=0.01, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.1)),
]


def optimizers(root, steps=3):
    files = []
    for i, (name, cls, hp) in enumerate(OPTIMIZERS):
        seeded(400 + i)
        params = {"w": torch.randn(3, 4), "b": torch.randn(4)}
        grads = [{k: torch.randn_like(v) for k, v in params.items()} for _ in range(steps)]
        # Step 3's gradient for b is small, so Adam's eps and AMSGrad's max are both exercised.
        grads[2]["b"] *= 1e-3
        live = {k: torch.nn.Parameter(v.clone()) for k, v in params.items()}
        opt = cls(list(live.values()), foreach=False, **hp)
        fx = Fixture(root, OUT + "optim_" + name + ".safetensors")
        for k, v in params.items():
            fx.put("param." + k, v)
        for s in range(steps):
            for k, p in live.items():
                p.grad = grads[s][k].clone()
                fx.put(f"input.grad{s + 1}.{k}", grads[s][k])
            opt.step()
            for k, p in live.items():
                fx.put(f"output.step{s + 1}.{k}", p)
        cfg = {k: (list(v) if isinstance(v, tuple) else v) for k, v in hp.items()}
        full = {k: (list(v) if isinstance(v, tuple) else v) for k, v in opt.defaults.items()
                if isinstance(v, (int, float, bool, tuple)) and k not in ("foreach", "differentiable", "fused")}
        fx.config(optimizer="torch.optim." + cls.__name__, given=cfg, hyperparameters=full, steps=steps,
                  params=["w", "b"],
                  procedure="p.grad = input.grad<s>.<name>; opt.step(); output.step<s>.<name> = p, for s = 1..3, "
                            "starting from param.<name>; single-tensor (foreach=False) implementation")
        files.append(fx.save())
    return files


def generate(root):
    return losses(root) + optimizers(root)
