"""The passphrase strength estimate and the recovery sheet (core/passphrase.py)."""

from __future__ import annotations

from datetime import date

import pytest

from workshop_app.core.passphrase import MIN_LENGTH, estimate_bits, recovery_sheet, strength


@pytest.mark.parametrize(
    ("text", "level", "ok"),
    [
        ("", "too short", False),
        ("Tr0ub4dor&3", "too short", False),  # 11 characters
        ("password", "common", False),
        ("Password123!", "common", False),  # a common word dressed up
        ("aaaaaaaaaaaaaaaa", "weak", True),  # long enough, but each repeat counts 1 bit
        ("abcdefghijklmnop", "weak", True),  # a run
        ("plum ferry lantern", "good", True),
        ("plum ferry lantern 42", "strong", True),
    ],
)
def test_strength_levels(text: str, level: str, ok: bool) -> None:
    found = strength(text)
    assert (found.level, found.acceptable) == (level, ok)
    assert found.advice.endswith(".")


def test_repeats_and_runs_count_for_little() -> None:
    assert estimate_bits("aaaa") < estimate_bits("awqz")
    assert estimate_bits("1234") < estimate_bits("1940")
    assert estimate_bits("Zz") > estimate_bits("zz")
    assert MIN_LENGTH == 12


def test_the_recovery_sheet_leaves_a_space_unless_asked_to_include_the_passphrase() -> None:
    blank = recovery_sheet("Riverside", "riverside.cground", date(2026, 3, 4))
    assert "Project: Riverside" in blank and "Project file: riverside.cground" in blank
    assert "Created: 4 March 2026" in blank and "write it by hand" in blank
    filled = recovery_sheet("Riverside", "riverside.cground", date(2026, 3, 4), "plum ferry")
    assert "Passphrase: plum ferry" in filled and "write it by hand" not in filled


def test_a_nul_character_is_refused_before_it_reaches_sqlite() -> None:
    from workshop_app.storage.cipher import Key

    assert not strength("twelve chars\x00 more").acceptable
    with pytest.raises(ValueError, match="NUL"):
        Key("abc\x00def")
