"""Where a volunteer page's time goes, layer by layer, in one process (Flask's test client, no
network, SQLite at 10% of the large data set). Explains benchmarks/throughput.py's ratios: a
page cannot be faster than the layers every authenticated page passes through.

    .venv/bin/python benchmarks/request_layers.py [--requests 300]

Layers, each measured as the median of 5 runs of ``--requests`` requests:
  bare            /healthz: Flask, the app's before/after hooks, no session, no template
  logged in       a route behind @login_required returning a word (session, user, idle check)
  base layout     the same route rendering base.html (navigation, notifications count)
  then the volunteer's pages themselves.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import large_data  # noqa: E402

PAGES = ("/me", "/matches/1/contacts/new", "/matches/1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    url = f"sqlite:///{tempfile.mkdtemp(prefix='layers-')}/maatjes.db"
    large_data.build(url, 0.1)
    os.environ["MAATJES_DATABASE_URL"] = url
    from flask import render_template
    from flask_login import login_required

    from maatjes import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "layers-" + "x" * 40})

    @app.route("/layer/logged-in")
    @login_required
    def logged_in():
        return "ok"

    @app.route("/layer/base")
    @login_required
    def base():
        return render_template("base.html")

    serializer = app.session_interface.get_signing_serializer(app)
    cookie = serializer.dumps(
        {"_user_id": f"{large_data.ACCOUNTS['volunteer']}:0", "_fresh": True,
         "seen": time.time() + 3600, "locale": "nl"}
    )  # fmt: skip
    client = app.test_client()
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
    layers = [
        ("bare", "/healthz"),
        ("logged in", "/layer/logged-in"),
        ("base layout", "/layer/base"),
    ]
    layers += [(page, page) for page in PAGES]
    print(f"{'layer':<28} {'ms/request':>10} {'added':>8}")
    previous = None
    for name, path in layers:
        for _ in range(30):
            assert client.get(path).status_code == 200, path
        runs = []
        for _ in range(5):
            started = time.perf_counter()
            for _ in range(args.requests):
                client.get(path)
            runs.append((time.perf_counter() - started) / args.requests * 1000)
        ms = statistics.median(runs)
        added = "" if previous is None or name in PAGES[1:] else f"{ms - previous:+.2f}"
        print(f"{name:<28} {ms:>10.2f} {added:>8}")
        if name in ("bare", "logged in", "base layout"):
            previous = ms


if __name__ == "__main__":
    main()
