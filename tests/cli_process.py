"""`synth` in a real process with the test fakes registered: `python -m tests.cli_process ARGS...`.

For what CliRunner cannot show: two processes at once (the write lock) and a process without the
privileges that let root write read-only files (a read-only workspace, tested for real).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parent.parent
# Without these capabilities root is bound by file modes like anyone else (see `unprivileged`).
DROP_DAC = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]


def register_fakes() -> None:
    from synth.embedders import register_embedder
    from tests.fakes import HashEmbedder

    class SlowHashEmbedder(HashEmbedder):
        """The hash embedder, slowed down so that a second process meets the first one still writing."""

        def embed(self, texts: list[str]) -> np.ndarray:
            time.sleep(float(os.environ.get("SYNTH_TEST_EMBED_DELAY", "0.5")))
            return super().embed(texts)

    register_embedder("fake-hash", HashEmbedder)
    register_embedder("slow-hash", SlowHashEmbedder)


def command(*args: str) -> list[str]:
    """The argv that runs `synth ARGS` with the fakes."""
    return [sys.executable, "-m", "tests.cli_process", *args]


def environment(**extra: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False",
           "COLUMNS": "200", "NO_COLOR": "1"}
    env.pop("SYNTH_LLM", None)
    env.update(extra)
    return env


def unprivileged_available() -> bool:
    """Whether a process can be started that file modes bind (as a non-root user, or root without DAC caps)."""
    if os.geteuid() != 0:
        return True
    try:
        probe = subprocess.run([*DROP_DAC, "true"], capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


def run(*args: str, cwd: Path, unprivileged: bool = False, timeout: float = 120, **env: str):
    """Run `synth ARGS` to completion; unprivileged: file modes apply even when the tests run as root."""
    argv = command(*args)
    if unprivileged and os.geteuid() == 0:
        argv = [*DROP_DAC, *argv]
    return subprocess.run(argv, cwd=cwd, env=environment(**env), capture_output=True, text=True,
                          errors="backslashreplace", timeout=timeout)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    register_fakes()
    from synth.cli import app

    app(prog_name="synth")
