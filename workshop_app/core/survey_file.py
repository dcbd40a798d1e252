"""Survey questions brought as a file: TOML (like session plans) or CSV (from a
spreadsheet). A youth panel may write its questions anywhere; a typo gives a message that
names the line, and nothing is imported until the whole file is right.

TOML, one table per question, in order::

    [[question]]
    kind = "smiley"            # smiley, agree, yes_no, choice or text
    text = "How did today feel?"
    child_text = ""            # optional: children's wording
    required = false           # optional
    options = ["A", "B"]       # choice questions only

CSV, with a header row ``kind,text,child_text,required,options``; ``options`` separated
by ``|``, ``required`` yes/no (or true/false, 1/0); only ``kind`` and ``text`` needed.
"""

from __future__ import annotations

import csv
import io
import tomllib
from collections.abc import Mapping
from typing import Any

from workshop_app.core.errors import DomainError
from workshop_app.core.survey import QUESTIONS_MAX, QuestionFields, QuestionKind, clean_question

FIELDS = ("kind", "text", "child_text", "required", "options")
_KINDS = ", ".join(k.value for k in QuestionKind)
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0", ""}


class SurveyFileError(DomainError):
    """A questions file that cannot be imported: every problem, each naming its line."""

    def __init__(self, problems: list[str]):
        self.problems = tuple(problems)
        super().__init__("\n".join(self.problems))


def parse_questions(text: str, name: str) -> list[QuestionFields]:
    """The questions of a file called `name` (.toml or .csv), checked; SurveyFileError."""
    if name.lower().endswith(".csv"):
        return _parse_csv(text, name)
    if name.lower().endswith(".toml"):
        return _parse_toml(text, name)
    raise SurveyFileError([f"{name}: a questions file ends in .toml or .csv"])


def _parse_toml(text: str, name: str) -> list[QuestionFields]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SurveyFileError([f"{name}: {exc}"]) from None
    unknown = sorted(set(data) - {"question"})
    problems = [f"{name}: unknown section “{k}” (questions are [[question]])" for k in unknown]
    items = data.get("question", [])
    if not isinstance(items, list) or not items:
        problems.append(f"{name}: no questions (each one starts with [[question]])")
        raise SurveyFileError(problems)
    lines = _question_lines(text)
    out: list[QuestionFields] = []
    for i, item in enumerate(items):
        at = f"{name}, line {lines[i]}" if i < len(lines) else f"{name}, question {i + 1}"
        if not isinstance(item, Mapping):
            problems.append(f"{at}: each question is a [[question]] table")
            continue
        extra = sorted(set(item) - set(FIELDS))
        for key in extra:
            problems.append(f"{at}: unknown field “{key}” (fields: {', '.join(FIELDS)})")
        options = item.get("options", [])
        if not isinstance(options, list) or not all(isinstance(o, str) for o in options):
            problems.append(f'{at}: options: a list of answers in quotes, like ["A", "B"]')
            options = []
        required = item.get("required", False)
        if not isinstance(required, bool):
            problems.append(f"{at}: required: true or false")
            required = False
        question = _question(item, options, required, at, problems)
        if question is not None:
            out.append(question)
    return _finish(out, problems, name)


def _question_lines(text: str) -> list[int]:
    """The line of each [[question]] header (1-based), in order."""
    return [
        n
        for n, line in enumerate(text.splitlines(), 1)
        if line.strip().replace(" ", "").startswith("[[question]]")
    ]


def _parse_csv(text: str, name: str) -> list[QuestionFields]:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    rows = list(reader)
    if not rows:
        raise SurveyFileError([f"{name}: the file is empty"])
    header = [h.strip().lower() for h in rows[0]]
    problems = [
        f"{name}, line 1: unknown column “{h}” (columns: {', '.join(FIELDS)})"
        for h in header
        if h and h not in FIELDS
    ]
    for needed in ("kind", "text"):
        if needed not in header:
            problems.append(f"{name}, line 1: the column “{needed}” is missing")
    if problems:
        raise SurveyFileError(problems)
    out: list[QuestionFields] = []
    for n, row in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            problems.append(f"{name}, line {n}: more cells than columns (a stray comma?)")
            continue
        item: dict[str, Any] = dict(zip(header, row, strict=False))
        at = f"{name}, line {n}"
        options = [o for o in str(item.get("options", "")).split("|") if o.strip()]
        flag = str(item.get("required", "")).strip().lower()
        if flag not in _YES | _NO:
            problems.append(f"{at}: required: yes or no, not “{flag}”")
        question = _question(item, options, flag in _YES, at, problems)
        if question is not None:
            out.append(question)
    return _finish(out, problems, name)


def _question(
    item: Mapping[str, Any], options: list[str], required: bool, at: str, problems: list[str]
) -> QuestionFields | None:
    kind_text = str(item.get("kind", "")).strip().lower().replace("-", "_")
    try:
        kind = QuestionKind(kind_text)
    except ValueError:
        shown = kind_text or "nothing"
        problems.append(f"{at}: kind: “{shown}” is not a question kind ({_KINDS})")
        return None
    text, child = item.get("text", ""), item.get("child_text", "")
    if not isinstance(text, str) or not isinstance(child, str):
        problems.append(f"{at}: text and child_text are words in quotes")
        return None
    try:
        return clean_question(QuestionFields(kind, text, child, tuple(options), required))
    except DomainError as exc:
        problems.append(f"{at}: {exc}")
        return None


def _finish(out: list[QuestionFields], problems: list[str], name: str) -> list[QuestionFields]:
    if not problems and not out:
        problems.append(f"{name}: no questions in the file")
    if len(out) > QUESTIONS_MAX:
        problems.append(f"{name}: {len(out)} questions; a survey holds at most {QUESTIONS_MAX}")
    if problems:
        raise SurveyFileError(problems)
    return out
