"""Writes the seven restated KV spec drafts (`<name>/spec.toml`, `<name>/spec.v`) from one table.

They include the shared library `specs/kv/common/model.v` and state its module types; they
are drafts in test data, not shipped specs, until the genuine stores are re-proved against
them (issue 13, stage 3). Every witness is implied by its spec's theorems (see
specs/kv/README.md, "Restated model"). Run: python tests/data/kv_restated/generate.py
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
INCLUDE = "../../../../specs/kv/common/model.v"

RUN = "run_schedule (M.init nat) (M.put nat) (M.get nat) (M.deliverable nat) (M.deliver nat)"

#: name -> (correctness module type, safety theorem's property, description)
SPECS = {
    "ryw": ("RYW_CORRECT", "ryw", "Read your writes (Terry et al. 1994) over the restated model"),
    "monotonic_reads": ("MR_CORRECT", "monotonic_reads", "Monotonic reads (Terry et al. 1994) over the restated model"),
    "monotonic_writes": ("MW_CORRECT", "monotonic_writes", "Monotonic writes (Terry et al. 1994) over the restated model"),
    "writes_follow_reads": ("WFR_CORRECT", "writes_follow_reads",
                            "Writes follow reads (Terry et al. 1994) over the restated model"),
    "causal": ("CAUSAL_CORRECT", "causal", "Causal consistency as Chapar's abstract causal store, over the restated model"),
    "convergence": ("CONVERGENCE_CORRECT", "convergence", "Convergence with one arbitration order, over the restated model"),
    "pram": ("PRAM_CORRECT", "pram", "PRAM (one serialization per replica respecting session order), over the restated model"),
}

ALL = list(SPECS)
#: (name, schedule expression builder, expect, the specs whose theorems imply it)
WITNESSES = [
    ("deliver_all_then_read", f"{RUN} 3 [Put 0 1 7; DeliverAll; Get 1 1; Get 2 1; Get 0 1]",
     "[Some 7; Some 7; Some 7]", ALL),
    ("four_replicas", f"{RUN} 4 [Put 3 1 7; DeliverAll; Get 0 1; Get 3 1]", "[Some 7; Some 7]", ALL),
    ("one_replica", f"{RUN} 1 [Put 0 1 7; Put 0 1 8; Get 0 1; DeliverAll; Get 0 1]", "[Some 8; Some 8]", ALL),
    ("not_visible_before_delivery", f"{RUN} 3 [Put 0 1 7; Get 1 1; Get 2 1]", "[None; None]", ALL),
    ("unwritten_key", f"{RUN} 3 [Put 1 3 5; DeliverAll; Get 0 4; Get 2 3]", "[None; Some 5]", ALL),
    ("overwrite_everywhere", f"{RUN} 3 [Put 0 1 1; Put 0 1 2; DeliverAll; Get 1 1; Get 2 1; Get 0 1]",
     "[Some 2; Some 2; Some 2]", ALL),
    ("out_of_order_arrival", f"{RUN} 3 [Put 0 1 1; Put 0 1 2; Deliver 3; Deliver 2; DeliverAll; Get 1 1; Get 2 1]",
     "[Some 2; Some 2]", ALL),
    ("causal_chain", f"{RUN} 3 [Put 0 1 1; DeliverAll; Put 1 1 2; DeliverAll; Put 2 1 3; DeliverAll; "
     "Get 0 1; Get 1 1; Get 2 1]", "[Some 3; Some 3; Some 3]", [n for n in ALL if n != "pram"]),
    ("own_write_visible", f"{RUN} 3 [Put 2 5 9; Get 2 5]", "[Some 9]", ["ryw", "causal", "pram"]),
    # issue 13: the flip-flop store answers 2, then 1, at quiescence
    ("flip_flop_same_answer", f"all_same ({RUN} 3 [Put 0 1 1; Put 1 1 2; DeliverAll; Get 0 1; Put 2 5 5; "
     "DeliverAll; Get 0 1])", "true", ALL),
    ("replicas_agree", f"all_same ({RUN} 3 [Put 0 1 1; Put 1 1 2; DeliverAll; Get 0 1; Get 1 1; Get 2 1])",
     "true", ["convergence"]),
    # issue 13: the forgetting store reads key 1, then nothing
    ("forget_not_none_after_some", f"outs_eqb ({RUN} 3 [Put 0 1 1; Deliver 0; Put 1 2 2; Deliver 2; Get 2 1; "
     "Put 2 9 9; Get 2 1]) [Some 1; None]", "false", ["monotonic_reads", "causal", "pram"]),
    # issue 13: the FIFO-only store on two cross-origin schedules
    ("fifo_cross_origin_mr", f"outs_eqb ({RUN} 3 [Put 0 1 1; Deliver 0; Put 1 1 2; Deliver 2; Get 2 1; "
     "Deliver 0; Get 2 1]) [Some 2; Some 1]", "false", ["monotonic_reads", "causal"]),
    ("fifo_cross_origin_ryw", f"outs_eqb ({RUN} 3 [Put 0 1 1; Deliver 0; Put 1 2 5; Deliver 2; Get 2 2; "
     "Put 2 1 3; Deliver 0; Get 2 1]) [Some 5; Some 1]", "false", ["ryw", "causal"]),
    ("session_order_kept", f"outs_eqb ({RUN} 3 [Put 0 1 1; Put 0 1 2; Deliver 2; Get 1 1; Deliver 0; Get 1 1]) "
     "[Some 2; Some 1]", "false", ["monotonic_reads", "causal", "pram"]),
]


def toml(name: str) -> str:
    correctness, prop, description = SPECS[name]
    lines = [
        f'name = "{name}"',
        f'description = "{description}: any number of replicas, exact read-from (the store is polymorphic in the '
        'value type), get may update state; liveness: every maximal sequence of deliveries leaves nothing in flight."',
        'signature = "KV_SIG"',
        f'correctness = "{correctness}"',
        f'include = ["{INCLUDE}"]',
        'files = ["spec.v"]',
    ]
    for wname, expr, expect, specs in WITNESSES:
        if name in specs:
            lines += ["", "[[witness]]", f'name = "{wname}"', f'expr = "{expr}"', f'expect = "{expect}"']
    return "\n".join(lines) + "\n"


def spec_v(name: str) -> str:
    correctness, prop, description = SPECS[name]
    return f"""(** {description} ([specs/kv/common/model.v], property [{prop}]).
    A DRAFT: the genuine stores are not yet re-proved against it. *)
From Spec Require Import model.

Module Type KV_SIG := model.KV_SIG.
Module Type {correctness} (M : KV_SIG) := model.{correctness} M.
"""


def main() -> None:
    for name in SPECS:
        d = HERE / name
        d.mkdir(exist_ok=True)
        (d / "spec.toml").write_text(toml(name), encoding="utf-8")
        (d / "spec.v").write_text(spec_v(name), encoding="utf-8")


if __name__ == "__main__":
    main()
