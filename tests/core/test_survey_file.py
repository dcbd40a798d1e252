"""Questions brought as a file (core/survey_file.py): TOML and CSV, every mistake named by
its line, and nothing taken from a file with a mistake."""

from __future__ import annotations

import pytest

from workshop_app.core.survey import QuestionFields, QuestionKind
from workshop_app.core.survey_file import SurveyFileError, parse_questions

GOOD_TOML = """\
# our questions
[[question]]
kind = "smiley"
text = "How did today feel?"
required = true

[[question]]
kind = "choice"
text = "What was the best part?"
child_text = "What did you like best?"
options = ["Games", "Talking", "Food"]

[[question]]
kind = "text"
text = "What should we change?"
"""

GOOD_CSV = (
    "\ufeffkind,text,child_text,required,options\n"
    "agree,We were listened to,,yes,\n"
    "yes_no,Would you come again?,,,\n"
    "choice,Best part?,,no,Games|Talking\n"
    ",,,,\n"
)


def test_a_toml_file_gives_its_questions_in_order() -> None:
    assert parse_questions(GOOD_TOML, "ours.toml") == [
        QuestionFields(QuestionKind.SMILEY, "How did today feel?", "", (), True),
        QuestionFields(
            QuestionKind.CHOICE,
            "What was the best part?",
            "What did you like best?",
            ("Games", "Talking", "Food"),
            False,
        ),
        QuestionFields(QuestionKind.TEXT, "What should we change?"),
    ]


def test_a_csv_file_from_a_spreadsheet_gives_its_questions() -> None:
    assert parse_questions(GOOD_CSV, "Ours.CSV") == [
        QuestionFields(QuestionKind.AGREE, "We were listened to", "", (), True),
        QuestionFields(QuestionKind.YES_NO, "Would you come again?"),
        QuestionFields(QuestionKind.CHOICE, "Best part?", "", ("Games", "Talking")),
    ]


@pytest.mark.parametrize(
    ("text", "name", "problems"),
    [
        (
            GOOD_TOML.replace('kind = "choice"', 'kind = "chioce"'),
            "q.toml",
            [
                "q.toml, line 7: kind: “chioce” is not a question kind "
                "(smiley, agree, yes_no, choice, text)"
            ],
        ),
        (
            GOOD_TOML.replace("required = true", "requird = true"),
            "q.toml",
            [
                "q.toml, line 2: unknown field “requird” "
                "(fields: kind, text, child_text, required, options)"
            ],
        ),
        (
            GOOD_TOML.replace("required = true", 'required = "yes"'),
            "q.toml",
            ["q.toml, line 2: required: true or false"],
        ),
        (
            GOOD_TOML.replace('options = ["Games", "Talking", "Food"]', 'options = ["Games"]'),
            "q.toml",
            [
                "q.toml, line 7: A choose-one question needs 2 to 8 answers to choose from; "
                "this one has 1."
            ],
        ),
        ("[[question]]\nkind = smiley\n", "q.toml", None),
        ("[[questions]]\nkind = 'smiley'\n", "q.toml", None),
        (
            GOOD_CSV.replace("yes_no,", "yesno,"),
            "q.csv",
            [
                "q.csv, line 3: kind: “yesno” is not a question kind "
                "(smiley, agree, yes_no, choice, text)"
            ],
        ),
        (
            GOOD_CSV.replace(",yes,", ",perhaps,"),
            "q.csv",
            ["q.csv, line 2: required: yes or no, not “perhaps”"],
        ),
        ("kind,txt\nsmiley,Hi\n", "q.csv", None),
        (
            "kind,text\nsmiley,Hi,extra\n",
            "q.csv",
            ["q.csv, line 2: more cells than columns (a stray comma?)"],
        ),
        ("kind,text\n", "q.csv", ["q.csv: no questions in the file"]),
        ("", "q.csv", ["q.csv: the file is empty"]),
        ("kind,text\nsmiley,Hi\n", "q.xlsx", ["q.xlsx: a questions file ends in .toml or .csv"]),
    ],
)
def test_a_mistake_is_named_by_its_line_and_nothing_is_taken(
    text: str, name: str, problems: list[str] | None
) -> None:
    with pytest.raises(SurveyFileError) as caught:
        parse_questions(text, name)
    if problems is not None:
        assert list(caught.value.problems) == problems
    else:
        assert caught.value.problems and all(p.startswith(name) for p in caught.value.problems)


def test_every_mistake_in_a_file_is_listed_at_once() -> None:
    text = GOOD_CSV.replace("agree,", "agre,").replace("yes_no,", "yesno,")
    with pytest.raises(SurveyFileError) as caught:
        parse_questions(text, "q.csv")
    assert [p.split(":")[0] for p in caught.value.problems] == ["q.csv, line 2", "q.csv, line 3"]
