"""``make run``: open the console (which starts the server) when a display is available, else serve.

A display is available on macOS and Windows, or when ``DISPLAY``/``WAYLAND_DISPLAY`` is set and
Qt can really open it (checked in a child process: a missing system library aborts the process
that tries). ``ORION_HEADLESS=1`` forces the headless server.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Callable, Mapping

CONSOLE = "console"
HEADLESS = "headless"
_PROBE = "import orion_desktop.qt as qt; app = qt.QApplication([]); print(app.platformName())"


def display_available(env: Mapping[str, str], platform: str = sys.platform) -> bool:
    """Whether a desktop session is there to show a window in."""
    if platform == "darwin" or platform.startswith("win"):
        return True
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def qt_can_open_display(env: Mapping[str, str], timeout: float = 30.0) -> bool:
    """Whether Qt starts on that display (in a child, so a failure cannot take this process down)."""
    probe_env = {k: v for k, v in env.items() if k != "QT_QPA_PLATFORM"}
    try:
        result = subprocess.run([sys.executable, "-c", _PROBE], env=probe_env, capture_output=True,
                                timeout=timeout, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


def choose_mode(env: Mapping[str, str], platform: str = sys.platform,
                probe: Callable[[Mapping[str, str]], bool] = qt_can_open_display) -> str:
    """``console`` or ``headless`` for this environment."""
    if env.get("ORION_HEADLESS") == "1" or not display_available(env, platform):
        return HEADLESS
    return CONSOLE if probe(env) else HEADLESS


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)
    if choose_mode(os.environ) == CONSOLE:
        print(f"Opening the Orion console; it starts the server on port {args.port}. "
              "Quit the console to stop it (ORION_HEADLESS=1 make run serves without the console).",
              flush=True)
        os.environ["ORION_CONSOLE_PORT"] = str(args.port)
        os.environ["ORION_CONSOLE_START_SERVER"] = "1"
        from orion_desktop.__main__ import main as open_console

        open_console()
        return
    print("No display here: serving without the console.", flush=True)
    from orion_server.cli import main as orion

    orion(["serve", "--host", args.host, "--port", str(args.port)])


if __name__ == "__main__":
    main()
