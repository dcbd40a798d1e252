"""The Word documents' common ground: an A4 report with real styles, a contents list,
numbered captions and page numbers (python-docx).

`ReportDocument` is what the session summary and the standards framework write into. It
gives every document the same look and the same Word machinery, so that a researcher can
restyle, update and edit them like any report:

- A4 portrait, 20 mm margins; styles Title, Subtitle, Heading 1-3, Normal, Caption, List
  Bullet and "Report Table" (a table style: a dark header row, banded rows), so changing a
  style in Word changes the whole document;
- "Page X of Y" in the footer (PAGE and NUMPAGES fields);
- a contents list written out in full (TOC 1 and TOC 2 styles): each entry links to its
  heading and takes its page number from a PAGEREF field, which LibreOffice computes as it
  lays the page out and Word fills in when it updates fields (the document asks it to on
  opening). It reads at once in either, and never shows stale numbers;
- captions "Figure 1: ..." and "Table 1: ..." numbered by SEQ fields whose stored values are
  already right;
- document properties naming the app, never a person.

Participant text goes in as plain runs only: python-docx escapes XML, and `clean` drops the
control characters XML cannot hold. Line breaks and tabs in a note stay as written.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Literal, cast

from docx import Document as new_docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Emu, Mm, Pt, RGBColor
from docx.styles.style import BaseStyle, CharacterStyle, ParagraphStyle
from docx.table import Table
from docx.text.paragraph import Paragraph

from workshop_app.core.report import LeftOut, PrivacyReview

APP_NAME = "Common Ground"
FONT = "Arial"  # on every Word; LibreOffice uses Liberation Sans (same widths) or its own
PAGE_WIDTH = Mm(210)
PAGE_HEIGHT = Mm(297)
MARGIN_SIDE = Mm(20)
MARGIN_TOP = Mm(20)
MARGIN_BOTTOM = Mm(20)
TEXT_WIDTH = Emu(PAGE_WIDTH - 2 * MARGIN_SIDE)
NAVY = RGBColor(0x1F, 0x38, 0x64)
INK = RGBColor(0x1A, 0x1A, 0x1A)
MUTED = RGBColor(0x59, 0x59, 0x59)
TABLE_STYLE = "Report Table"
STATEMENT_STYLE = "Statement"
NOTE_STYLE = "Quoted Note"
BODY_PT = 10.5
CONTENTS_LEVELS = 2  # headings 1 and 2 are listed in the contents

# Characters XML 1.0 cannot hold (python-docx refuses them); tab, LF and CR are fine.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

Align = Literal["left", "right", "center"]
_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
}


def left_out_text(left_out: LeftOut, where: str = "this report") -> str:
    """What the one quoting rule (core.report.note_fate) left out, computed: "Left out of
    this report and counted, never quoted: 2 hidden by the facilitator and 1 never
    approved." or "No note was left out of this report."
    """
    if not left_out.total:
        return f"No note was left out of {where}."
    return f"Left out of {where} and counted, never quoted: {left_out.text()}."


def quoting_text(privacy: PrivacyReview, left_out: LeftOut, where: str = "this report") -> str:
    """How notes are quoted and which were left out, from what happened."""
    quoted = "Notes are quoted as written"
    if privacy.removed:
        quoted += (
            f", except {counted(privacy.removed, 'personal detail')} removed in the "
            "facilitator's privacy review, shown as [removed]"
        )
    return f"{quoted}. {left_out_text(left_out, where)}"


def anonymity_text(privacy: PrivacyReview, left_out: LeftOut, where: str = "this report") -> str:
    """The front page's note on anonymity and what is quoted, from what happened."""
    return (
        f"Participants took part anonymously: {where} names no one and holds no participant "
        f"identifiers. {quoting_text(privacy, left_out, where)}"
    )


def privacy_text(privacy: PrivacyReview, left_out: LeftOut, where: str = "this report") -> str:
    """The methods' paragraph about the words in a document, from what happened."""
    return (
        "Notes are quoted exactly as participants wrote them (spelling included), with the "
        f"stakeholder group each writer chose. {privacy.statement()} "
        f"{left_out_text(left_out, where)} No participant identifier, network address or "
        "device detail is kept in this document."
    )


NBSP = "\u00a0"


def long_date(day: date) -> str:
    """ "Saturday 12 September 2026"."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def short_date(day: date) -> str:
    """ "12 Sep 2026", never broken across lines."""
    return f"{day.day}{NBSP}{day:%b}{NBSP}{day:%Y}"


def counted(n: int, singular: str, plural: str = "") -> str:
    """ "1 note", "3 notes", "2 people"."""
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"


def verdict_cell(label: str, raters: int) -> str:
    """ "Consensus in (12)"."""
    return f"{label} ({raters})"


def short(text: str, limit: int = 60) -> str:
    """One line of at most `limit` characters, shortened at a word boundary and elided
    with "…" (a single word longer than the line is cut, there being no boundary)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    room = text[: limit - 1]
    if text[limit - 1] != " " and " " in room:
        room = room.rsplit(" ", 1)[0]
    return room.rstrip(" ,;:·–—-") + "…"


def column_mm(texts: Sequence[str], *, size_pt: float = 9.5, bold: bool = True) -> float:
    """About the narrowest column (mm) that fits the longest word of `texts` unbroken, so
    a table never breaks a word like "Practitioners" in two. Generous: a wide sans-serif
    (DejaVu Sans, LibreOffice's fallback) is assumed, plus the cell's side margins."""
    longest = max((len(word) for text in texts for word in text.split()), default=0)
    em = 0.68 if bold else 0.62
    return longest * em * size_pt * 0.3528 + 3.5


def clean(text: str) -> str:
    """`text` without the characters XML cannot hold (controls, lone surrogates)."""
    return _NOT_XML.sub("", text)


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of a paragraph with its own emphasis."""

    text: str
    bold: bool = False
    italic: bool = False
    muted: bool = False  # grey, for secondary detail (a note's group)


@dataclass(frozen=True, slots=True)
class _Entry:
    text: str
    level: int
    bookmark: str


class ReportDocument:
    """An A4 report being written, top to bottom. Call `save` once at the end."""

    def __init__(
        self,
        *,
        title: str,
        subject: str,
        footer: str,
        keywords: str = "",
        created: date | None = None,
        watermark: str = "",
    ) -> None:
        self.doc: Document = new_docx()
        self._entries: list[_Entry] = []
        self._contents_at: Paragraph | None = None
        self._contents_levels = CONTENTS_LEVELS
        self._style_ids: dict[str, str] = {}
        self._bookmarks = 0
        self._figures = 0
        self._tables = 0
        _page_setup(self.doc)
        _styles(self.doc)
        _footer(self.doc, clean(footer))
        if watermark:
            _watermark(self.doc, clean(watermark))
        _properties(self.doc, clean(title), clean(subject), clean(keywords), created)
        _ask_word_to_update_fields(self.doc)
        _drop_template_leftovers(self.doc)
        # The template's empty first paragraph would leave a blank line above the title.
        body = self.doc.element.body
        for p in list(body.iterchildren(qn("w:p"))):
            body.remove(p)

    # ------------------------------------------------------------ text

    def title(self, text: str, subtitle: str = "") -> None:
        self._add("Title").add_run(clean(text))
        if subtitle:
            self._add("Subtitle").add_run(clean(subtitle))

    def heading(self, text: str, level: int, *, new_page: bool = False) -> Paragraph:
        """A heading (1-3); levels 1 and 2 are listed in the contents."""
        if not 1 <= level <= 3:
            raise ValueError(f"heading level must be 1-3, not {level}")
        paragraph = self._add(f"Heading {level}")
        if new_page:
            paragraph.paragraph_format.page_break_before = True
        text = clean(" ".join(text.split()))
        if level > CONTENTS_LEVELS:
            paragraph.add_run(text)
            return paragraph
        self._bookmarks += 1
        name = f"_Toc{self._bookmarks:09d}"
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(self._bookmarks))
        start.set(qn("w:name"), name)
        paragraph._p.append(start)
        paragraph.add_run(text)
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(self._bookmarks))
        paragraph._p.append(end)
        self._entries.append(_Entry(text, level, name))
        return paragraph

    def paragraph(
        self, text: str | Sequence[Span] = "", style: str | None = None, *, align: Align = "left"
    ) -> Paragraph:
        paragraph = self._add(style)
        self.spans(paragraph, [Span(text)] if isinstance(text, str) else text)
        if align != "left":
            paragraph.alignment = _ALIGN[align]
        return paragraph

    def spans(self, paragraph: Paragraph, spans: Sequence[Span]) -> None:
        for span in spans:
            if not span.text:
                continue
            run = paragraph.add_run(clean(span.text))
            if span.bold:
                run.bold = True
            if span.italic:
                run.italic = True
            if span.muted:
                run.font.color.rgb = MUTED

    def bullet(self, text: str | Sequence[Span]) -> Paragraph:
        return self.paragraph(text, "List Bullet")

    def quoted_note(self, text: str, group: str = "") -> Paragraph:
        """A participant's note, verbatim, as a bullet; the writer's group after it, grey."""
        spans = [Span(text)]
        if group:
            spans.append(Span(f"  ({group})", muted=True))
        return self.paragraph(spans, NOTE_STYLE)

    def statement(self, text: str) -> Paragraph:
        """A shaded, ruled box: a quality statement, or anything to set apart."""
        return self.paragraph([Span(text, bold=True)], STATEMENT_STYLE)

    def labelled(self, label: str, text: str) -> Paragraph:
        """ "Label: text", the label in bold."""
        return self.paragraph([Span(f"{label}: ", bold=True), Span(text)])

    def _add(self, style: str | None) -> Paragraph:
        """A new paragraph at the end, in `style` (None: Normal)."""
        paragraph = self.doc.add_paragraph()
        if style is not None:
            paragraph._p.style = self._style_id(style)
        return paragraph

    def _style_id(self, name: str) -> str:
        """The id of a style, looked up once: python-docx looks a style name up by walking
        every style, which was most of the time of a long document."""
        found = self._style_ids.get(name)
        if found is None:
            found = self._style_ids[name] = self.doc.styles[name].style_id
        return found

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # ------------------------------------------------------------ contents

    def contents(self, heading: str = "Contents", *, levels: int = CONTENTS_LEVELS) -> None:
        """The contents list goes here, listing headings down to `levels` (1 or 2); it is
        written out by `save` once every heading is known. Its own heading is not listed."""
        self._add("TOC Heading").add_run(clean(heading))
        self._contents_at = self.doc.add_paragraph()
        self._contents_levels = levels

    def _write_contents(self) -> None:
        anchor = self._contents_at
        if anchor is None:
            return
        for entry in self._entries:
            if entry.level > self._contents_levels:
                continue
            paragraph = anchor.insert_paragraph_before()
            paragraph._p.style = self._style_id(f"TOC {entry.level}")
            link = OxmlElement("w:hyperlink")
            link.set(qn("w:anchor"), entry.bookmark)
            link.set(qn("w:history"), "1")
            paragraph._p.append(link)
            text = paragraph.add_run(entry.text)
            link.append(text._r)
            paragraph.add_run("\t")
            _field(paragraph, f"PAGEREF {entry.bookmark} \\h", "")
        anchor._p.getparent().remove(anchor._p)
        self._contents_at = None

    # ------------------------------------------------------------ tables and figures

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        *,
        caption: str = "",
        widths_mm: Sequence[float] | None = None,
        align: Sequence[Align] | None = None,
        header_row: bool = True,
    ) -> Table:
        """A table in the report's table style, its caption ("Table N: ...") above it.

        The header row repeats on every page the table runs onto."""
        columns = len(header)
        if caption:
            self._caption("Table", caption, keep_with_next=True)
        table: Table = self.doc.add_table(rows=0, cols=columns)
        table._tbl.tblStyle_val = self._style_id(TABLE_STYLE)
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        _table_look(table, header_row=header_row)
        widths = _widths(widths_mm, columns)
        for col, width in zip(table.columns, widths, strict=True):
            col.width = width
        aligns = list(align or ["left"] * columns)
        all_rows = [list(header), *map(list, rows)] if header_row else [*map(list, rows)]
        for index, values in enumerate(all_rows):
            if len(values) != columns:
                raise ValueError(f"row {index} has {len(values)} cells, not {columns}")
            row = table.add_row()  # type: ignore[no-untyped-call]
            if index == 0 and header_row:
                _repeat_header(row._tr)
            for cell, value, width, where in zip(row.cells, values, widths, aligns, strict=True):
                cell.width = width
                paragraph = cell.paragraphs[0]
                paragraph.add_run(clean(value))
                if where != "left":
                    paragraph.alignment = _ALIGN[where]
        self._add("After Table")
        return table

    def key_values(self, rows: Sequence[tuple[str, str]], *, caption: str = "") -> Table:
        """A two-column table of labels (bold) and values, without a header row."""
        table = self.table(("", ""), rows, caption=caption, widths_mm=(45, 125), header_row=False)
        for row in table.rows:
            for run in row.cells[0].paragraphs[0].runs:
                run.bold = True
        return table

    def figure(self, png: bytes, caption: str, *, width_mm: float = 165) -> None:
        """A picture, centred, with "Figure N: caption" under it."""
        self.doc.add_picture(io.BytesIO(png), width=Mm(width_mm))
        picture = self.doc.paragraphs[-1]
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        picture.paragraph_format.keep_with_next = True
        picture.paragraph_format.space_after = Pt(2)
        self._caption("Figure", caption, keep_with_next=False)

    def _caption(self, label: str, text: str, *, keep_with_next: bool) -> None:
        if label == "Figure":
            self._figures += 1
            number = self._figures
        else:
            self._tables += 1
            number = self._tables
        paragraph = self._add("Caption")
        paragraph.paragraph_format.keep_with_next = keep_with_next
        lead = paragraph.add_run(f"{label} ")
        lead.bold = True
        _field(paragraph, f"SEQ {label} \\* ARABIC", str(number), bold=True)
        colon = paragraph.add_run(": ")
        colon.bold = True
        paragraph.add_run(clean(" ".join(text.split())))

    # ------------------------------------------------------------ saving

    @property
    def headings(self) -> list[tuple[int, str]]:
        """(level, text) of every heading listed in the contents, in order."""
        return [(e.level, e.text) for e in self._entries]

    def save(self, path: Path | str) -> Path:
        """Write the .docx (through a temporary file, so a failure leaves no half file)."""
        self._write_contents()
        target = Path(path)
        partial = target.with_name(f".{target.name}.partial")
        try:
            self.doc.save(str(partial))
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
        return target


# ---------------------------------------------------------------- set-up


def _page_setup(doc: Document) -> None:
    for section in doc.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width = PAGE_WIDTH
        section.page_height = PAGE_HEIGHT
        section.left_margin = section.right_margin = MARGIN_SIDE
        section.top_margin = MARGIN_TOP
        section.bottom_margin = MARGIN_BOTTOM
        section.header_distance = Mm(10)
        section.footer_distance = Mm(10)


def _styles(doc: Document) -> None:
    styles = doc.styles
    _defaults(doc)

    title = styles["Title"]
    _font(title, size=24, bold=True, colour=NAVY)
    _no_borders(title)
    title.paragraph_format.space_after = Pt(6)
    subtitle = styles["Subtitle"]
    _font(subtitle, size=13, colour=MUTED, italic=False)
    subtitle.paragraph_format.space_after = Pt(18)

    for level, size, before, after, colour in (
        (1, 16, 18, 6, NAVY),
        (2, 13, 14, 4, NAVY),
        (3, 11, 10, 3, INK),
    ):
        style = styles[f"Heading {level}"]
        _font(style, size=size, bold=True, colour=colour, italic=False)
        pf = style.paragraph_format
        pf.space_before = Pt(before)
        pf.space_after = Pt(after)
        pf.keep_with_next = True
    _bottom_rule(styles["Heading 1"], "1F3864")

    toc_heading = styles["TOC Heading"]
    _font(toc_heading, size=16, bold=True, colour=NAVY, italic=False)
    toc_heading.paragraph_format.space_before = Pt(12)
    toc_heading.paragraph_format.space_after = Pt(6)
    for level in (1, 2):
        style = _paragraph_style(doc, f"TOC {level}")
        _font(style, size=10.5, bold=level == 1, colour=INK)
        pf = style.paragraph_format
        pf.left_indent = Mm(6 * (level - 1))
        pf.space_before = Pt(5 if level == 1 else 0)
        pf.space_after = Pt(1)
        pf.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)

    caption = styles["Caption"]
    _font(caption, size=9, bold=False, colour=NAVY, italic=False)
    caption.paragraph_format.space_before = Pt(4)
    caption.paragraph_format.space_after = Pt(10)

    bullet = styles["List Bullet"]
    bullet.paragraph_format.space_after = Pt(3)
    note = _paragraph_style(doc, NOTE_STYLE, base="List Bullet")
    note.paragraph_format.space_after = Pt(3)
    note.paragraph_format.line_spacing = 1.1

    statement = _paragraph_style(doc, STATEMENT_STYLE)
    _font(statement, size=11.5, colour=NAVY)
    pf = statement.paragraph_format
    pf.space_before = Pt(6)
    pf.space_after = Pt(12)
    pf.left_indent = Mm(3)
    pf.right_indent = Mm(3)
    _box(statement, fill="EAF0F8", rule="1F3864")

    gap = _paragraph_style(doc, "After Table")  # the small gap a table needs below it
    _font(gap, size=4, colour=INK)
    gap.paragraph_format.space_after = Pt(4)
    gap.paragraph_format.line_spacing = 1.0

    footer = styles["Footer"]
    _font(footer, size=8.5, colour=MUTED)
    _table_style(doc)


def _defaults(doc: Document) -> None:
    """The body text's font, size, colour, language and spacing, as document defaults.

    Not in Normal: what Normal sets would win over the table style inside tables (Word
    and LibreOffice rank paragraph styles above table styles), so tables could not have
    their smaller, tighter text."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    defaults.remove(defaults.find(qn("w:rPrDefault")))
    defaults.remove(defaults.find(qn("w:pPrDefault")))
    size = int(BODY_PT * 2)
    defaults.append(
        parse_xml(
            f"""<w:rPrDefault {nsdecls("w")}><w:rPr>
  <w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>
  <w:color w:val="{INK}"/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/>
  <w:lang w:val="en-GB" w:eastAsia="en-GB" w:bidi="ar-SA"/>
</w:rPr></w:rPrDefault>"""
        )
    )
    defaults.append(
        parse_xml(
            f'<w:pPrDefault {nsdecls("w")}><w:pPr><w:spacing w:before="0" w:after="120" '
            'w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault>'
        )
    )


def _paragraph_style(doc: Document, name: str, base: str = "Normal") -> ParagraphStyle:
    try:
        return cast(ParagraphStyle, doc.styles[name])
    except KeyError:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles[base]
        return cast(ParagraphStyle, style)


def _font(
    style: CharacterStyle,
    *,
    size: float,
    colour: RGBColor,
    bold: bool | None = None,
    italic: bool | None = None,
) -> None:
    font = style.font
    font.size = Pt(size)
    font.color.rgb = colour
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for key in list(fonts.attrib):  # theme fonts would win over the named one
        del fonts.attrib[key]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def _ppr(style: BaseStyle) -> BaseOxmlElement:
    return cast(BaseOxmlElement, style.element.get_or_add_pPr())


# What may follow pBdr inside a pPr (ECMA-376 order), so a border goes in before them.
_AFTER_PBDR = tuple(
    f"w:{tag}"
    for tag in [
        "shd",
        "tabs",
        "suppressAutoHyphens",
        "kinsoku",
        "wordWrap",
        "overflowPunct",
        "topLinePunct",
        "autoSpaceDE",
        "autoSpaceDN",
        "bidi",
        "adjustRightInd",
        "snapToGrid",
        "spacing",
        "ind",
        "contextualSpacing",
        "mirrorIndents",
        "suppressOverlap",
        "jc",
        "textDirection",
        "textAlignment",
        "textboxTightWrap",
        "outlineLvl",
        "divId",
        "cnfStyle",
        "rPr",
        "sectPr",
        "pPrChange",
    ]
)


def _set_borders(ppr: BaseOxmlElement, border: BaseOxmlElement) -> None:
    for old in ppr.findall(qn("w:pBdr")):
        ppr.remove(old)
    ppr.insert_element_before(border, *_AFTER_PBDR)


def _no_borders(style: BaseStyle) -> None:
    ppr = _ppr(style)
    for old in ppr.findall(qn("w:pBdr")):
        ppr.remove(old)


def _bottom_rule(style: BaseStyle, colour: str) -> None:
    border = parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="6" w:space="3" '
        f'w:color="{colour}"/></w:pBdr>'
    )
    _set_borders(_ppr(style), border)


def _box(style: BaseStyle, *, fill: str, rule: str) -> None:
    ppr = _ppr(style)
    edge = f'w:val="single" w:sz="6" w:space="6" w:color="{rule}"'
    _set_borders(
        ppr,
        parse_xml(
            f'<w:pBdr {nsdecls("w")}><w:top {edge}/><w:left w:val="single" w:sz="24" '
            f'w:space="6" w:color="{rule}"/><w:bottom {edge}/><w:right {edge}/></w:pBdr>'
        ),
    )
    shd = parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>')
    # shd follows pBdr in the schema
    border = ppr.find(qn("w:pBdr"))
    border.addnext(shd)


def _table_style(doc: Document) -> None:
    """ "Report Table": a navy header row in white bold, light banded rows, thin rules."""
    style = doc.styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.TABLE)
    style.base_style = doc.styles["Normal Table"]
    thin = 'w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"'
    strong = 'w:val="single" w:sz="8" w:space="0" w:color="1F3864"'
    parts = parse_xml(
        f"""<w:root {nsdecls("w")}>
  <w:pPr><w:keepNext w:val="0"/><w:spacing w:before="0" w:after="0" w:line="252"
    w:lineRule="auto"/></w:pPr>
  <w:rPr><w:sz w:val="19"/><w:szCs w:val="19"/></w:rPr>
  <w:tblPr>
    <w:tblStyleRowBandSize w:val="1"/>
    <w:tblStyleColBandSize w:val="1"/>
    <w:tblBorders><w:top {strong}/><w:bottom {strong}/><w:insideH {thin}/></w:tblBorders>
    <w:tblCellMar><w:top w:w="45" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>
      <w:bottom w:w="45" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>
  </w:tblPr>
  <w:tblStylePr w:type="firstRow">
    <w:rPr><w:b/><w:bCs/><w:color w:val="FFFFFF"/></w:rPr>
    <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="1F3864"/></w:tcPr>
  </w:tblStylePr>
  <w:tblStylePr w:type="band1Horz">
    <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="F2F5FA"/></w:tcPr>
  </w:tblStylePr>
</w:root>"""
    )
    for child in list(parts):
        style.element.append(child)


def _table_look(table: Table, *, header_row: bool) -> None:
    tbl_pr = table._tbl.tblPr
    for old in tbl_pr.findall(qn("w:tblLook")):
        tbl_pr.remove(old)
    look = OxmlElement("w:tblLook")
    look.set(qn("w:val"), "0420" if header_row else "0400")
    look.set(qn("w:firstRow"), "1" if header_row else "0")
    look.set(qn("w:lastRow"), "0")
    look.set(qn("w:firstColumn"), "0")
    look.set(qn("w:lastColumn"), "0")
    look.set(qn("w:noHBand"), "0")
    look.set(qn("w:noVBand"), "1")
    tbl_pr.append(look)


def _repeat_header(tr: BaseOxmlElement) -> None:
    trpr = tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "1")
    trpr.append(header)


def _widths(widths_mm: Sequence[float] | None, columns: int) -> list[Emu]:
    if widths_mm is None:
        return [Emu(TEXT_WIDTH // columns)] * columns
    if len(widths_mm) != columns:
        raise ValueError(f"{len(widths_mm)} widths for {columns} columns")
    total = sum(widths_mm)
    return [Emu(int(TEXT_WIDTH * w / total)) for w in widths_mm]


def _footer(doc: Document, text: str) -> None:
    section = doc.sections[0]
    paragraph = section.footer.paragraphs[0]
    paragraph.style = doc.styles["Footer"]
    stops = paragraph.paragraph_format.tab_stops
    stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    paragraph.add_run(text)
    paragraph.add_run("\tPage ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(" of ")
    _field(paragraph, "NUMPAGES", "1")
    # The template's footer style has tab stops for US Letter: clear them.
    ppr = doc.styles["Footer"].element.pPr
    if ppr is not None:
        for tabs in ppr.findall(qn("w:tabs")):
            ppr.remove(tabs)


_VML = 'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'


def _watermark(doc: Document, text: str) -> None:
    """`text` on every page: a line at the top of the page (the header) and, behind the
    text, large, pale and diagonal, a watermark as Word makes one (a VML text path, which
    Word and LibreOffice both draw and list as the document's watermark)."""
    header = doc.sections[0].header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.style = doc.styles["Header"]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    label = paragraph.add_run(text.upper())
    label.bold = True
    label.font.size = Pt(8.5)
    label.font.color.rgb = MUTED
    quoted = text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    shape = parse_xml(
        f"""<w:r {nsdecls("w")} {_VML}><w:pict>
  <v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800"
      path="m@7,l@8,m@5,21600l@6,21600e">
    <v:formulas>
      <v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/>
      <v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/>
      <v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/>
      <v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/>
      <v:f eqn="mid @6 @7"/><v:f eqn="sum @6 0 @5"/>
    </v:formulas>
    <v:path textpathok="t" o:connecttype="custom"
        o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800"
        o:connectangles="270,180,90,0"/>
    <v:textpath on="t" fitshape="t"/>
    <o:lock v:ext="edit" text="t" shapetype="t"/>
  </v:shapetype>
  <v:shape id="PowerPlusWaterMarkObject1" o:spid="_x0000_s2049" type="#_x0000_t136"
      style="position:absolute;margin-left:0;margin-top:0;width:470pt;height:94pt;
      rotation:315;z-index:-251657216;mso-position-horizontal:center;
      mso-position-horizontal-relative:margin;mso-position-vertical:center;
      mso-position-vertical-relative:margin"
      o:allowincell="f" fillcolor="#D9D9D9" stroked="f">
    <v:fill opacity=".5"/>
    <v:textpath style="font-family:&quot;{FONT}&quot;;font-size:1pt" string="{quoted}"/>
  </v:shape>
</w:pict></w:r>"""
    )
    paragraph._p.append(shape)


def _field(paragraph: Paragraph, instruction: str, shown: str, *, bold: bool = False) -> None:
    """A Word field (begin, instruction, separate, its stored result, end)."""

    def char(kind: str) -> None:
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)

    char("begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    char("separate")
    result = paragraph.add_run(shown)
    if bold:
        result.bold = True
    char("end")


def _properties(
    doc: Document, title: str, subject: str, keywords: str, created: date | None
) -> None:
    props = doc.core_properties
    props.title = title[:255]
    props.subject = subject[:255]
    props.author = APP_NAME
    props.last_modified_by = APP_NAME
    props.comments = f"Written by {APP_NAME}."
    props.keywords = keywords[:255]
    props.category = "Report"
    props.language = "en-GB"
    props.revision = 1
    when = datetime.combine(created or date.today(), time(0, 0))
    props.created = when
    props.modified = when


def _ask_word_to_update_fields(doc: Document) -> None:
    """Word then fills in the contents' page numbers on opening (it asks first)."""
    settings = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def _drop_template_leftovers(doc: Document) -> None:
    """The default template's thumbnail (a picture of another document) and its
    application name go; what remains describes this document only."""
    package = doc.part.package
    for rel in list(package.rels.values()):
        if rel.reltype.endswith("/thumbnail"):
            package.rels.pop(rel.rId)
    for part in package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            part._blob = (
                b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
                b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
                b'extended-properties"><Application>Common Ground</Application></Properties>'
            )


__all__ = [
    "APP_NAME",
    "TEXT_WIDTH",
    "Align",
    "ReportDocument",
    "Span",
    "anonymity_text",
    "clean",
    "column_mm",
    "counted",
    "left_out_text",
    "long_date",
    "privacy_text",
    "quoting_text",
    "short",
    "short_date",
    "verdict_cell",
]


def smiley_table(doc: ReportDocument, mapping: Sequence[tuple[int, int]]) -> None:
    """The documented table of children's five faces on the 1-9 scale."""
    doc.table(
        ("Face (1 = saddest, 5 = happiest)", "Counts as"),
        [(str(face), str(value)) for face, value in mapping],
        caption="Smiley faces on the 1–9 scale",
        widths_mm=(100, 70),
        align=("left", "right"),
    )
