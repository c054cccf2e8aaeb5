"""``orion-desktop``: the operator's console."""

from __future__ import annotations

import sys


def main() -> None:
    """Open the console (or bring an open one forward)."""
    from orion_desktop.qt import QApplication

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Orion")
    app.setApplicationDisplayName("Orion")
    app.setOrganizationName("Orion")

    from orion_desktop.single_instance import SingleInstance, instance_name
    from orion_server.config import ConfigurationError, get_settings

    try:
        settings = get_settings()
    except ConfigurationError as exc:
        from orion_desktop.qt import QMessageBox

        QMessageBox.critical(None, "Orion", str(exc))
        sys.exit(1)
    instance = SingleInstance(instance_name(str(settings.data_dir)))
    if instance.notify_running():
        sys.exit(0)
    instance.listen()

    from orion_desktop.main_window import MainWindow
    from orion_server.logs import setup_logging

    setup_logging("console")
    window = MainWindow()
    instance.activation_requested.connect(window.bring_forward)
    window.show()
    window.check_installation()
    code = app.exec()
    instance.close()
    sys.exit(code)


if __name__ == "__main__":
    main()
