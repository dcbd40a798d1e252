from __future__ import annotations

from pathlib import Path

import pytest

from workshop_app.core.errors import DomainError
from workshop_app.services import project as projects
from workshop_app.services.info import describe
from workshop_app.storage.errors import ProjectExistsError


def test_a_new_project_has_details_default_settings_and_groups(tmp_path: Path) -> None:
    with projects.create_project(tmp_path / "a.cground", " Riverside ", "Riverside") as p:
        assert projects.get_project(p).title == "Riverside"
        assert projects.get_settings(p).consensus_agree_min_percent == 70
        assert projects.get_counts(p).groups == 4
    with projects.open_project(tmp_path / "a.cground") as p:
        assert projects.get_project(p).locality == "Riverside"


def test_an_invalid_title_creates_no_file(tmp_path: Path) -> None:
    with pytest.raises(DomainError):
        projects.create_project(tmp_path / "a.cground", "   ")
    assert not (tmp_path / "a.cground").exists()


def test_a_project_is_not_created_over_another(tmp_path: Path) -> None:
    projects.create_project(tmp_path / "a.cground", "A").close()
    with pytest.raises(ProjectExistsError):
        projects.create_project(tmp_path / "a.cground", "B")


def test_settings_changes_are_checked_and_kept(project) -> None:
    projects.update_settings(project, support_info="Ask Sam at the desk.", vote_budget_cap=7)
    with pytest.raises(DomainError):
        projects.update_settings(project, vote_budget_cap=-3)
    s = projects.get_settings(project)
    assert (s.support_info, s.vote_budget_cap) == ("Ask Sam at the desk.", 7)


def test_project_details_can_change(project) -> None:
    projects.update_project(project, "New title", "New town")
    assert (projects.get_project(project).title, projects.get_project(project).locality) == (
        "New title",
        "New town",
    )


def test_details_and_settings_change_together_or_not_at_all(project) -> None:
    with pytest.raises(DomainError):
        projects.update_project_and_settings(project, "Fine title", "", vote_budget_cap=0)
    with pytest.raises(DomainError):
        projects.update_project_and_settings(project, "  ", "", vote_budget_cap=5)
    assert projects.get_project(project).title == "Test project"
    assert projects.get_settings(project).vote_budget_cap == 10
    projects.update_project_and_settings(project, "Fine title", "Town", vote_budget_cap=5)
    assert projects.get_project(project).title == "Fine title"
    assert projects.get_settings(project).vote_budget_cap == 5


def test_describe_lists_groups_sessions_and_counts(project) -> None:
    data = describe(project)
    assert data["project"]["title"] == "Test project"
    assert [g["kind"] for g in data["groups"]] == ["child", "child", "parent", "practitioner"]
    assert data["sessions"] == []
    assert set(data["counts"]) >= {
        "sessions",
        "participants",
        "notes",
        "themes",
        "votes",
        "ratings",
        "standards",
    }


@pytest.mark.parametrize(
    ("typed", "expected"), [("x", "x.cground"), ("x.cground", "x.cground"), ("x.db", "x.db")]
)
def test_with_suffix(typed: str, expected: str) -> None:
    assert projects.with_suffix(Path(typed)) == Path(expected)


def test_a_thread_connects_to_an_encrypted_project_before_its_first_read(tmp_path: Path) -> None:
    """A reads thread opens its connection (deriving the key) ahead of its first read, and
    that read then uses the same connection."""
    import threading

    from workshop_app.services.protection import encrypt_in_place
    from workshop_app.storage.cipher import Key

    made = projects.create_project(tmp_path / "e.cground", "Evening", "Riverside")
    path = made.path
    made.close()
    key = Key("a passphrase for this test only")
    encrypt_in_place(path, key)
    seen: list[object] = []
    with projects.open_project(path, key=key) as p:

        def on_a_thread() -> None:
            assert getattr(p.store._local, "db", None) is None, "no connection yet"
            p.connect_this_thread()
            opened = getattr(p.store._local, "db", None)
            first = p.store.reader()
            seen.append(opened is first)
            seen.append(first)
            seen.append(p.store.reader() is first)
            seen.append(projects.get_project(p).title)

        t = threading.Thread(target=on_a_thread)
        t.start()
        t.join(30)
        assert seen[:1] + seen[2:] == [True, True, "Evening"], "opened ahead, then used"
        assert seen[1] is not p.store.reader(), "each thread has its own connection"
