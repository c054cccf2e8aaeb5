"""The archive an operator downloads, tried as an operator would: unpack it into an empty
folder and use the program in it, with nothing of this checkout on the path.

Runs when ``ORION_DIST_ARCHIVE`` names the archive: ``make dist-test`` builds it and sets it
(``.ci/run`` does so when the build extra is installed). It prints the unpacked size and the
time the frozen server took to answer ``/health/ready``.
"""

from __future__ import annotations

import os
import re
import subprocess
import tarfile
import time
from pathlib import Path

import httpx
import pytest

from tests.support.servers import free_port

ARCHIVE = os.environ.get("ORION_DIST_ARCHIVE", "")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not ARCHIVE, reason="no built archive (make dist-test builds and tests one)")]
PLATFORM, STORE = "demo", "boulangerie-dupont"


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("operator")
    with tarfile.open(ARCHIVE) as archive:
        archive.extractall(folder, filter="tar")
    [top] = [p for p in folder.iterdir() if p.is_dir()]
    size = sum(f.lstat().st_size for f in top.rglob("*") if not f.is_symlink() and f.is_file())
    print(f"\nunpacked: {size / 1e6:.0f} MB in {top.name}")
    return top


@pytest.fixture(scope="module")
def operator_env(tmp_path_factory) -> dict[str, str]:
    """An environment without this checkout: no ORION_*, no PYTHONPATH, a new data folder."""
    data = tmp_path_factory.mktemp("orion-data")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ORION_", "PYTHON", "VIRTUAL_ENV")) and k != "QT_QPA_PLATFORM"}
    env.update(ORION_DATA_DIR=str(data), HOME=str(data.parent), QT_QPA_PLATFORM="offscreen")
    return env


def run(unpacked: Path, env: dict[str, str], *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(unpacked / "orion"), *args], env=env, capture_output=True, text=True,
                          timeout=timeout, cwd=unpacked.parent)


def test_the_archive_holds_the_program_its_icon_and_a_desktop_entry(unpacked, tmp_path):
    assert os.access(unpacked / "orion", os.X_OK)
    assert (unpacked / "orion.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    entry = (unpacked / "orion.desktop").read_text()
    assert "Exec=@ORION_HOME@/orion" in entry and "Icon=orion" in entry
    done = subprocess.run([str(unpacked / "install-desktop-entry.sh")], env={"HOME": str(tmp_path), "PATH": os.environ["PATH"]},
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    installed = (tmp_path / ".local/share/applications/orion.desktop").read_text()
    assert f"Exec={unpacked}/orion" in installed
    assert (tmp_path / ".local/share/icons/hicolor/256x256/apps/orion.png").is_file()


def test_an_operator_sets_up_serves_validates_and_opens_the_console(unpacked, operator_env):
    import tomllib

    version = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())["project"]["version"]
    shown = run(unpacked, operator_env, "--version")
    assert shown.returncode == 0 and shown.stdout.strip() == f"orion, version {version}", shown.stderr

    init = run(unpacked, operator_env, "init", "--admin-email", "admin@shop.lu",
               "--admin-password", "a-long-operator-password")
    assert init.returncode == 0, init.stderr
    demo = run(unpacked, {**operator_env, "ORION_ENV": "development"}, "demo")
    assert demo.returncode == 0, demo.stderr

    validated = run(unpacked, operator_env, "validate")
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert "0 errors" in validated.stdout
    listed = run(unpacked, operator_env, "modules", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert len({row["code"] for row in __import__("json").loads(listed.stdout)}) == 18

    port = free_port()
    started = time.monotonic()
    # its output to a file: a pipe nobody reads would fill, and its task consumer would hang writing
    log = open(unpacked.parent / "serve.log", "w")  # noqa: SIM115 - closed after the server stopped
    server = subprocess.Popen([str(unpacked / "orion"), "serve", "--host", "127.0.0.1", "--port", str(port)],
                              env=operator_env, stdout=log, stderr=subprocess.STDOUT, cwd=unpacked.parent)
    try:
        base = f"http://127.0.0.1:{port}"
        ready_after = None
        while time.monotonic() - started < 60:
            try:
                if httpx.get(f"{base}/health/ready", timeout=2).status_code == 200:
                    ready_after = time.monotonic() - started
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        assert ready_after is not None, "the frozen server did not get ready within 60 s"
        print(f"\nfrozen server ready after {ready_after:.2f} s")

        page = httpx.get(f"{base}/platforms/{PLATFORM}/storefront/{STORE}/products", timeout=20)
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        module_static = re.search(r'(?:href|src)="(/static/modules/[^"]+)"', page.text)
        assert module_static, "the storefront names no module static file"
        assert httpx.get(base + module_static.group(1), timeout=10).status_code == 200
        picture = re.search(r'<img[^>]+src="([^"]+/catalog/images/[^"]+)"', page.text)
        assert picture, "the storefront listing shows no product picture"
        fetched = httpx.get(base + picture.group(1).replace("&amp;", "&"), timeout=10)
        assert fetched.status_code == 200 and fetched.headers["content-type"].startswith("image/")
        assert len(fetched.content) > 1000
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    output = (unpacked.parent / "serve.log").read_text()
    assert "Traceback" not in output and "error: unexpected" not in output, output

    console = run(unpacked, {**operator_env, "ORION_CONSOLE_SMOKE_TEST": "1"}, "console", timeout=120)
    assert console.returncode == 0, console.stdout + console.stderr
    assert f"Orion console — {operator_env['ORION_DATA_DIR']} | set up: True" in console.stdout
