#!/usr/bin/env python3
"""Derive data/countries.csv and data/regions.csv from the public
`datasets/country-codes` data package (country-codes.csv, ODC-PDDL-1.0).

Usage:
    python3 data/tools/derive_countries.py PATH/TO/country-codes.csv [OUT_DIR]

OUT_DIR defaults to the `data/` directory that contains this script.
Python 3 standard library only; the output is deterministic (sorted rows,
fixed column order, LF line endings, UTF-8 without BOM).
"""

import csv
import os
import sys

COUNTRY_HEADER = [
    "alpha2", "alpha3", "m49", "region_code", "region", "subregion_code",
    "subregion", "intermediate_region_code", "ldc", "lldc", "sids",
    "name_en", "name_zh",
]
REGION_HEADER = ["m49", "name_en", "name_zh", "kind"]

# Standard UN Chinese names of the M49 regions and sub-regions (the source
# file carries English names only).
ZH_NAMES = {
    1: "世界",
    2: "非洲",
    5: "南美洲",
    9: "大洋洲",
    11: "西部非洲",
    13: "中美洲",
    14: "东部非洲",
    15: "北非",
    17: "中部非洲",
    18: "南部非洲",
    19: "美洲",
    21: "北美洲",
    29: "加勒比",
    30: "东亚",
    34: "南亚",
    35: "东南亚",
    39: "南欧",
    53: "澳大利亚和新西兰",
    54: "美拉尼西亚",
    57: "密克罗尼西亚",
    61: "波利尼西亚",
    142: "亚洲",
    143: "中亚",
    145: "西亚",
    150: "欧洲",
    151: "东欧",
    154: "北欧",
    155: "西欧",
    202: "撒哈拉以南非洲",
    419: "拉丁美洲和加勒比",
}

LEVELS = [
    # (code column, name column, kind)
    ("Region Code", "Region Name", "region"),
    ("Sub-region Code", "Sub-region Name", "subregion"),
    ("Intermediate Region Code", "Intermediate Region Name", "intermediate"),
]


def clean(value):
    return (value or "").strip()


def code(value, what, line):
    """M49-style numeric code -> int string without leading zeros, or ''."""
    v = clean(value)
    if not v:
        return ""
    if not v.isdigit():
        raise SystemExit(f"line {line}: {what}: not a numeric code: {v!r}")
    return str(int(v))


def flag(value, what, line):
    v = clean(value).lower()
    if v == "x":
        return "true"
    if v == "":
        return "false"
    raise SystemExit(f"line {line}: {what}: expected 'x' or blank, found {v!r}")


def first(*values):
    for v in values:
        v = clean(v)
        if v:
            return v
    return ""


def main(argv):
    if len(argv) not in (2, 3):
        sys.stderr.write(__doc__)
        return 2
    src = argv[1]
    out_dir = argv[2] if len(argv) == 3 else os.path.dirname(
        os.path.dirname(os.path.abspath(__file__)))

    countries = []
    regions = {1: ("World", "region-world")}
    seen_a2, seen_a3 = set(), set()
    skipped = 0
    with open(src, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        for row in reader:
            line = reader.line_num
            a2 = clean(row.get("ISO3166-1-Alpha-2")).upper()
            a3 = clean(row.get("ISO3166-1-Alpha-3")).upper()
            m49 = code(row.get("M49"), "M49", line)
            if not (a2 and a3 and m49):
                skipped += 1
                continue
            if a2 in seen_a2 or a3 in seen_a3:
                raise SystemExit(f"line {line}: duplicate alpha-2/alpha-3 {a2}/{a3}")
            seen_a2.add(a2)
            seen_a3.add(a3)

            codes = {}
            for col, name_col, kind in LEVELS:
                c = code(row.get(col), col, line)
                codes[kind] = c
                if c:
                    name = clean(row.get(name_col))
                    key = int(c)
                    prev = regions.get(key)
                    if prev is not None and prev != (name, kind):
                        raise SystemExit(
                            f"line {line}: M49 {c} seen as {prev}, now {(name, kind)}")
                    regions[key] = (name, kind)

            countries.append({
                "alpha2": a2,
                "alpha3": a3,
                "m49": m49,
                "region_code": codes["region"],
                "region": clean(row.get("Region Name")) if codes["region"] else "",
                "subregion_code": codes["subregion"],
                "subregion": clean(row.get("Sub-region Name")) if codes["subregion"] else "",
                "intermediate_region_code": codes["intermediate"],
                "ldc": flag(row.get("Least Developed Countries (LDC)"), "LDC", line),
                "lldc": flag(row.get("Land Locked Developing Countries (LLDC)"), "LLDC", line),
                "sids": flag(row.get("Small Island Developing States (SIDS)"), "SIDS", line),
                "name_en": first(row.get("UNTERM English Short"),
                                 row.get("CLDR display name"),
                                 row.get("official_name_en")),
                "name_zh": first(row.get("UNTERM Chinese Short"),
                                 row.get("official_name_cn")),
            })

    countries.sort(key=lambda r: r["alpha3"])
    with open(os.path.join(out_dir, "countries.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COUNTRY_HEADER, lineterminator="\n")
        w.writeheader()
        w.writerows(countries)

    with open(os.path.join(out_dir, "regions.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(REGION_HEADER)
        for key in sorted(regions):
            name, kind = regions[key]
            if kind == "region-world":
                kind = "region"
            w.writerow([key, name, ZH_NAMES.get(key, ""), kind])

    sys.stderr.write(f"countries.csv: {len(countries)} rows ({skipped} skipped); "
                     f"regions.csv: {len(regions)} rows\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
