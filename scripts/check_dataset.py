#!/usr/bin/env python3
"""Reads a dataset of `duban corpus extract` with an independent reader (DuckDB) and checks it
against the JSONL output: row counts of every table in Parquet (hive-partitioned by year), CSV
(UTF-8 with BOM) and JSONL agree, ids are unique, and every Parquet row of the targets and
outcomes equals its JSONL row, column by column.

Usage: scripts/check_dataset.py DIR   (exit 1 on the first disagreement)
"""

import json
import sys
from pathlib import Path

import duckdb

TABLES = ["reports", "sections", "commitments", "targets", "outcomes", "goals"]
COMPARED = {"targets": "target_id", "outcomes": "outcome_id", "reports": "report_id"}


def fail(message):
    print(f"check_dataset: {message}", file=sys.stderr)
    sys.exit(1)


def main():
    if len(sys.argv) != 2:
        fail("usage: check_dataset.py DIR")
    root = Path(sys.argv[1])
    package = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    con = duckdb.connect()
    summary = []
    for resource in package["resources"]:
        table = resource["name"]
        columns = [f["name"] for f in resource["schema"]["fields"]]
        rows = [
            json.loads(line)
            for line in (root / "jsonl" / f"{table}.jsonl").read_text(encoding="utf-8").splitlines()
            if line
        ]
        parts = root / "parquet" / table
        pattern = str(parts / "*" / "*.parquet")
        n_parquet = 0
        if any(parts.glob("*/*.parquet")):
            n_parquet = con.execute(
                f"SELECT count(*) FROM read_parquet('{pattern}', hive_partitioning = true)"
            ).fetchone()[0]
        csv = root / "csv" / f"{table}.csv"
        if not csv.read_bytes().startswith(b"\xef\xbb\xbf"):
            fail(f"{csv}: no UTF-8 BOM")
        csv_header = (
            con.execute(f"SELECT * FROM read_csv('{csv}', header = true, all_varchar = true) LIMIT 0")
            .description
        )
        if [d[0] for d in csv_header] != columns:
            fail(f"{csv}: header {[d[0] for d in csv_header]} is not the datapackage's {columns}")
        n_csv = con.execute(
            f"SELECT count(*) FROM read_csv('{csv}', header = true, all_varchar = true)"
        ).fetchone()[0]
        if not (len(rows) == n_parquet == n_csv):
            fail(f"{table}: JSONL {len(rows)}, Parquet {n_parquet}, CSV {n_csv} rows")
        summary.append(f"{table} {len(rows)}")
        key = COMPARED.get(table)
        if key is None or not rows:
            continue
        by_id = {r[key]: r for r in rows}
        if len(by_id) != len(rows):
            fail(f"{table}: {key} not unique")
        cur = con.execute(f"SELECT * FROM read_parquet('{pattern}', hive_partitioning = true)")
        names = [d[0] for d in cur.description]
        if sorted(names) != sorted(columns):
            fail(f"{table}: Parquet columns {names} are not the datapackage's {columns}")
        for values in cur.fetchall():
            got = dict(zip(names, values))
            want = by_id.get(got[key])
            if want is None:
                fail(f"{table}: {got[key]} in Parquet, not in JSONL")
            for c in columns:
                a, b = got[c], want[c]
                if isinstance(b, float) or isinstance(a, float):
                    same = a is not None and b is not None and abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(b)))
                    same = same or (a is None and b is None)
                else:
                    same = a == b
                if not same:
                    fail(f"{table} {got[key]} {c}: Parquet {a!r}, JSONL {b!r}")
    print("dataset check ok (DuckDB " + duckdb.__version__ + "): " + ", ".join(summary))


if __name__ == "__main__":
    main()
