"""The one program of the PyInstaller build: ``orion`` opens the console, ``orion CMD`` is the CLI.

The console starts the server as a child of this same executable (``orion serve``), so the
operator installs a single program.
"""

from __future__ import annotations

import os
import sys

CONSOLE_WORDS = ("console", "desktop")


def choose_action(argv: list[str], env: dict[str, str] | os._Environ = os.environ,
                  platform: str = sys.platform) -> str:
    """``console``, ``cli`` or ``no-display`` for these arguments."""
    if argv and argv[0] not in CONSOLE_WORDS:
        return "cli"
    if argv and env.get("QT_QPA_PLATFORM", "").split(":")[0] == "offscreen":
        return "console"  # `orion console` asked to draw without a screen (the installed program's test)
    from orion_desktop.launch_dev import display_available

    return "console" if display_available(env, platform) else "no-display"


def main() -> None:
    import multiprocessing

    multiprocessing.freeze_support()
    argv = sys.argv[1:]
    action = choose_action(argv)
    if action == "console":
        from orion_desktop.__main__ import main as console

        sys.argv = sys.argv[:1]
        console()
    elif action == "no-display":
        print("No display here, so the Orion console cannot open. Run `orion serve` to serve "
              "without it; `orion --help` lists every command.", file=sys.stderr)
        sys.exit(2)
    else:
        from orion_server.cli import main as cli

        cli(argv)


if __name__ == "__main__":
    main()
