"""Group-benchmark benchmarks, each measured side by side with its baseline in one run.

1. results page data path at --large submitted analyses vs at --small (goal ≤ 1.5×): own
   answers, group, and the group / region / instance comparisons read from release and scope
   histograms, so the cost must not grow with the number of analyses.
2. the same data path at --large vs a raw sqlite3 GROUP BY over all answers of submitted
   analyses on the same database (goal ≤ 0.05×): what computing benchmarks live would cost.
3. (browser) navigation → results page with the group band (its median, the default layer) drawn
   in the radar, in headless Chromium, vs a bare Streamlit page with one plotly radar
   (bench/bare_radar.py), goal ≤ 1.2×; and again against the same bare page drawing the results
   page's own radar figure (bare_radar.py?figure=app: rings, own profile, group median), the
   fairer baseline: only the page around the figure differs.
4. (browser) navigation → the facilitator's dashboard with its group radar drawn vs the results
   page, both reloaded with a session token, goal ≤ 1.3×.

The two databases of parts 1 and 2 (groups of 10 analyses in up to 150 regions, 60 answers each)
are built and cached by bench/bench_db.py; parts 1 and 2 live in bench/bench_data.py, parts 3 and
4 in bench/bench_browser.py (on a fresh demo database, no cache needed).

Run: .venv/bin/python -m bench.benchmarks [--small 100] [--large 100000] [--repeat N]
     [--only data|browser] [--rebuild] [--service-releases N] [--loads N]
"""

from __future__ import annotations

import argparse

from bench.bench_browser import bench_browser
from bench.bench_data import bench_data
from bench.bench_db import SERVICE_ALL_UP_TO


def main() -> None:
    """Parse arguments and run the selected benchmarks."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--small", type=int, default=100, help="analyses in the small database")
    parser.add_argument("--large", type=int, default=100_000, help="analyses in the large database")
    parser.add_argument("--repeat", type=int, default=31, help="interleaved rounds of the data path")
    parser.add_argument("--raw-repeat", type=int, default=5, help="rounds of the raw GROUP BY")
    parser.add_argument(
        "--service-releases",
        type=int,
        help=f"groups of a database with more than {SERVICE_ALL_UP_TO} groups released through"
        " releases.release (default 10; smaller databases release all groups through it)",
    )
    parser.add_argument("--rebuild", action="store_true", help="regenerate the cached databases")
    parser.add_argument("--loads", type=int, default=15, help="page loads per side in the browser part")
    parser.add_argument("--only", choices=["data", "browser"])
    args = parser.parse_args()
    if args.only in (None, "data"):
        bench_data(args.small, args.large, args.repeat, args.raw_repeat, args.service_releases, args.rebuild)
    if args.only in (None, "browser"):
        bench_browser(args.loads)


if __name__ == "__main__":
    main()
