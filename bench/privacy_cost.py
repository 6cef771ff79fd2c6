"""What the anonymity rules cost in accuracy: shares of withheld figures, old rules vs new, side by side.

The rules suppress (they never perturb), so a figure that is shown is exact: its median and band
shift by 0. The cost is what is withheld. Measured on generated groups of 6–10 projects (answers
drawn like the demo's: a level per project and criterion, 2 % "nicht zutreffend", 0–12 % "weiß
nicht") and on a second round where every project revisits a few sub-criteria, for
- the old rules: a figure from k analyses, statements gated on answers of any kind, no round check;
- the new rules: `release_plan.plan_release` (2k − 1 ratings, per-item round check).

Run: .venv/bin/python -m bench.privacy_cost [--groups 300] [--k 3]
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Mapping

from mintqo.config import PROJECT_ROOT
from mintqo.domain import anonymity, release_plan
from mintqo.domain.histograms import contribution, histograms_of, statement_distribution
from mintqo.domain.questionnaire import DONT_KNOW, NOT_APPLICABLE, Questionnaire
from mintqo.questionnaire_files import load_file

KINDS = {"s": "Aussagen", "u": "Unterkriterien", "c": "Hauptkriterien", "d": "„weiß nicht“-Summen"}


def _answers(rng: random.Random, q: Questionnaire) -> dict[str, str]:
    levels = {c.id: rng.uniform(1.8, 3.6) for c in q.criteria}
    dont_know = rng.uniform(0.0, 0.12)
    out = {}
    for crit in q.criteria:
        for sub in crit.subcriteria:
            offset = rng.uniform(-0.5, 0.5)
            for st in sub.statements:
                roll = rng.random()
                if roll < dont_know:
                    out[st.id] = DONT_KNOW
                elif roll < dont_know + 0.02:
                    out[st.id] = NOT_APPLICABLE
                else:
                    out[st.id] = str(min(4, max(1, round(rng.gauss(levels[crit.id] + offset, 0.7)))))
    return out


def _second_round(rng: random.Random, q: Questionnaire, before: Mapping[str, str]) -> dict[str, str]:
    """Pre-filled from round 1; the project revisits 3 of the sub-criteria, one step better."""
    after = dict(before)
    for sub in rng.sample(list(q.subcriteria), 3):
        for st in sub.statements:
            v = after.get(st.id, "2")
            after[st.id] = str(min(4, int(v) + 1)) if v.isdigit() else "2"
    return after


def _old_withheld(hists: Mapping[str, Mapping[str, int]], n: int, k: int) -> set[str]:
    """Items the old rules withheld: axes below k scores, statements below k answers of any kind."""
    out = set()
    for item, hist in hists.items():
        if item.startswith("s:"):
            dist = statement_distribution(hist)
            answered = sum(c for b, c in dist.items() if b != "open")
        elif item.startswith(("u:", "c:")):
            answered = anonymity.rated(item, hist)
        else:
            answered = n
        if n < k or answered < k:
            out.add(item)
    return out


def _shares(items: set[str], withheld: set[str]) -> dict[str, float]:
    shares = {}
    for kind in KINDS:
        mine = [i for i in items if i.startswith(f"{kind}:")]
        shares[kind] = sum(i in withheld for i in mine) / len(mine) if mine else 0.0
    return shares


def run(groups: int, k: int) -> None:
    """Print the withheld shares per group size, old vs new, rounds 1 and 2."""
    q = load_file(PROJECT_ROOT / "data" / "questionnaires" / "mintqo-standard-2026.1.yaml")
    rng = random.Random(2026)
    print(f"k = {k}, gate = {anonymity.gate(k)}; {groups} generated groups per size; shares withheld")
    print("round 2: every project again; 2c: one project without round 2 (carried with its round-1")
    print("state); 2+1: every project again plus one that was not in round 1 (the projects differ)")
    print(f"{'size':>4} {'round':>5} {'rules':>5} " + " ".join(f"{v:>20}" for v in KINDS.values()))
    for size in range(6, 11):
        totals: dict[tuple[int, str], dict[str, float]] = {}
        for _ in range(groups):
            r1 = {p: _answers(rng, q) for p in range(size)}
            r2 = {p: _second_round(rng, q, a) for p, a in r1.items()}
            c1 = {p: contribution(q, a) for p, a in r1.items()}
            c2 = {p: contribution(q, a) for p, a in r2.items()}
            # round 2 where project 0 did no second round: carried with its round-1 state
            c2_carried = {**c2, 0: c1[0]}
            # round 2 with a newcomer that was not in round 1: the projects differ
            c2_new = {**c2, size: contribution(q, _answers(rng, q))}
            scenarios: list[
                tuple[int, dict[int, dict[str, str]], list[dict[int, dict[str, str]]], tuple[int, ...]]
            ] = [
                (1, c1, [], ()),
                (2, c2, [dict(c1)], ()),
                (3, c2_carried, [dict(c1)], (0,)),
                (4, c2_new, [dict(c1)], ()),
            ]
            for round_no, current, earlier, carried in scenarios:
                hists = histograms_of(current.values())
                plan = release_plan.plan_release(current, earlier, k, carried=carried)
                new = set(plan.withheld) if plan.allowed else set(hists)
                old = _old_withheld(hists, size, k)
                for rules, held in (("alt", old), ("neu", new)):
                    acc = totals.setdefault((round_no, rules), dict.fromkeys(KINDS, 0.0))
                    for kind, share in _shares(set(hists), held).items():
                        acc[kind] += share / groups
        for (round_no, rules), acc in sorted(totals.items()):
            cells = " ".join(f"{acc[kind]:>19.1%} " for kind in KINDS)
            label = {3: "2c", 4: "2+1"}.get(round_no, str(round_no))
            print(f"{size:>4} {label:>5} {rules:>5} {cells}")
    print("Shown figures are exact under both rules: median and band shift 0,00 wherever shown.")


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--groups", type=int, default=300)
    parser.add_argument("--k", type=int, default=3)
    args = parser.parse_args()
    run(args.groups, args.k)


if __name__ == "__main__":
    main()
