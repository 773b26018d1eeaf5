"""The lead's dashboard and the funder report at a small and at the large size: SQL statements,
p50 / p95 over ``--requests`` requests, and the time to make the XLSX and the CSV of a year.
Not a test: machines are noisy. Targets (issue 11): < 200 ms p95 on PostgreSQL, the same
statement count at both sizes, the XLSX of a year in < 2 s.

    .venv/bin/python benchmarks/cockpit.py                # SQLite files in /tmp
    .venv/bin/python benchmarks/cockpit.py --postgres     # maatjes_small / maatjes_large
    .venv/bin/python benchmarks/cockpit.py --reuse        # the data sets pages.py built

Both sizes are built by ``large_data.build`` (the small one at 1%).
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import large_data  # noqa: E402
import pages  # noqa: E402

from maatjes.extensions import db  # noqa: E402

# The data set's "today" is large_data.TODAY; the periods are given as dates around it so that
# they hold data whatever day the benchmark runs.
YEAR = "period=custom&start=2026-01-01&end=2026-12-31"
QUARTER = "period=custom&start=2026-10-01&end=2026-12-31"
PAGES = (
    f"/lead/dashboard?{QUARTER}",
    f"/lead/dashboard?{YEAR}&area=2",
    f"/lead/dashboard?{YEAR}&organisation=1",
    f"/lead/report?{QUARTER}",
    f"/lead/report?{YEAR}",
    f"/lead/report?{YEAR}&area=1&organisation=2",
    f"/lead/report.xlsx?{YEAR}",
    f"/lead/report.csv?{YEAR}",
)


def measure(url: str, requests: int) -> dict[str, tuple[int, int, float, float]]:
    app = pages.deployed_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        engine = db.engine
    client = pages.logged_in_client(app, large_data.ACCOUNTS["lead"])
    with pages.counting(engine) as counted:
        results = {path: pages.timed(client, path, requests, counted) for path in PAGES}
    with app.app_context():
        db.engine.dispose()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--reuse", action="store_true", help="do not rebuild the data sets")
    args = parser.parse_args()
    measured = pages.measured_sizes(args.postgres, args.requests, 1.0, args.reuse, measure)
    print()
    header = f"{'page':<66} {'stmts':>11} {'KB large':>9} {'p50 ms':>8} {'p95 ms':>8}"
    print(header)
    print("-" * len(header))
    grown, missed = [], []
    for path, (statements, size, p50, p95) in measured["large"].items():
        small_statements = measured["small"][path][0]
        flag = "" if small_statements == statements else "  ← grows"
        print(
            f"{path:<66} {small_statements:>4} → {statements:<4} {size / 1024:>9.1f}"
            f" {p50:>8.1f} {p95:>8.1f}{flag}"
        )
        if flag:
            grown.append(path)
        limit = 2000 if path.startswith("/lead/report.xlsx") else 200
        if args.postgres and p95 >= limit:
            missed.append(f"{path}: p95 {p95:.0f} ms (target < {limit} ms on PostgreSQL)")
    print()
    for line in missed:
        print("target missed:", line)
    if grown:
        print(f"{len(grown)} page(s) issue more statements at the large size")
        return 1
    print("statement counts are the same at both sizes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
