#!/usr/bin/env bash
# The network families of BENCHMARKS.md ("Network families against OR-Tools"): writes each family's DIMACS file
# once, then solves each file with the mcf crate (its `dimacs` example) and with OR-Tools' SimpleMinCostFlow
# (benches/peers/ortools_mcf.py), alternating, ROUNDS times, and prints one line per solve.
#
# Usage: benches/peers/mcf_families.sh DIR [ROUNDS] [FAMILY...]
#   DIR     where the DIMACS files are written (and reused if present)
#   ROUNDS  solves per solver and file (default 3)
#   FAMILY  any of ts-16384 ts-65536 ts-262144 square-65536 square-262144 long-65536 long-262144 assign-1000
#           (default: all); the engine's bipartite network is exported by `poa-match match --export-network`
#           (see BENCHMARKS.md) and can be passed as a path to a .dimacs file instead of a family name.
# Needs: cargo, python3 with ortools (`pip install ortools`). Run from the repository root.
set -euo pipefail
dir=${1:?usage: mcf_families.sh DIR [ROUNDS] [FAMILY...]}
rounds=${2:-3}
shift $(( $# >= 2 ? 2 : 1 ))
families=("$@")
if [ ${#families[@]} -eq 0 ]; then
  families=(ts-16384 ts-65536 ts-262144 square-65536 square-262144 long-65536 long-262144 assign-1000)
fi
mkdir -p "$dir"
cargo build --quiet --release -p mcf --examples
target=${CARGO_TARGET_DIR:-target}
gen="$target/release/examples/transshipment"
solve="$target/release/examples/dimacs"

# A dense assignment problem of n × n with costs 1..=100 (OR-Library's shape and costs, larger), from a fixed seed.
assignment() {
  python3 - "$1" "$2" <<'PY'
import random, sys
n, out = int(sys.argv[1]), sys.argv[2]
rng = random.Random(n)
with open(out, "w") as f:
    f.write(f"c dense assignment {n} x {n}, costs 1..=100, python random.Random({n})\np min {2*n} {n*n}\n")
    f.writelines(f"n {i+1} 1\n" for i in range(n))
    f.writelines(f"n {n+j+1} -1\n" for j in range(n))
    for i in range(n):
        f.writelines(f"a {i+1} {n+j+1} 0 1 {rng.randint(1, 100)}\n" for j in range(n))
PY
}

for family in "${families[@]}"; do
  case $family in
    *.dimacs) file=$family ;;
    *)
      file="$dir/$family.dimacs"
      if [ ! -s "$file" ]; then
        nodes=${family#*-}
        case $family in
          ts-*) "$gen" "$nodes" --no-solve --write "$file" > /dev/null ;;
          square-*) "$gen" "$nodes" --grid square --no-solve --write "$file" > /dev/null ;;
          long-*) "$gen" "$nodes" --grid long --no-solve --write "$file" > /dev/null ;;
          assign-*) assignment "$nodes" "$file" ;;
          *) echo "unknown family $family" >&2; exit 2 ;;
        esac
      fi
      ;;
  esac
  for round in $(seq "$rounds"); do
    echo "$family round $round mcf      $("$solve" "$file")"
    echo "$family round $round ortools  $(python3 benches/peers/ortools_mcf.py "$file")"
    echo "$family round $round load     $(cut -d' ' -f1-3 /proc/loadavg)"
  done
done
