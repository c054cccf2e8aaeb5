"""``orion-desktop``: the operator's console.

Until the console window lands, this entry point tells the operator how to run Orion
from the command line instead of failing with an import error.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Start the desktop console."""
    sys.stderr.write(
        "The Orion desktop console is not included in this version.\n"
        "Run the server with `orion init` once, then `orion serve`.\n"
    )
    sys.exit(1)


if __name__ == "__main__":
    main()
