"""The learner tests say which network isolation they run under."""

import os


def pytest_report_header(config):
    kind = os.environ.get("MMLBOOK_ISOLATION")
    return f"network isolation: {kind}" if kind else \
        "network isolation: none (run through 'make test-learner' to cut the network off)"
