"""Each command's --help is a contract: byte for byte the text checked in under Tests/cli/.

A change to any help text, value name, default or wrapping fails here with a diff.
When the change is meant, regenerate the snapshots and review them with the code:

    HMRD_UPDATE_SNAPSHOTS=1 python3 -m pytest -q Tests/integration/test_help_snapshots.py
    git diff Tests/cli

Help is taken as a pipe gets it (no COLUMNS, so argument-parser wraps at 80 columns).
"""

import difflib
import os
import subprocess

import pytest

from conftest import HMRD_BIN, REPO

SNAPSHOTS = REPO / "Tests" / "cli"
UPDATE = os.environ.get("HMRD_UPDATE_SNAPSHOTS") == "1"
REGENERATE = (f"HMRD_BIN={os.environ['HMRD_BIN']} " if "HMRD_BIN" in os.environ else "") + \
    "HMRD_UPDATE_SNAPSHOTS=1 python3 -m pytest -q Tests/integration/test_help_snapshots.py"

# The command (words before --help) and the file holding its help.
COMMANDS = {
    (): "hmrd.txt",
    ("status",): "hmrd-status.txt",
    ("wait",): "hmrd-wait.txt",
    ("nginx-config",): "hmrd-nginx-config.txt",
}


def run_help(*args, cwd) -> subprocess.CompletedProcess:
    """Runs hmrd with stdout a pipe and no terminal size in the environment; bytes out."""
    env = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "LINES")}
    return subprocess.run([str(HMRD_BIN), *args], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, timeout=10)


def describe(words) -> str:
    return " ".join(("hmrd",) + words)


@pytest.mark.parametrize("words", COMMANDS, ids=describe)
def test_each_commands_help_is_byte_for_byte_its_snapshot(tmp_path, words):
    result = run_help(*words, "--help", cwd=tmp_path)
    assert result.returncode == 0 and result.stderr == b"", result
    snapshot = SNAPSHOTS / COMMANDS[words]
    if UPDATE:
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        snapshot.write_bytes(result.stdout)
        return
    assert snapshot.exists(), f"no snapshot {snapshot.relative_to(REPO)}; create it with:\n  {REGENERATE}"
    expected = snapshot.read_bytes()
    if result.stdout != expected:
        diff = "".join(difflib.unified_diff(
            expected.decode(errors="replace").splitlines(keepends=True),
            result.stdout.decode(errors="replace").splitlines(keepends=True),
            fromfile=str(snapshot.relative_to(REPO)), tofile=f"{describe(words)} --help"))
        pytest.fail(f"`{describe(words)} --help` differs from its snapshot (- checked in, + printed now):\n"
                    f"{diff or '(the same lines: the bytes differ in line endings or a final newline)'}\n"
                    f"If the new help is meant, regenerate the snapshots and review them:\n"
                    f"  {REGENERATE}\n  git diff Tests/cli", pytrace=False)


@pytest.mark.parametrize("words", COMMANDS, ids=describe)
def test_hmrd_help_prints_the_same_bytes_as_dash_dash_help(tmp_path, words):
    own = run_help(*words, "--help", cwd=tmp_path)
    via_help = run_help("help", *words, cwd=tmp_path)
    assert via_help.returncode == 0 and via_help.stderr == b"", via_help
    assert via_help.stdout == own.stdout
