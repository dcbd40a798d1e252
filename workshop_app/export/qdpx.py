"""A REFI-QDA project (.qdpx): the open exchange format of qualitative analysis programs
(QualCoder, NVivo, ATLAS.ti, MAXQDA), REFI-QDA Project 1.0 (QDA-XML, 18 March 2019).

A .qdpx file is a zip holding `project.qde` (XML in the namespace urn:QDA-XML:project:1.0)
and the plain-text sources it names (`sources/<guid>.txt`, read as internal://<guid>.txt).
We write (docs/decisions/018-refi-qda-export.md):

- each session as a **text source**: its title, then each brainstorm's title and prompt,
  then its notes, one paragraph each;
- each note as a **plain-text selection** of that source (startPosition and endPosition
  count Unicode characters from 0; the end is exclusive), coded with its theme;
- each session's themes as **codes**, under a category (a code that cannot be coded) named
  after the session, so names stay unique among siblings;
- each stakeholder group as a **case**, holding its notes' selections, with the group's
  kind as a case **variable**.

Pure: it takes plain data (`QdaProject`, built by services/qda.py) and writes bytes. The
XML comes from the standard library; identifiers are the project's own UUIDs as GUIDs, and
GUIDs for what has no id of its own are derived from ids (uuid5), so two exports of the
same project use the same GUIDs.
"""

from __future__ import annotations

import io
import os
import re
import uuid
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

NAMESPACE = "urn:QDA-XML:project:1.0"
PROJECT_FILE = "project.qde"
SOURCES_FOLDER = "sources"
_GUID_SPACE = uuid.UUID("9b0c6f1e-3a57-4c55-9a6e-6d1f3e0c2a10")  # ours: derived GUIDs
# Characters XML 1.0 cannot hold (control characters other than tab and line ends).
_RGB = re.compile(r"#[0-9A-Fa-f]{6}")
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True, slots=True)
class QdaNote:
    id: str
    text: str  # export-ready: the privacy review's removals applied
    group_id: str | None
    theme_ids: tuple[str, ...]  # the themes it is in (codes)
    created_at: datetime
    description: str = ""  # shown with the selection: activity and group


@dataclass(frozen=True, slots=True)
class QdaActivity:
    title: str
    prompt: str
    notes: tuple[QdaNote, ...]


@dataclass(frozen=True, slots=True)
class QdaSession:
    id: str
    title: str
    date: date | None
    venue: str
    activities: tuple[QdaActivity, ...]
    created_at: datetime


@dataclass(frozen=True, slots=True)
class QdaTheme:
    id: str
    session_id: str
    name: str
    colour: str  # "#RRGGBB"
    description: str = ""


@dataclass(frozen=True, slots=True)
class QdaGroup:
    id: str | None  # None: people who chose no group
    name: str
    kind: str  # child, parent, practitioner, community, other; "" for no group


@dataclass(frozen=True, slots=True)
class QdaProject:
    title: str
    generated_at: datetime
    origin: str  # the program that wrote it
    sessions: tuple[QdaSession, ...]
    themes: tuple[QdaTheme, ...]
    groups: tuple[QdaGroup, ...]
    description: str = ""


@dataclass(frozen=True, slots=True)
class Selection:
    note: QdaNote
    start: int  # in characters (code points), from 0
    end: int  # exclusive


# ---------------------------------------------------------------- identifiers


def guid(value: str, kind: str = "") -> str:
    """A GUID for one of our ids: the id itself when it is a UUID (and `kind` is empty),
    else one derived from kind and id, the same in every export."""
    if not kind:
        try:
            return str(uuid.UUID(hex=value))
        except ValueError:
            pass
    return str(uuid.uuid5(_GUID_SPACE, f"{kind}:{value}"))


def _user_guid() -> str:
    return guid("common-ground", "user")


# ---------------------------------------------------------------- sources


def source_text(session: QdaSession) -> tuple[str, list[Selection]]:
    """A session as plain text, and where each note is in it."""
    parts: list[str] = []
    length = 0
    selections: list[Selection] = []

    def add(text: str) -> int:
        nonlocal length
        start = length
        parts.append(text)
        length += len(text)
        return start

    details = [d for d in (session.date.isoformat() if session.date else "", session.venue) if d]
    add(_lines(session.title) + ("\n" + _lines(", ".join(details)) if details else "") + "\n")
    for activity in session.activities:
        add("\n" + _lines(activity.title) + "\n")
        if activity.prompt.strip():
            add(_lines(activity.prompt.strip()) + "\n")
        for note in activity.notes:
            add("\n")
            text = _lines(note.text)
            start = add(text)
            selections.append(Selection(note, start, start + len(text)))
            add("\n")
    return "".join(parts), selections


def _lines(text: str) -> str:
    """Line ends as \\n only, so that no program counts a \\r\\n differently."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


# ---------------------------------------------------------------- the XML


def _q(tag: str) -> str:
    return f"{{{NAMESPACE}}}{tag}"


def _el(parent: ET.Element, tag: str, **attrs: str) -> ET.Element:
    return ET.SubElement(parent, _q(tag), {k: _xml_safe(v) for k, v in attrs.items()})


def _xml_safe(text: str) -> str:
    """Text without the characters XML 1.0 cannot hold (they would make the file unreadable)."""
    return _NOT_XML.sub("", text)


def _described(parent: ET.Element, text: str) -> None:
    if text:
        _el(parent, "Description").text = _xml_safe(text)


def _stamp(when: datetime) -> str:
    """xsd:dateTime in UTC, to the second."""
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _unique(name: str, taken: set[str], qualifier: str = "") -> str:
    """`name`, else "name (qualifier)", else "name (2)"…: a name not in `taken` (any case),
    which it joins. Some programs merge codes of the same name wherever they are in the
    codebook (QualCoder does), so two sessions' "Safety" must differ."""
    base = " ".join(_xml_safe(name).split()) or "Untitled"
    candidates = [base, *([f"{base} ({qualifier})"] if qualifier else [])]
    n = 2
    while all(c.casefold() in taken for c in candidates):
        candidates = [f"{candidates[-1]} ({n})"]
        n += 1
    chosen = next(c for c in candidates if c.casefold() not in taken)
    taken.add(chosen.casefold())
    return chosen


def project_xml(project: QdaProject) -> tuple[bytes, dict[str, str]]:
    """project.qde as bytes, and each source file's text by its path in the zip."""
    ET.register_namespace("", NAMESPACE)
    user = _user_guid()
    root = ET.Element(
        _q("Project"),
        {
            "name": _xml_safe(project.title),
            "origin": _xml_safe(project.origin),
            "creatingUserGUID": user,
            "creationDateTime": _stamp(project.generated_at),
        },
    )
    users = _el(root, "Users")
    _el(users, "User", guid=user, name=project.origin)

    themes_by_session: dict[str, list[QdaTheme]] = {}
    for t in project.themes:
        themes_by_session.setdefault(t.session_id, []).append(t)
    if project.themes:
        codes = _el(_el(root, "CodeBook"), "Codes")
        session_names: set[str] = set()
        code_names: set[str] = set()  # across the whole codebook
        for s in project.sessions:
            mine = themes_by_session.get(s.id, [])
            if not mine:
                continue
            category_name = _unique(s.title, session_names)
            category = _el(
                codes,
                "Code",
                guid=guid(s.id, "session-category"),
                name=category_name,
                isCodable="false",
            )
            _described(category, f"Themes of the session “{s.title}”.")
            for t in mine:
                colour = {"color": t.colour.upper()} if _RGB.fullmatch(t.colour) else {}
                code = _el(
                    category,
                    "Code",
                    guid=guid(t.id),
                    name=_unique(t.name, code_names, category_name),
                    isCodable="true",
                    **colour,
                )
                _described(code, t.description)

    sources_text: dict[str, str] = {}
    selections_by_group: dict[str | None, list[str]] = {}
    placed: list[tuple[QdaSession, str, list[Selection]]] = []
    for s in project.sessions:
        text, selections = source_text(s)
        placed.append((s, text, selections))
        for sel in selections:
            selections_by_group.setdefault(sel.note.group_id, []).append(guid(sel.note.id))

    kind_variable = guid("group-kind", "variable")
    cases = [g for g in project.groups if selections_by_group.get(g.id)]
    if cases:
        variables = _el(root, "Variables")
        variable = _el(
            variables, "Variable", guid=kind_variable, name="Group kind", typeOfVariable="Text"
        )
        _described(
            variable,
            "What kind of stakeholder group the writer chose when joining (child, parent, "
            "practitioner, community, other); empty for no group.",
        )
        cases_el = _el(root, "Cases")
        case_names: set[str] = set()
        for g in cases:
            case = _el(
                cases_el,
                "Case",
                guid=guid(g.id) if g.id else guid("none", "no-group-case"),
                name=_unique(g.name, case_names),
            )
            _described(case, "A stakeholder group: every note written by people in it.")
            value = _el(case, "VariableValue")
            _el(value, "VariableRef", targetGUID=kind_variable)
            _el(value, "TextValue").text = _xml_safe(g.kind)
            for target in selections_by_group.get(g.id, []):
                _el(case, "SelectionRef", targetGUID=target)

    if placed:
        sources = _el(root, "Sources")
        for s, text, selections in placed:
            source_guid = guid(s.id)
            path = f"{SOURCES_FOLDER}/{source_guid}.txt"
            sources_text[path] = text
            source = _el(
                sources,
                "TextSource",
                guid=source_guid,
                name=s.title,
                plainTextPath=f"internal://{source_guid}.txt",
                creatingUser=user,
                creationDateTime=_stamp(s.created_at),
            )
            _described(source, "A workshop session: the notes shown on its wall.")
            for sel in selections:
                element = _el(
                    source,
                    "PlainTextSelection",
                    guid=guid(sel.note.id),
                    startPosition=str(sel.start),
                    endPosition=str(sel.end),
                    creatingUser=user,
                    creationDateTime=_stamp(sel.note.created_at),
                )
                _described(element, sel.note.description)
                for theme_id in sel.note.theme_ids:
                    coding = _el(
                        element,
                        "Coding",
                        guid=guid(f"{sel.note.id}:{theme_id}", "coding"),
                        creatingUser=user,
                        creationDateTime=_stamp(project.generated_at),
                    )
                    _el(coding, "CodeRef", targetGUID=guid(theme_id))
    _described(root, project.description)
    ET.indent(root, space="  ")
    xml = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return xml, sources_text


def qdpx_bytes(project: QdaProject) -> bytes:
    xml, sources = project_xml(project)
    buffer = io.BytesIO()
    stamp = project.generated_at.timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, content in ((PROJECT_FILE, xml), *_encoded(sources.items())):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, content)
    return buffer.getvalue()


def _encoded(items: Iterable[tuple[str, str]]) -> Sequence[tuple[str, bytes]]:
    return [(name, text.encode("utf-8")) for name, text in items]


def write_qdpx(project: QdaProject, path: Path) -> Path:
    """The .qdpx file at `path`: written next to it, then renamed into place."""
    part = path.with_name(path.name + ".part")
    part.write_bytes(qdpx_bytes(project))
    os.replace(part, path)
    return path
