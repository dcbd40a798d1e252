"""Plan files on disk: the shipped plans, broken files, and saving a session as a plan."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from workshop_app.core.model import ActivityKind, GroupKind, RatingScale
from workshop_app.core.plan import PlanError
from workshop_app.infra.paths import shipped_plans_dir
from workshop_app.services import groups, sessions
from workshop_app.services.plans import (
    check_folder,
    list_plans,
    load_plan,
    save_plan,
    session_as_plan,
)
from workshop_app.services.sessions import ActivityFields, SessionDetails

SHIPPED = sorted(shipped_plans_dir().glob("*.toml"))
REQUIRED_PLANS = {
    "prep-children-8-12",
    "prep-young-people-13-18",
    "prep-parents-carers",
    "prep-practitioners",
    "joint-priorities",
    "standards-drafting",
    "consensus-round",
    "generic-co-design",
}

GOOD = """\
format = 1
id = "{id}"
title = "A plan"
[[activities]]
kind = "brainstorm"
title = "Ideas"
minutes = 10
prompt = "What helps?"
child_prompt = "What helps you?"
"""


def test_every_required_plan_is_shipped() -> None:
    assert {p.stem for p in SHIPPED} >= REQUIRED_PLANS


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_each_shipped_plan_is_valid_and_complete(path: Path) -> None:
    plan = load_plan(path)
    assert plan.summary, "every shipped plan explains what it is for"
    assert plan.audience
    assert 30 <= plan.total_minutes <= 300
    for a in plan.activities:
        assert a.prompt and a.child_prompt and a.minutes
        assert a.child_prompt != a.prompt or len(a.prompt) < 40, a.title
        if a.kind is ActivityKind.VOTE:
            assert a.settings.per_item_cap is not None
    kinds = [a.kind for a in plan.activities]
    assert kinds[0] is ActivityKind.INFO, "plans open with a welcome and ground rules"


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_childrens_plans_use_approval_and_smileys(path: Path) -> None:
    plan = load_plan(path)
    if plan.audience != (GroupKind.CHILD,):
        return
    assert plan.moderation is not None and plan.moderation.value == "approve_first"
    assert plan.age_range
    for a in plan.activities:
        if a.kind is ActivityKind.RATE:
            assert a.settings.scale is RatingScale.SMILEY


def test_the_shipped_folder_checks_clean() -> None:
    report = check_folder(shipped_plans_dir())
    assert report.problems == ()
    assert len(report.plans) == len(SHIPPED)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad-toml.toml", b"format = 1\ntitle = 'unclosed\n", "bad-toml.toml: TOML: "),
        ("latin1.toml", "title = 'café'".encode("latin-1"), "latin1.toml: file: is not UTF-8"),
        (
            "other-name.toml",
            GOOD.format(id="not-the-name").encode(),
            "other-name.toml: id: is 'not-the-name' but the file is named",
        ),
        ("huge.toml", b"#" * (600 * 1024), "huge.toml: file: is too large"),
    ],
)
def test_broken_plan_files_name_the_file_and_the_problem(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    assert message in str(caught.value)
    assert str(caught.value).startswith(str(tmp_path))


def test_checking_a_folder_reports_every_broken_file_and_keeps_the_good_ones(
    tmp_path: Path,
) -> None:
    (tmp_path / "good.toml").write_text(GOOD.format(id="good"))
    (tmp_path / "bad.toml").write_text(GOOD.format(id="bad").replace("brainstorm", "brainstrom"))
    (tmp_path / "worse.toml").write_text("format = 1\n")
    (tmp_path / "readme.txt").write_text("not a plan")
    report = check_folder(tmp_path)
    assert [p.id for p in report.plans] == ["good"]
    sources = {Path(p.source).name for p in report.problems}
    assert sources == {"bad.toml", "worse.toml"}


def test_a_later_folder_cannot_reuse_a_plan_id(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "same.toml").write_text(GOOD.format(id="same"))
    (tmp_path / "b" / "same.toml").write_text(GOOD.format(id="same"))
    report = list_plans([tmp_path / "a", tmp_path / "b", tmp_path / "missing"])
    assert len(report.plans) == 1
    assert "already a plan" in str(report.problems[0])


def test_a_session_saved_as_a_plan_loads_back_with_the_same_agenda(project, tmp_path: Path) -> None:
    parents = next(g.id for g in groups.list_groups(project) if g.kind is GroupKind.PARENT)
    plan = load_plan(shipped_plans_dir() / "prep-parents-carers.toml")
    s = sessions.create_session(project, SessionDetails("Evening", group_ids=(parents,)), plan)
    extra = sessions.add_activity(
        project, s.id, ActivityFields(ActivityKind.INFO, "Tea", 'Say "thank you"')
    )
    saved_plan = session_as_plan(project, s.id, "Our parents' evening", "Adapted for us.")
    path = save_plan(saved_plan, tmp_path)
    again = save_plan(saved_plan, tmp_path)

    assert path.name == "our-parents-evening.toml"
    assert again.name == "our-parents-evening-2.toml"
    loaded = load_plan(path)
    assert loaded.title == "Our parents' evening"
    assert [a.title for a in loaded.activities] == [
        a.title for a in sessions.list_activities(project, s.id)
    ]
    assert loaded.activities[-1].prompt == extra.prompt
    assert loaded.audience == (GroupKind.PARENT,)
    assert tomllib.loads(path.read_text())["format"] == 1
