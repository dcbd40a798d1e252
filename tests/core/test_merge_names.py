"""Group names that differ only in spelling are offered for matching; others are not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workshop_app.core.merge_names import GroupName, normalise, propose_matches, similarity


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Parents & carers", "parents and carers"),
        ("Youth Group", "Youth group"),
        ("Youth  group ", "youth group"),
        ("Practitioner", "Practitioners"),
        ("Carer's group", "Carers group"),
        ("Young people 13–18", "young people 13-18"),
        ("Social workers", "Social-workers"),
        ("Teachers", "Teachrs"),
        ("Éducateurs", "educateurs"),
    ],
)
def test_names_differing_only_in_spelling_are_alike(a: str, b: str) -> None:
    assert similarity(a, b) >= 0.85


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Children 8–12", "Children 13–18"),
        ("Parents and carers", "Practitioners"),
        ("Young people 13–18", "Young people 16–18"),
        ("Police", "Health"),
        ("Teachers", "Youth workers"),
    ],
)
def test_different_groups_are_not_offered(a: str, b: str) -> None:
    assert similarity(a, b) < 0.85


def g(i: str, name: str, kind: str = "parent") -> GroupName:
    return GroupName(i, name, kind)


def test_exact_names_of_the_same_kind_match_without_asking_and_others_are_offered() -> None:
    found = propose_matches(
        [g("s1", "Parents and carers"), g("s2", "Youth Group", "child"), g("s3", "Police")],
        [g("t1", "Parents and carers"), g("t2", "Youth group", "child"), g("t3", "Teachers")],
    )
    assert [(m.source.id, m.target.id, m.exact) for m in found] == [
        ("s1", "t1", True),
        ("s2", "t2", False),
    ]


def test_the_same_name_of_another_kind_is_offered_not_matched() -> None:
    [m] = propose_matches([g("s", "Volunteers", "community")], [g("t", "Volunteers", "other")])
    assert not m.exact


def test_a_target_group_is_offered_to_one_source_group_only() -> None:
    found = propose_matches(
        [g("s1", "Parents & carers"), g("s2", "Parents and carers")],
        [g("t1", "Parents and carers")],
    )
    assert [(m.source.id, m.exact) for m in found] == [("s2", True)]


names = st.text(
    alphabet=st.characters(categories=("L", "N", "Zs", "Pd", "Po")), min_size=1, max_size=30
)


@given(names)
def test_normalising_twice_changes_nothing(name: str) -> None:
    assert normalise(normalise(name)) == normalise(name)


@given(names, names)
def test_likeness_is_symmetric_and_between_0_and_1(a: str, b: str) -> None:
    assert 0.0 <= similarity(a, b) <= 1.0
    assert similarity(a, b) == similarity(b, a)


@given(names, st.integers(0, 99), st.integers(0, 99))
def test_names_with_different_numbers_are_never_alike(name: str, x: int, y: int) -> None:
    if x != y:
        assert similarity(f"{name} {x}", f"{name} {y}") == 0.0
