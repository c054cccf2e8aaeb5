"""The PySide6 desktop console. Nothing outside this package imports Qt."""
