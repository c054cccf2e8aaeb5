"""QR codes drawn with Qt from the qrcode library's module matrix (no Pillow in the console)."""

from __future__ import annotations

from orion_desktop.qt import QColor, QImage, QPainter, QPixmap, Qt

QUIET_ZONE = 4  # modules of white around the code, as the standard asks


def qr_matrix(text: str) -> list[list[bool]]:
    """The dark (True) and light modules of the QR code of ``text``, without the quiet zone."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(text)
    code.make(fit=True)
    return [list(map(bool, row)) for row in code.get_matrix()]


def qr_image(text: str, module_px: int = 8, *, border: int = QUIET_ZONE) -> QImage:
    """The QR code of ``text`` as a black-on-white image, ``module_px`` pixels per module."""
    matrix = qr_matrix(text)
    side = (len(matrix) + 2 * border) * module_px
    image = QImage(side, side, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    dark = QColor("black")
    for y, row in enumerate(matrix):
        for x, on in enumerate(row):
            if on:
                painter.fillRect((x + border) * module_px, (y + border) * module_px, module_px, module_px, dark)
    painter.end()
    return image


def qr_pixmap(text: str, size: int, device_pixel_ratio: float = 1.0) -> QPixmap:
    """A crisp pixmap about ``size`` logical pixels wide (whole device pixels per module)."""
    modules = len(qr_matrix(text)) + 2 * QUIET_ZONE
    module_px = max(1, int(size * device_pixel_ratio) // modules)
    pixmap = QPixmap.fromImage(qr_image(text, module_px), Qt.ImageConversionFlag.ThresholdDither)
    pixmap.setDevicePixelRatio(device_pixel_ratio)
    return pixmap
