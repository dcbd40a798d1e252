"""The join link as a QR code (qrcode + Pillow), for the console and the projector."""

from __future__ import annotations

import io

import qrcode
from qrcode.constants import ERROR_CORRECT_M


def qr_png(url: str, box_size: int = 10, border: int = 4) -> bytes:
    """A black-on-white PNG of `url`; medium error correction survives a dim projector."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=border)
    code.add_data(url)
    code.make(fit=True)
    image = code.make_image(fill_color="black", back_color="white")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
