#!/usr/bin/env python3
"""Solve a DIMACS min-cost-flow file with OR-Tools' SimpleMinCostFlow: the reference peer for BENCHMARKS.md.

Usage: python3 benches/peers/ortools_mcf.py net.dimacs
Prints the optimum and the solve time (reading the file is timed separately), in the same form as
`cargo run --release --example solve_dimacs -- net.dimacs`. Needs `pip install ortools`; a dev-time tool only,
not used by the crate or its tests.
"""
import sys
import time

from ortools.graph.python import min_cost_flow


def main() -> None:
    path = sys.argv[1]
    started = time.perf_counter()
    tails, heads, caps, costs, supplies = [], [], [], [], {}
    nodes = 0
    with open(path) as f:
        for line in f:
            if not line or line[0] == "c":
                continue
            w = line.split()
            if not w:
                continue
            if w[0] == "p":
                nodes = int(w[2])
            elif w[0] == "n":
                supplies[int(w[1]) - 1] = int(w[2])
            elif w[0] == "a":
                tails.append(int(w[1]) - 1)
                heads.append(int(w[2]) - 1)
                caps.append(int(w[4]))
                costs.append(int(w[5]))
    smcf = min_cost_flow.SimpleMinCostFlow()
    smcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    for node in range(nodes):
        smcf.set_node_supply(node, supplies.get(node, 0))
    read_s = time.perf_counter() - started
    started = time.perf_counter()
    status = smcf.solve()
    solve_s = time.perf_counter() - started
    if status != smcf.OPTIMAL:
        sys.exit(f"OR-Tools status {status}")
    print(f"nodes {nodes} arcs {len(tails)} min_cost {smcf.optimal_cost()} read_s {read_s:.3f} solve_s {solve_s:.3f}")


if __name__ == "__main__":
    main()
