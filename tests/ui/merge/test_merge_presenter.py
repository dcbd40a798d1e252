"""The merge dialog's presenter, without a widget: real files, real services."""

from __future__ import annotations

from pathlib import Path

import pytest

from workshop_app.services import groups
from workshop_app.services.demo import write_demo
from workshop_app.services.merge import SameProjectFileError
from workshop_app.services.project import create_project
from workshop_app.storage.merge import sha256_of
from workshop_app.ui.merge.merge_presenter import MergePresenter


@pytest.fixture
def other(tmp_path: Path) -> Path:
    path = tmp_path / "area b.cground"
    write_demo(path, seed=5)
    return path


def test_before_a_file_is_chosen_it_says_what_to_do(project) -> None:
    presenter = MergePresenter(project)
    assert presenter.summary().startswith("Choose the other laptop's project file")
    assert presenter.offers() == [] and not presenter.can_bring_in


def test_it_shows_what_would_come_then_brings_it_in_and_says_what_came(project, other) -> None:
    digest = sha256_of(other)
    presenter = MergePresenter(project)
    presenter.load(other)
    before = presenter.summary()
    assert before.startswith("From area b.cground (") and " notes" in before
    assert presenter.can_bring_in
    done = presenter.bring_in()
    after = presenter.summary()
    assert after.startswith(f"Brought in area b.cground: {done.plan.counts['sessions']} sessions")
    assert after.endswith("area b.cground itself was not changed.")
    assert not presenter.can_bring_in and sha256_of(other) == digest
    presenter.load(other)
    assert presenter.summary().endswith("bringing it in would add nothing.")
    assert not presenter.can_bring_in


def test_ticking_an_offered_group_match_changes_what_would_come(project, tmp_path: Path) -> None:
    path = tmp_path / "b.cground"
    with create_project(path, "B") as b:
        parents = next(g for g in groups.list_groups(b) if g.name == "Parents and carers")
        groups.update_group(
            b, parents.id, name="parents & carers", kind=parents.kind, child_friendly=False
        )
    presenter = MergePresenter(project)
    presenter.load(path)
    [offer] = presenter.offers()
    assert offer.label == "“parents & carers” → “Parents and carers”" and not offer.ticked
    assert "1 group" in presenter.summary()
    presenter.tick(offer.source_id, True)
    assert presenter.offers()[0].ticked
    assert "matched, one group" in presenter.summary()
    assert not presenter.can_bring_in  # nothing else would come: the groups are all here


def test_the_open_project_itself_is_refused(project) -> None:
    with pytest.raises(SameProjectFileError):
        MergePresenter(project).load(project.path)
