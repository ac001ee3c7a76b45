"""Adds the differential harness' total to the end of the test session's report."""


def pytest_terminal_summary(terminalreporter):
    total = divergent = 0
    for reports in terminalreporter.stats.values():
        for report in reports:
            for name, value in getattr(report, "user_properties", ()):
                if name == "differential" and getattr(report, "when", "call") == "call":
                    total, divergent = total + value[0], divergent + value[1]
    if total:
        terminalreporter.write_line(f"differential harness: {total} scenarios, {divergent} divergences")
