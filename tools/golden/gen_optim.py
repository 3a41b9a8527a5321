"""Golden fixtures for core's gradient clipping, LR schedules and a schedule-driven optimizer trace.

Run: /usr/bin/python3 tools/golden/gen_optim.py  (deterministic; also usable as a generate_all module)

Files (core/src/test/resources/golden/), all float32; named optim_* (no output.loss, like the optimizer
traces of gen_core.py, so GoldenFixturesTest treats them alike):
- optim_clip_grad_norm: input.grad.<p> for p in w (3,4), b (4), u (2,2); per case c (see config.cases),
  output.<c>.grad.<p> after torch.nn.utils.clip_grad_norm_ and output.<c>.total_norm (shape []).
- optim_clip_grad_value: input.grad.<p>, output.grad.<p> after clip_grad_value_(value=0.5).
- optim_lr_schedules: output.step_lr (20) and output.cosine (20): optimizer.param_groups[0]["lr"] at epochs
  0..19, read before each scheduler.step() (which follows optimizer.step()).
- optim_trace_adamw_cosine: AdamW(amsgrad) with CosineAnnealingLR over 5 steps; param.<p> for w (3,4),
  b (4); input.grad<s>.<p> for s = 1..5, except b at steps 2 and 4 (no gradient: p.grad = None, so b is
  skipped); output.step<s>.<p> after opt.step(); sched.step() after each optimizer step.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import torch  # noqa: E402

from common import Fixture, seeded  # noqa: E402

OUT = "core/src/test/resources/golden/"
CLIP_CASES = {"l2_clipped": (1.0, 2.0), "l2_unclipped": (100.0, 2.0), "inf_clipped": (0.5, float("inf")),
              "l1_clipped": (2.0, 1.0)}


def _grads():
    return {"w": torch.randn(3, 4), "b": torch.randn(4) * 3, "u": torch.randn(2, 2) * 0.1}


def clip_grad_norm(root):
    seeded(500)
    grads = _grads()
    fx = Fixture(root, OUT + "optim_clip_grad_norm.safetensors")
    for k, g in grads.items():
        fx.put("input.grad." + k, g)
    for case, (max_norm, norm_type) in CLIP_CASES.items():
        params = {k: torch.nn.Parameter(torch.zeros_like(g)) for k, g in grads.items()}
        for k, p in params.items():
            p.grad = grads[k].clone()
        total = torch.nn.utils.clip_grad_norm_(list(params.values()), max_norm, norm_type)
        for k, p in params.items():
            fx.put(f"output.{case}.grad.{k}", p.grad)
        fx.put(f"output.{case}.total_norm", total.reshape([]))
    fx.config(function="torch.nn.utils.clip_grad_norm_", params=list(grads),
              cases={c: {"max_norm": m, "norm_type": "inf" if n == float("inf") else n}
                     for c, (m, n) in CLIP_CASES.items()})
    return fx.save()


def clip_grad_value(root):
    seeded(501)
    grads = _grads()
    fx = Fixture(root, OUT + "optim_clip_grad_value.safetensors")
    params = {k: torch.nn.Parameter(torch.zeros_like(g)) for k, g in grads.items()}
    for k, p in params.items():
        fx.put("input.grad." + k, grads[k])
        p.grad = grads[k].clone()
    torch.nn.utils.clip_grad_value_(list(params.values()), 0.5)
    for k, p in params.items():
        fx.put("output.grad." + k, p.grad)
    fx.config(function="torch.nn.utils.clip_grad_value_", clip_value=0.5, params=list(grads))
    return fx.save()


def lr_schedules(root):
    fx = Fixture(root, OUT + "optim_lr_schedules.safetensors")
    cases = {"step_lr": (lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5)),
             "cosine": (lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=7, eta_min=0.001))}
    for name, make in cases.items():
        opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
        sched = make(opt)
        lrs = []
        for _ in range(20):
            lrs.append(opt.param_groups[0]["lr"])
            opt.step()
            sched.step()
        fx.put("output." + name, torch.tensor(lrs, dtype=torch.float32))
    fx.config(base_lr=0.1, epochs=20, step_lr={"step_size": 3, "gamma": 0.5},
              cosine={"T_max": 7, "eta_min": 0.001},
              procedure="lr read from param_groups before opt.step(); sched.step() after it")
    return fx.save()


def adamw_cosine_trace(root, steps=5):
    seeded(502)
    init = {"w": torch.randn(3, 4), "b": torch.randn(4)}
    live = {k: torch.nn.Parameter(v.clone()) for k, v in init.items()}
    opt = torch.optim.AdamW(list(live.values()), lr=0.05, betas=(0.8, 0.9), eps=1e-6, weight_decay=0.1,
                            amsgrad=True, foreach=False)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=4, eta_min=0.005)
    fx = Fixture(root, OUT + "optim_trace_adamw_cosine.safetensors")
    for k, v in init.items():
        fx.put("param." + k, v)
    for s in range(1, steps + 1):
        for k, p in live.items():
            if k == "b" and s in (2, 4):
                p.grad = None
                continue
            g = torch.randn_like(p) * (0.5 ** s)
            p.grad = g.clone()
            fx.put(f"input.grad{s}.{k}", g)
        opt.step()
        sched.step()
        for k, p in live.items():
            fx.put(f"output.step{s}.{k}", p)
    fx.config(optimizer="torch.optim.AdamW", lr=0.05, betas=[0.8, 0.9], eps=1e-6, weight_decay=0.1, amsgrad=True,
              scheduler="CosineAnnealingLR", T_max=4, eta_min=0.005, steps=steps,
              skipped="b has no gradient at steps 2 and 4",
              procedure="p.grad = input.grad<s>.<p> (or None); opt.step(); sched.step(); output.step<s>.<p> = p")
    return fx.save()


def generate(root):
    return [clip_grad_norm(root), clip_grad_value(root), lr_schedules(root), adamw_cosine_trace(root)]


if __name__ == "__main__":
    for relpath, size in generate(os.path.dirname(os.path.dirname(HERE))):
        print(f"{size:8d}  {relpath}")
