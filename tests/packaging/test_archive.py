"""packaging/make_archive.py, on a stand-in build folder (the real build is make dist-test's):
one top folder named for the version, the program executable, symbolic links kept as links,
the icon and the desktop entry beside it."""

from __future__ import annotations

import importlib.util
import os
import stat
import tarfile
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
VERSION = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]


@pytest.fixture(scope="module")
def make_archive():
    spec = importlib.util.spec_from_file_location("make_archive", REPO / "packaging" / "make_archive.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_archive_keeps_links_and_modes_and_adds_the_icon_and_desktop_entry(make_archive, tmp_path, monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    program = tmp_path / "dist" / "orion"
    (program / "_internal" / "lib").mkdir(parents=True)
    (program / "orion").write_text("#!/bin/sh\necho orion\n")
    (program / "_internal" / "lib" / "libfoo.so.1").write_bytes(b"\x7fELF")
    os.symlink("libfoo.so.1", program / "_internal" / "lib" / "libfoo.so")

    target = make_archive.build(tmp_path / "dist")

    assert target.name == make_archive.archive_name(VERSION)
    assert target.name.startswith(f"orion-{VERSION}-linux-")
    top = f"orion-{VERSION}"
    with tarfile.open(target) as archive:
        members = {m.name: m for m in archive.getmembers()}
        assert {f"{top}/orion", f"{top}/orion.png", f"{top}/orion.desktop", f"{top}/install-desktop-entry.sh"} <= set(members)
        link = members[f"{top}/_internal/lib/libfoo.so"]
        assert link.issym() and link.linkname == "libfoo.so.1"
        for name in ("orion", "install-desktop-entry.sh"):
            assert members[f"{top}/{name}"].mode & stat.S_IXUSR
        assert archive.extractfile(f"{top}/orion.png").read(8) == b"\x89PNG\r\n\x1a\n"
        entry = archive.extractfile(f"{top}/orion.desktop").read().decode()
    assert "[Desktop Entry]" in entry and "Exec=@ORION_HOME@/orion" in entry
    assert not (tmp_path / "dist" / "linux-extras").exists()


def test_without_a_build_it_says_what_to_run(make_archive, tmp_path):
    with pytest.raises(SystemExit, match="run PyInstaller first"):
        make_archive.build(tmp_path)


@pytest.mark.parametrize("suffix, magic", [(".ico", b"\x00\x00\x01\x00"), (".icns", b"icns"), (".png", b"\x89PNG")])
def test_the_icon_alone_for_the_windows_and_macos_builds(make_archive, tmp_path, monkeypatch, suffix, magic):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    path = tmp_path / f"orion{suffix}"
    make_archive.icon_file(path)
    assert path.read_bytes()[:len(magic)] == magic
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]
