"""The evaluation surveys' rows for the CSV and JSON exports (export/tabular.py declares
their columns): the questions, the closed answers counted per group (small groups
withheld, core/cells.py), and which note holds each written answer. No participant id."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from workshop_app.core.cells import fewer_than, suppressed
from workshop_app.core.consensus import NO_GROUP
from workshop_app.core.model import Activity
from workshop_app.core.survey import choices
from workshop_app.export.tabular import Cell
from workshop_app.services import survey
from workshop_app.services.project import OpenProject
from workshop_app.storage import survey as repo


def survey_rows(
    p: OpenProject,
    activity: Activity,
    group_names: Mapping[str, str],
    exported_notes: set[str],
    min_cell: int,
) -> dict[str, list[dict[str, Cell]]]:
    db = p.store.reader()
    results = survey.survey_results(p, activity.id)
    out: dict[str, list[dict[str, Cell]]] = {
        "survey_questions": [],
        "survey_answers": [],
        "survey_written": [],
    }
    counted: Counter[tuple[str, str | None, int]] = Counter()
    for row in repo.choice_answers(db, activity.id):
        counted[(row.question_id, row.group_id, row.choice)] += 1
    for r in results.questions:
        q = r.question
        out["survey_questions"].append(
            {
                "session_id": activity.session_id,
                "activity_id": activity.id,
                "activity_title": activity.title,
                "question_id": q.id,
                "number": r.number,
                "kind": q.kind.value,
                "text": q.text,
                "child_text": q.child_text or None,
                "answers": " | ".join(choices(q)) or None,
                "required": q.required,
                "answered": r.answered,
                "we_did": q.we_did or None,
            }
        )
        people: Counter[str | None] = Counter()
        for (qid, group_id, _choice), n in counted.items():
            if qid == q.id:
                people[group_id] += n
        groups = sorted(people, key=lambda g: (g is None, group_names.get(g or "", "")))
        for group_id in groups:
            base: dict[str, Cell] = {
                "session_id": activity.session_id,
                "activity_id": activity.id,
                "question_id": q.id,
                "number": r.number,
                "group_id": group_id,
                "group_name": group_names.get(group_id, "A removed group")
                if group_id
                else NO_GROUP,
            }
            if suppressed(people[group_id], min_cell):
                out["survey_answers"].append(
                    {**base, "answer_number": None, "answer": None, "people": fewer_than(min_cell)}
                )
                continue
            for number, words in enumerate(choices(q), 1):
                n = counted.get((q.id, group_id, number), 0)
                if n:
                    out["survey_answers"].append(
                        {**base, "answer_number": number, "answer": words, "people": n}
                    )
        out["survey_written"].extend(
            {
                "note_id": w.note_id,
                "question_id": q.id,
                "session_id": activity.session_id,
                "activity_id": activity.id,
            }
            for w in r.written
            if w.note_id in exported_notes
        )
    return out
