"""HTML to PDF with a real engine: WeasyPrint when installed, else headless Chromium's print-to-PDF.

A persona's PDF is its one-page card followed by the full page with every claim and source.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--no-pdf-header-footer"]


class PdfError(RuntimeError):
    """No engine could print the PDF; the message says what to install."""


def engine() -> str:
    """"weasyprint", "chromium", or "" when neither is available (SYNTH_PDF_ENGINE picks one)."""
    wanted = os.environ.get("SYNTH_PDF_ENGINE", "")
    if wanted in ("", "weasyprint"):
        try:
            import weasyprint  # noqa: F401

            return "weasyprint"
        except (ImportError, OSError):  # OSError: pango or cairo missing on the system
            if wanted:
                return ""
    if wanted in ("", "chromium") and _chromium():
        return "chromium"
    return ""


def _chromium() -> str | None:
    return next((p for p in (os.environ.get("SYNTH_CHROMIUM"), shutil.which("chromium"),
                             shutil.which("chromium-browser"), shutil.which("google-chrome")) if p), None)


_SVG_URI = re.compile(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)")


def rasterize_svgs(html: str, scale: float = 2.0) -> str:
    """Inline SVG images as PNG (drawn by resvg, in vl-convert): WeasyPrint draws masked SVG (the avatars)
    and measured chart text unevenly, resvg draws both as a browser does."""
    import vl_convert as vlc

    def png(match: re.Match) -> str:
        svg = base64.b64decode(match.group(1)).decode("utf-8")
        return "data:image/png;base64," + base64.b64encode(vlc.svg_to_png(svg, scale=scale)).decode("ascii")

    return _SVG_URI.sub(png, html)


def page_count(html: str) -> int:
    """Pages `html` prints to (1 when no engine can tell: Chromium prints what it gets)."""
    if engine() != "weasyprint":
        return 1
    import weasyprint

    return len(weasyprint.HTML(string=rasterize_svgs(html)).render().pages)


def html_to_pdf(pages: Sequence[str], base: Path | None = None) -> bytes:
    """The HTML documents in `pages`, printed one after the other into one PDF."""
    name = engine()
    if name == "weasyprint":
        pages = [rasterize_svgs(html) for html in pages]
        import weasyprint

        docs = [weasyprint.HTML(string=html, base_url=str(base) if base else None).render() for html in pages]
        first = docs[0]
        return first.copy([page for doc in docs for page in doc.pages]).write_pdf()
    if name == "chromium":
        return _chromium_pdf(pages)
    raise PdfError("no PDF engine: pip install weasyprint (or install chromium and set SYNTH_CHROMIUM to it)")


def _chromium_pdf(pages: Sequence[str]) -> bytes:
    """Chromium prints one document; the pages are joined with page breaks between them."""
    body = '<div style="break-after:page"></div>'.join(pages)
    with tempfile.TemporaryDirectory(prefix="synth-pdf-") as tmp:
        src, out = Path(tmp) / "page.html", Path(tmp) / "page.pdf"
        src.write_text(body, encoding="utf-8")
        cmd = [_chromium() or "chromium", *CHROMIUM_FLAGS, f"--user-data-dir={tmp}/profile",
               f"--print-to-pdf={out}", src.as_uri()]
        try:
            subprocess.run(cmd, capture_output=True, timeout=120, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PdfError(f"chromium could not print the PDF ({exc}); pip install weasyprint instead") from None
        if not out.is_file() or out.stat().st_size == 0:
            raise PdfError("chromium wrote no PDF; pip install weasyprint instead")
        return out.read_bytes()
