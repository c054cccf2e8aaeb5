"""After PyInstaller: the archive an operator downloads, ``orion-<version>-linux-<machine>.tar.gz``.

It holds one folder, ``orion-<version>/``: the built program (``orion``, ``_internal/``), the
application icon (``orion.png``, drawn by the console's own code), a desktop entry
(``orion.desktop``) and ``install-desktop-entry.sh``, which puts that entry and the icon in the
operator's menu with the folder's real path. Symbolic links inside the build stay links.

    python packaging/make_archive.py --dist dist
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import stat
import sys
import tarfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def version() -> str:
    import tomllib

    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def archive_name(ver: str, machine: str | None = None) -> str:
    return f"orion-{ver}-linux-{(machine or platform.machine()).lower()}.tar.gz"


def draw_icon(path: Path, size: int = 256) -> None:
    """The console's application icon as a PNG (Qt draws it, offscreen)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(REPO))
    from orion_desktop.qt import QApplication
    from orion_desktop.tray import _pixmap

    _app = QApplication.instance() or QApplication([])
    if not _pixmap(size, None).save(str(path), "PNG"):
        raise SystemExit(f"could not write the icon {path}")


def _executable(info: tarfile.TarInfo) -> tarfile.TarInfo:
    if info.name.endswith((".sh", "/orion")):
        info.mode |= stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH
    return info


def build(dist: Path) -> Path:
    """Write the archive from ``dist/orion`` (the PyInstaller folder); returns its path."""
    program = dist / "orion"
    if not (program / "orion").is_file():
        raise SystemExit(f"{program / 'orion'} is missing: run PyInstaller first (make dist)")
    ver = version()
    extras = dist / "linux-extras"
    shutil.rmtree(extras, ignore_errors=True)
    extras.mkdir(parents=True)
    draw_icon(extras / "orion.png")
    for name in ("orion.desktop", "install-desktop-entry.sh"):
        shutil.copy2(HERE / "linux" / name, extras / name)
    target = dist / archive_name(ver)
    top = f"orion-{ver}"
    with tarfile.open(target, "w:gz", compresslevel=6) as archive:
        # tarfile stores symbolic links as links (dereference=False is the default)
        archive.add(program, arcname=top, filter=_executable)
        for item in sorted(extras.iterdir()):
            archive.add(item, arcname=f"{top}/{item.name}", filter=_executable)
    shutil.rmtree(extras)
    return target


def icon_file(path: Path) -> None:
    """The icon alone, in the format its suffix names: .png, .ico (Windows) or .icns (macOS)."""
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    png = path.with_suffix(".png") if path.suffix != ".png" else path
    draw_icon(png, 512 if path.suffix == ".icns" else 256)
    if path.suffix != ".png":
        with Image.open(png) as image:
            image.save(path)
        png.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=REPO / "dist")
    parser.add_argument("--icon-only", type=Path, metavar="FILE",
                        help="write only the icon, as .png, .ico or .icns (for the Windows and macOS builds)")
    args = parser.parse_args()
    if args.icon_only:
        icon_file(args.icon_only)
        print(args.icon_only)
        return
    target = build(args.dist)
    print(f"{target} ({target.stat().st_size / 1e6:.0f} MB)")


if __name__ == "__main__":
    main()
