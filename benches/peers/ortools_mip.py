#!/usr/bin/env python3
"""Solve a batch's allocation with every integer rule of SPEC §5 by OR-Tools' CP-SAT: the peer that says whether
the engine's bound or its incumbent is what keeps a gap open.

Usage:
    poa-match match --needs N.csv --offers O.csv --export-network net.dimacs --out DIR
    python3 benches/peers/ortools_mip.py N.csv O.csv net.dimacs [seconds] [workers] [cpsat|scip|highs]

The eligible edges (their upper limits and values) come from the exported network, whose first arcs are the
edges in graph order (need nodes 1..needs in file order, offer nodes after them); the integer rules come from the
two CSV files. Prints the solver's best allocation value, its proven bound and its status. CP-SAT (the
default) is a constraint solver; SCIP and HiGHS, through `pywraplp`, are LP-based branch and bound like the
engine's. A dev-time tool only
(`pip install ortools`), not used by the crate or its tests.

For SCIP and HiGHS, two environment variables help compare the search's pieces (BENCHMARKS.md, eighth session):
    POA_PEER_PARAMS  solver-specific parameters, `;`-separated, e.g. for SCIP with presolve, cuts and propagation
                     off: "presolving/maxrounds = 0; separating/maxrounds = 0; separating/maxroundsroot = 0;
                     propagating/maxrounds = 0; propagating/maxroundsroot = 0"
                     (add "branching/mostinf/priority = 1000000" for most-infeasible branching)
    POA_PEER_LP=1    solve the linear relaxation only (every variable continuous): the root LP
The number of branch-and-bound nodes is printed too.
"""
import csv
import os
import sys
import time

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model


def read_rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def read_edges(path, needs, offers):
    """(need, offer, upper, value) for each need → offer arc of the DIMACS file."""
    edges = []
    with open(path) as f:
        for line in f:
            w = line.split()
            if not w or w[0] != "a":
                continue
            tail, head, cap, cost = int(w[1]) - 1, int(w[2]) - 1, int(w[4]), int(w[5])
            if tail < needs and needs <= head < needs + offers:
                edges.append((tail, head - needs, cap, -cost))
    return edges


def whole(text):
    return int(text) if text and text.strip() else None


def main() -> None:
    needs = read_rows(sys.argv[1])
    offers = read_rows(sys.argv[2])
    edges = read_edges(sys.argv[3], len(needs), len(offers))
    seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 120.0
    workers = int(sys.argv[5]) if len(sys.argv) > 5 else 2
    backend = sys.argv[6] if len(sys.argv) > 6 else "cpsat"
    if backend == "cpsat":
        model = CpSat()
    else:
        model = LinearMip(backend.upper(), seconds, workers)

    x, used = [], []
    by_need = [[] for _ in needs]
    by_offer = [[] for _ in offers]
    for k, (n, o, upper, _value) in enumerate(edges):
        x.append(model.new_int_var(0, upper, f"x{k}"))
        used.append(model.new_bool_var(f"y{k}"))
        floor = whole(offers[o]["floor_per_need_usd"]) or 1
        model.add(x[k] >= min(floor, upper) * used[k])
        model.add(x[k] <= upper * used[k])
        if floor > upper:
            model.add(used[k] == 0)
        by_need[n].append(k)
        by_offer[o].append(k)
    for n, row in enumerate(needs):
        amount = int(row["amount_usd"])
        total = sum(x[k] for k in by_need[n])
        model.add(total <= amount)
        must = amount if row["funding_mode"] == "all_or_nothing" else whole(row["min_award_usd"])
        if must and by_need[n]:
            on = model.new_bool_var(f"z{n}")
            model.add(total >= must * on)
            model.add(total <= amount * on)
    for o, row in enumerate(offers):
        ks = by_offer[o]
        if not ks:
            continue
        model.add(sum(x[k] for k in ks) <= int(row["envelope_usd"]))
        k_max = whole(row["max_awards"])
        if k_max is not None:
            model.add(sum(used[k] for k in ks) <= k_max)
        if row["allow_cofinance"].strip().lower() == "false":
            for k in ks:
                n = edges[k][0]
                amount = int(needs[n]["amount_usd"])
                others = [j for j in by_need[n] if j != k]
                if others:
                    model.add(sum(x[j] for j in others) <= amount * (1 - used[k]))
    model.maximize(sum(value * x[k] for k, (_, _, _, value) in enumerate(edges)))

    started = time.perf_counter()
    status, objective, bound = model.solve(seconds, workers)
    elapsed = time.perf_counter() - started
    print(f"solver {backend}")
    print(f"edges {len(edges)}")
    print(f"status {status}")
    print(f"objective {objective:.0f}")
    print(f"bound {bound:.0f}")
    print(f"solve_s {elapsed:.2f}")


class CpSat:
    """The model on CP-SAT."""

    def __init__(self):
        self.m = cp_model.CpModel()

    def new_int_var(self, lo, hi, name):
        return self.m.new_int_var(lo, hi, name)

    def new_bool_var(self, name):
        return self.m.new_bool_var(name)

    def add(self, constraint):
        self.m.add(constraint)

    def maximize(self, expr):
        self.m.maximize(expr)

    def solve(self, seconds, workers):
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = seconds
        solver.parameters.num_workers = workers
        status = solver.solve(self.m)
        return solver.status_name(status), solver.objective_value, solver.best_objective_bound


class LinearMip:
    """The same model on an LP-based MIP solver through pywraplp."""

    def __init__(self, name, seconds, workers):
        self.s = pywraplp.Solver.CreateSolver(name)
        if self.s is None:
            raise SystemExit(f"OR-Tools has no solver {name}")

    def new_int_var(self, lo, hi, name):
        return self.s.NumVar(lo, hi, name) if os.environ.get("POA_PEER_LP") else self.s.IntVar(lo, hi, name)

    def new_bool_var(self, name):
        return self.s.NumVar(0, 1, name) if os.environ.get("POA_PEER_LP") else self.s.BoolVar(name)

    def add(self, constraint):
        self.s.Add(constraint)

    def maximize(self, expr):
        self.s.Maximize(expr)

    def solve(self, seconds, workers):
        self.s.SetTimeLimit(int(seconds * 1000))
        self.s.SetNumThreads(workers)
        # pywraplp stops at a relative gap of 1e-4 by default; the engine's "optimal" means gap 0.
        params = pywraplp.MPSolverParameters()
        params.SetDoubleParam(pywraplp.MPSolverParameters.RELATIVE_MIP_GAP, 0.0)
        extra = os.environ.get("POA_PEER_PARAMS")
        if extra and not self.s.SetSolverSpecificParametersAsString("\n".join(p.strip() for p in extra.split(";"))):
            raise SystemExit(f"the solver refused POA_PEER_PARAMS: {extra}")
        status = self.s.Solve(params)
        print(f"nodes {self.s.nodes()}")
        names = {
            pywraplp.Solver.OPTIMAL: "OPTIMAL",
            pywraplp.Solver.FEASIBLE: "FEASIBLE",
            pywraplp.Solver.INFEASIBLE: "INFEASIBLE",
            pywraplp.Solver.NOT_SOLVED: "NOT_SOLVED",
        }
        objective = self.s.Objective().Value()
        return names.get(status, str(status)), objective, self.s.Objective().BestBound()


if __name__ == "__main__":
    main()
