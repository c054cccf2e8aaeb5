"""Running the real ``orion`` command in a separate process, as an operator would."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Installation:
    """A separate Orion installation: its data directory and database."""

    data_dir: Path
    database_url: str

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ORION_")}
        env.update(
            ORION_DATA_DIR=str(self.data_dir),
            ORION_DATABASE_URL=self.database_url,
            ORION_ENV="production",
            ORION_TASKS_IMMEDIATE="1",
        )
        env.update(extra)
        return env

    def run(self, *args: str, input: str | None = None, **extra_env: str) -> subprocess.CompletedProcess[str]:
        """Run ``orion ARGS`` and return its result (never raises on a non-zero exit)."""
        return subprocess.run(
            [sys.executable, "-m", "orion_server", *args],
            env=self.env(**extra_env),
            capture_output=True,
            text=True,
            input=input,
            timeout=120,
            stdin=None if input is not None else subprocess.DEVNULL,
        )
