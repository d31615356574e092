"""pytest plugin: fail the test during which a sanitized server wrote a sanitizer report.

`make test-asan` runs the servers with ASAN_OPTIONS/UBSAN_OPTIONS `log_path=$DIR/report`, so
every report (a halt, a leak found at exit) lands in a file `$DIR/report.<pid>` instead of the
server's output, which conftest.py only keeps in memory. Loaded with
`-p sanitizer_reports` (PYTHONPATH=server/test) and active only when
SLOTLOCK_SANITIZER_LOG_DIR is set; conftest.py stays unaware of it.
"""

import os
from pathlib import Path

import pytest

_DIR = os.environ.get("SLOTLOCK_SANITIZER_LOG_DIR")
_seen = set()
_found = []


def _new_reports():
    if not _DIR:
        return []
    fresh = []
    for path in sorted(Path(_DIR).glob("*")):
        if path.is_file() and path not in _seen:
            _seen.add(path)
            fresh.append(path)
    return fresh


def _check(phase):
    fresh = _new_reports()
    if fresh:
        _found.extend(fresh)
        text = "\n".join(f"--- {p}\n{p.read_text(errors='replace')[:20000]}" for p in fresh)
        pytest.fail(f"sanitizer report(s) written during {phase}:\n{text}", pytrace=False)


def pytest_sessionstart(session):
    if _DIR:
        Path(_DIR).mkdir(parents=True, exist_ok=True)
        _new_reports()  # anything already there is not this run's


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    yield
    _check("the test")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item):
    yield
    _check("teardown (a server stopping)")


def pytest_sessionfinish(session, exitstatus):
    _found.extend(_new_reports())  # written after the last test's teardown
    if _found:
        session.exitstatus = 1
