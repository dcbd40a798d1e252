"""The Word documents' common machinery (export/docx_common.py): page, styles, contents,
captions, footer, properties and participant text, read back and rendered."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from PIL import Image

from tests.export.docx_pdf import (
    every_part,
    field_instructions,
    footer_instructions,
    headings,
    open_docx,
    part_names,
    pdf_info,
    pdf_pages,
    texts,
    to_pdf,
)
from workshop_app.core.report import LeftOut, PrivacyReview
from workshop_app.export.docx_common import (
    ReportDocument,
    Span,
    anonymity_text,
    clean,
    column_mm,
    counted,
    left_out_text,
    long_date,
    privacy_text,
    short,
    short_date,
)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), "navy").save(out, format="PNG")
    return out.getvalue()


TINY_PNG = _png()


def _report(path: Path, *, body_pages: int = 1) -> Path:
    doc = ReportDocument(
        title="Riverside report",
        subject="A test",
        footer="Riverside · Test",
        created=date(2026, 9, 12),
    )
    doc.title("Riverside report", "A subtitle")
    doc.contents()
    doc.heading("First part", 1, new_page=True)
    doc.paragraph("Opening words.")
    doc.heading("A section", 2)
    doc.table(("Item", "Dots"), [("Strangers", "7"), ("Telling", "5")], caption="Some dots")
    doc.figure(TINY_PNG, "A picture", width_mm=20)
    doc.heading("A detail", 3)
    for n in range(body_pages - 1):
        doc.page_break()
        doc.paragraph(f"Page {n + 2} of the first part.")
    doc.heading("Second part", 1, new_page=True)
    doc.table(("A", "B"), [("1", "2")], caption="More")
    doc.figure(TINY_PNG, "Another picture", width_mm=20)
    return doc.save(path)


def _is_entry(paragraph) -> bool:
    return re.fullmatch(r"TOC \d", paragraph.style.name) is not None


def test_pages_are_a4_portrait_with_20_mm_margins(tmp_path):
    doc = open_docx(_report(tmp_path / "r.docx"))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    for margin in ("left", "right", "top", "bottom"):
        assert round(getattr(section, f"{margin}_margin").mm) == 20


def test_the_document_uses_real_styles(tmp_path):
    doc = open_docx(_report(tmp_path / "r.docx"))
    used = {p.style.name for p in doc.paragraphs}
    assert {"Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Caption"} <= used
    assert {"TOC Heading", "TOC 1", "TOC 2"} <= used
    assert {t.style.name for t in doc.tables} == {"Report Table"}
    assert doc.styles["Report Table"].type == WD_STYLE_TYPE.TABLE
    # The header row is marked to repeat on every page a table runs onto.
    first_row = doc.tables[0].rows[0]._tr
    assert first_row.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None


def test_the_contents_lists_headings_1_and_2_with_page_references(tmp_path):
    doc = open_docx(_report(tmp_path / "r.docx"))
    entries = [(p.style.name, p.text.split("\t")[0]) for p in doc.paragraphs if _is_entry(p)]
    assert entries == [("TOC 1", "First part"), ("TOC 2", "A section"), ("TOC 1", "Second part")]
    assert headings(doc) == [
        (1, "First part"),
        (2, "A section"),
        (3, "A detail"),
        (1, "Second part"),
    ]
    refs = [f for f in field_instructions(doc) if f.startswith("PAGEREF")]
    bookmarks = [b.get(qn("w:name")) for b in doc.element.body.iter(qn("w:bookmarkStart"))]
    assert len(refs) == 3 and len(bookmarks) == 3
    assert [r.split()[1] for r in refs] == bookmarks
    # Each entry links to its heading.
    anchors = [h.get(qn("w:anchor")) for h in doc.element.body.iter(qn("w:hyperlink"))]
    assert anchors == bookmarks


def test_a_contents_of_level_1_lists_only_the_top_headings(tmp_path):
    doc = ReportDocument(title="t", subject="s", footer="f")
    doc.contents(levels=1)
    doc.heading("One", 1)
    doc.heading("One point one", 2)
    doc.heading("Two", 1)
    read = open_docx(doc.save(tmp_path / "r.docx"))
    assert [p.text.split("\t")[0] for p in read.paragraphs if _is_entry(p)] == [
        "One",
        "Two",
    ]


def test_captions_are_numbered_by_seq_fields_with_the_right_numbers_stored(tmp_path):
    doc = open_docx(_report(tmp_path / "r.docx"))
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert captions == [
        "Table 1: Some dots",
        "Figure 1: A picture",
        "Table 2: More",
        "Figure 2: Another picture",
    ]
    seq = [f for f in field_instructions(doc) if f.startswith("SEQ")]
    assert seq == ["SEQ Table \\* ARABIC", "SEQ Figure \\* ARABIC"] * 2


def test_the_footer_says_page_x_of_y(tmp_path):
    doc = open_docx(_report(tmp_path / "r.docx"))
    footer = doc.sections[0].footer.paragraphs[0].text
    assert footer.startswith("Riverside · Test\tPage ")
    assert footer_instructions(doc) == ["PAGE", "NUMPAGES"]


def test_properties_name_the_app_never_a_person_and_no_template_leftovers(tmp_path):
    path = _report(tmp_path / "r.docx")
    props = open_docx(path).core_properties
    assert props.author == "Common Ground" and props.last_modified_by == "Common Ground"
    assert props.title == "Riverside report" and props.subject == "A test"
    assert props.created.date() == date(2026, 9, 12)
    assert "python-docx" not in every_part(path)
    assert not [n for n in part_names(path) if "thumbnail" in n]
    with zipfile.ZipFile(path) as z:
        app = z.read("docProps/app.xml").decode()
    assert "<Application>Common Ground</Application>" in app and "Microsoft" not in app


def test_word_is_asked_to_update_fields_when_it_opens_the_document(tmp_path):
    doc = open_docx(_report(tmp_path / "r.docx"))
    update = doc.settings.element.find(qn("w:updateFields"))
    assert update is not None and update.get(qn("w:val")) == "true"


PARTICIPANT_TEXTS = [
    'a <b>bold</b> & "quoted" note',
    "line one\nline two",
    "emoji 😀 and ümlauts",
    "$x^2$ is not maths",
]


@pytest.mark.parametrize("text", PARTICIPANT_TEXTS)
def test_participant_text_goes_in_as_plain_text_exactly(tmp_path, text):
    doc = ReportDocument(title="t", subject="s", footer="f")
    doc.quoted_note(text, "Children 8–12")
    read = open_docx(doc.save(tmp_path / "r.docx"))
    assert f"{text}  (Children 8–12)" in texts(read)
    assert "<b>" not in every_part(tmp_path / "r.docx")


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        ("bell\x07 here", "bell here"),
        ("nul\x00 and escape\x1b", "nul and escape"),
        ("tab\tstays", "tab\tstays"),
        ("lone \ud800 surrogate", "lone  surrogate"),
        ("\ufffe\uffff", ""),
    ],
)
def test_characters_xml_cannot_hold_are_dropped(tmp_path, raw, kept):
    assert clean(raw) == kept
    doc = ReportDocument(title="t", subject="s", footer="f")
    doc.paragraph(raw)
    doc.heading(raw + " heading", 2)
    doc.table(("Column",), [(raw,)])
    doc.save(tmp_path / "r.docx")  # python-docx refuses these characters: no exception


def test_spans_carry_bold_italic_and_grey(tmp_path):
    doc = ReportDocument(title="t", subject="s", footer="f")
    doc.paragraph(
        [Span("Label: ", bold=True), Span("value", italic=True), Span(" (aside)", muted=True)]
    )
    para = next(p for p in open_docx(doc.save(tmp_path / "r.docx")).paragraphs if p.text)
    bold, italic, muted = para.runs
    assert bold.bold and not bold.italic
    assert italic.italic and not italic.bold
    assert muted.font.color.rgb is not None


def test_a_statement_is_set_in_its_shaded_box_style(tmp_path):
    doc = ReportDocument(title="t", subject="s", footer="f")
    doc.statement("Children can name a trusted adult.")
    read = open_docx(doc.save(tmp_path / "r.docx"))
    para = next(p for p in read.paragraphs if p.text)
    assert para.style.name == "Statement"
    ppr = read.styles["Statement"].element.pPr
    assert ppr.find(qn("w:shd")) is not None and ppr.find(qn("w:pBdr")) is not None


def test_saving_replaces_the_file_and_leaves_no_partial_file(tmp_path):
    target = tmp_path / "r.docx"
    target.write_bytes(b"old")
    _report(target)
    assert target.read_bytes()[:2] == b"PK"
    assert [p.name for p in tmp_path.iterdir()] == ["r.docx"]


def test_a_table_row_of_the_wrong_length_is_refused():
    doc = ReportDocument(title="t", subject="s", footer="f")
    with pytest.raises(ValueError, match="row 1 has 1 cells, not 2"):
        doc.table(("A", "B"), [("only one",)])


@pytest.mark.parametrize(
    ("n", "word", "expected"),
    [(0, "note", "0 notes"), (1, "note", "1 note"), (2, "note", "2 notes")],
)
def test_counted_words(n, word, expected):
    assert counted(n, word) == expected


def test_small_wording_helpers():
    assert counted(2, "person", "people") == "2 people"
    assert long_date(date(2026, 9, 12)) == "Saturday 12 September 2026"
    assert short_date(date(2026, 9, 2)) == "2\u00a0Sep\u00a02026"
    assert column_mm(["Practitioners"]) > column_mm(["Young people 13–18"])


# ---------------------------------------------------------------- rendered


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rendered")
    path = _report(folder / "report.docx", body_pages=2)
    (pdf,) = to_pdf(path)
    return pdf


def test_libreoffice_renders_a4_pages(rendered):
    info = pdf_info(rendered)
    assert info.is_a4
    assert info.pages == 4  # title and contents; first part (two pages); second part


def test_rendered_pages_carry_page_x_of_y(rendered):
    pages = pdf_pages(rendered)
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page


def test_the_rendered_contents_shows_the_page_of_each_heading(rendered):
    contents = pdf_pages(rendered)[0]
    lines = {" ".join(line.replace(".", " ").split()) for line in contents.splitlines()}
    assert "First part 2" in lines
    assert "A section 2" in lines
    assert "Second part 4" in lines


def test_rendered_captions_are_numbered(rendered):
    text = "\n".join(pdf_pages(rendered))
    for caption in (
        "Table 1: Some dots",
        "Figure 1: A picture",
        "Table 2: More",
        "Figure 2: Another picture",
    ):
        assert caption in text


# ---------------------------------------------------------------- titles in footers


@pytest.mark.parametrize(
    ("title", "limit", "expected"),
    [
        ("Safer Online Together", 60, "Safer Online Together"),
        (
            "Safer Online Together: quality standards for preventing online child sexual "
            "exploitation and abuse",
            50,
            "Safer Online Together: quality standards for…",
        ),
        ("A  title\nwith   spaces", 60, "A title with spaces"),
        ("One two three", 8, "One two…"),
        ("One two, three", 10, "One two…"),
        ("Supercalifragilistic", 8, "Superca…"),  # one word longer than the line: cut
    ],
)
def test_a_long_title_is_shortened_at_a_word_boundary(title, limit, expected):
    assert short(title, limit) == expected
    assert len(short(title, limit)) <= limit


def test_the_footer_never_cuts_the_title_mid_word(tmp_path):
    from workshop_app.core.report import FrameworkReport
    from workshop_app.export.framework import write_framework

    title = (
        "Safer Online Together: quality standards for preventing online child sexual "
        "exploitation and abuse"
    )
    report = FrameworkReport(title, "", date(2027, 2, 1), "rules", (), 3, (), ())
    doc = open_docx(write_framework(report, tmp_path / "f.docx"))
    footer = doc.sections[0].footer.paragraphs[0].text
    shown = footer.split(" · ")[0]
    assert shown.endswith("…")
    assert title.startswith(shown[:-1]) and title[len(shown) - 1] == " ", footer


# ---------------------------------------------------------------- the draft's watermark


def _marked(path: Path, mark: str) -> Path:
    doc = ReportDocument(title="T", subject="S", footer="F", watermark=mark)
    doc.title("A draft")
    doc.paragraph("Words. " * 400)
    doc.page_break()
    doc.paragraph("The second page.")
    return doc.save(path)


def test_a_watermark_is_a_header_line_and_a_word_text_watermark(tmp_path):
    path = _marked(tmp_path / "draft.docx", "Draft for consultation")
    header = open_docx(path).sections[0].header
    assert [p.text for p in header.paragraphs] == ["DRAFT FOR CONSULTATION"]
    xml = every_part(path)
    assert 'string="Draft for consultation"' in xml
    assert 'id="PowerPlusWaterMarkObject1"' in xml, "the shape Word lists as its watermark"
    plain = ReportDocument(title="T", subject="S", footer="F").save(tmp_path / "plain.docx")
    assert "PowerPlusWaterMarkObject" not in every_part(plain)
    assert not "".join(p.text for p in open_docx(plain).sections[0].header.paragraphs)


def _ink_in_the_middle(pdf: Path, page: int) -> int:
    import subprocess

    from tests.export.docx_pdf import tool

    png = pdf.with_name(f"{pdf.stem}-{page}")
    subprocess.run(
        [
            tool("pdftoppm"),
            "-f",
            str(page),
            "-l",
            str(page),
            "-r",
            "30",
            "-png",
            "-singlefile",
            str(pdf),
            str(png),
        ],
        check=True,
    )
    image = Image.open(png.with_suffix(".png")).convert("L")
    w, h = image.size
    box = image.crop((w // 4, h // 3, 3 * w // 4, 2 * h // 3))  # below the text, mid-page
    return sum(box.histogram()[:245])  # pixels darker than near-white


def test_libreoffice_draws_the_watermark_on_every_page(tmp_path):
    draft, plain = to_pdf(
        _marked(tmp_path / "draft.docx", "Draft for consultation"),
        _marked(tmp_path / "plain.docx", ""),
    )
    pages = pdf_pages(draft)
    assert len(pages) >= 2
    assert all("DRAFT FOR CONSULTATION" in page for page in pages)
    assert not any("DRAFT" in page for page in pdf_pages(plain))
    last = len(pages)  # the second page: a line of text, then the watermark alone
    assert _ink_in_the_middle(draft, last) > 50 > _ink_in_the_middle(plain, last)


# ---------------------------------------------------------------- sentences from what happened


def test_the_privacy_statement_is_computed_from_the_review():
    nothing = PrivacyReview("the notes of this session")
    assert nothing.statement() == (
        "The privacy review found nothing that looked like a personal detail in the notes "
        "of this session, so no words were removed."
    )
    assert nothing.warning() == ""
    done = PrivacyReview(
        "the notes of every session",
        removed=2,
        kept=1,
        kinds_reviewed=(("Email address", 2), ("Personal name", 1)),
    )
    assert done.statement() == (
        "Before this export the facilitator reviewed 3 suspected personal details in the "
        "notes of every session (2 email addresses, 1 personal name): 2 removed from exports, "
        "shown as [removed], and 1 kept as written."
    )
    none_done = PrivacyReview(
        "the notes of this session", unreviewed=2, kinds_unreviewed=(("Phone number", 2),)
    )
    assert "reviewed" not in none_done.statement().split(".")[0].replace("No privacy review", "")
    assert none_done.statement() == (
        "No privacy review was done before this export of the notes of this session. "
        "2 suspected personal details (2 phone numbers) were not reviewed and are exported "
        "as written."
    )
    assert none_done.warning().startswith("Privacy review not finished: 2 suspected personal")


def test_what_was_left_out_is_counted_in_words():
    assert left_out_text(LeftOut()) == "No note was left out of this report."
    assert left_out_text(LeftOut(hidden=2, waiting=1, withdrawn=1)) == (
        "Left out of this report and counted, never quoted: 2 notes hidden by the "
        "facilitator, 1 note never approved and 1 note taken back by its writer."
    )
    review = PrivacyReview(
        "the notes of this session", removed=1, kinds_reviewed=(("Postcode", 1),)
    )
    assert anonymity_text(review, LeftOut(hidden=1)) == (
        "Participants took part anonymously: this report names no one and holds no "
        "participant identifiers. Notes are quoted as written, except 1 personal detail "
        "removed in the facilitator's privacy review, shown as [removed]. Left out of this "
        "report and counted, never quoted: 1 note hidden by the facilitator."
    )
    assert "Before this export the facilitator reviewed 1 suspected personal detail" in (
        privacy_text(review, LeftOut())
    )
