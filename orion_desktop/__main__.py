"""``orion-desktop``: the operator's console."""

from __future__ import annotations

import os
import sys


def main() -> None:
    """Open the console (or bring an open one forward)."""
    from orion_desktop.qt import QApplication, Qt
    from orion_desktop.settings import apply_environment, apply_theme, load_settings
    from orion_desktop.strings import set_language

    if QApplication.instance() is None:  # sharp icons and text at fractional scales (150 %)
        QApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Orion")
    app.setApplicationDisplayName("Orion")
    app.setOrganizationName("Orion")
    console = load_settings()
    set_language(console.language)
    apply_theme(app, console.theme)
    apply_environment(console)  # the installation chosen in the first-run wizard, unless ORION_* say otherwise

    from orion_desktop.single_instance import SingleInstance, instance_name
    from orion_server.config import ConfigurationError, get_settings

    try:
        settings = get_settings()
    except ConfigurationError as exc:
        from orion_desktop.qt import QMessageBox

        QMessageBox.critical(None, "Orion", str(exc))
        sys.exit(1)
    instance = SingleInstance(instance_name(str(settings.data_dir)), settings.data_dir / "console.lock")
    if not instance.acquire():
        instance.notify_running(timeout_ms=3000)  # the first one comes forward (if it listens yet)
        sys.exit(0)
    instance.listen()

    from orion_desktop.main_window import MainWindow
    from orion_server.logs import setup_logging

    setup_logging("console")
    window = MainWindow()
    instance.activation_requested.connect(window.bring_forward)
    window.show()
    window.offer_setup = True  # not set up yet: the first-run wizard opens by itself
    window.check_installation()
    if os.environ.get("ORION_CONSOLE_SMOKE_TEST") == "1":
        _report_and_quit(app, window)
    code = app.exec()
    instance.close()
    sys.exit(code)


def _report_and_quit(app, window) -> None:
    """For the installed program's test: once the console has read the installation, print
    the main window's title and whether it found Orion set up, then quit (once the work it
    started at launch, such as a due backup, is done)."""
    from orion_desktop.qt import QTimer

    def check() -> None:
        if window.installation is None or window.runner.busy:
            QTimer.singleShot(100, check)
            return
        print(f"{window.windowTitle()} | set up: {window.installation.initialised}", flush=True)
        app.exit(0)

    QTimer.singleShot(0, check)


if __name__ == "__main__":
    main()
