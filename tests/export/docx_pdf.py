"""Reading Word documents back for tests: their XML (python-docx and the raw parts), and
their pages as LibreOffice renders them (PDF, then poppler's pdfinfo and pdftotext).

LibreOffice (`libreoffice-writer-nogui`) and poppler-utils are installed here and in CI
(scripts/dev.sh); a missing one fails the test that needs it rather than skipping it.
Each conversion gets a profile of its own, so tests running side by side never share one
(DESIGN.md §6).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.document import Document
from docx.oxml.ns import qn


def tool(name: str) -> str:
    found = shutil.which(name)
    assert found, f"{name} is needed to check rendered documents (see scripts/dev.sh)"
    return found


def to_pdf(*documents: Path) -> list[Path]:
    """Render each .docx to a .pdf beside it with LibreOffice (one run for all of them)."""
    assert documents
    outdir = documents[0].parent
    assert all(d.parent == outdir for d in documents)
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    try:
        subprocess.run(
            [
                tool("soffice"),
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                *map(str, documents),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdfs = [d.with_suffix(".pdf") for d in documents]
    for pdf in pdfs:
        assert pdf.is_file(), f"LibreOffice wrote no {pdf.name}"
    return pdfs


@dataclass(frozen=True)
class PdfInfo:
    pages: int
    width_pt: float
    height_pt: float

    @property
    def is_a4(self) -> bool:
        return abs(self.width_pt - 595.3) < 1.5 and abs(self.height_pt - 841.9) < 1.5


def pdf_info(pdf: Path) -> PdfInfo:
    out = subprocess.run(
        [tool("pdfinfo"), str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))  # type: ignore[union-attr]
    size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", out, re.M)
    assert size, out
    return PdfInfo(pages, float(size.group(1)), float(size.group(2)))


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page (pdftotext keeps the form feed between pages)."""
    out = subprocess.run(
        [tool("pdftotext"), "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = out.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def every_part(path: Path) -> str:
    """Every XML part of the package, concatenated: to look for what must not be there."""
    with zipfile.ZipFile(path) as z:
        return "\n".join(
            z.read(name).decode("utf-8", "replace")
            for name in z.namelist()
            if name.endswith((".xml", ".rels"))
        )


def part_names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return z.namelist()


def open_docx(path: Path) -> Document:
    return docx.Document(str(path))


def headings(doc: Document) -> list[tuple[int, str]]:
    """(level, text) of every Heading 1-3 paragraph, in document order."""
    out = []
    for p in doc.paragraphs:
        name = p.style.name if p.style is not None else ""
        if name.startswith("Heading ") and name[-1].isdigit():
            out.append((int(name[-1]), p.text))
    return out


def texts(doc: Document) -> list[str]:
    """Every paragraph's text, body and table cells, in document order."""
    out = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                out.extend(p.text for p in cell.paragraphs)
    return out


def field_instructions(doc: Document) -> list[str]:
    """The instruction of every complex field in the body, e.g. 'PAGEREF _Toc1 \\h'."""
    return [" ".join((t.text or "").split()) for t in doc.element.body.iter(qn("w:instrText"))]


def footer_instructions(doc: Document) -> list[str]:
    footer = doc.sections[0].footer._element
    return [" ".join((t.text or "").split()) for t in footer.iter(qn("w:instrText"))]
