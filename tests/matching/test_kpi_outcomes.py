"""Small-group suppression of the public outcomes page, with concrete numbers; and the keys of
the occupation x institution cut."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matching.kpi.outcomes import pair_key, parse_pair_key, suppress


def test_a_small_cell_is_hidden_and_the_next_smallest_of_its_row_too() -> None:
    # Row total 44 is published: with only 7 hidden, 44 - 25 - 12 would give it away.
    cells = {("A", "x"): 25, ("A", "y"): 7, ("A", "z"): 12}
    result = suppress(cells, column_totals_shown=False)
    assert result.cells == {("A", "y"), ("A", "z")}
    assert result.rows == frozenset()


def test_a_column_total_equal_to_its_hidden_cell_is_hidden() -> None:
    cells = {("A", "x"): 25, ("A", "y"): 7, ("A", "z"): 12}
    result = suppress(cells)
    assert result.cells == {("A", "y"), ("A", "z")}
    # Column y's total is 7 (hidden for itself); column z holds one hidden cell and nothing
    # else to hide, so its total (12) would show it: hidden too.
    assert result.columns == {"y", "z"}
    assert result.rows == frozenset()


def test_secondary_suppression_runs_across_rows_and_columns() -> None:
    cells = {
        ("A", "x"): 25,
        ("A", "y"): 7,
        ("A", "z"): 12,
        ("B", "x"): 30,
        ("B", "y"): 15,
        ("B", "z"): 40,
    }
    result = suppress(cells)
    # 7 first; row A then hides 12; columns y and z then hide 15 and 40; row B has two.
    assert result.cells == {("A", "y"), ("A", "z"), ("B", "y"), ("B", "z")}
    assert not result.rows and not result.columns


def test_nothing_is_hidden_when_every_cell_has_ten_people() -> None:
    cells = {("A", "x"): 10, ("A", "y"): 11}
    assert suppress(cells).cells == frozenset()


def test_zero_is_not_a_small_group() -> None:
    cells = {("A", "x"): 0, ("A", "y"): 30}
    assert suppress(cells).cells == frozenset()


@given(
    st.dictionaries(
        st.tuples(st.sampled_from("ABC"), st.sampled_from("xyz")),
        st.integers(min_value=0, max_value=40),
        min_size=1,
    )
)
def test_no_published_total_has_exactly_one_hidden_cell(cells: dict) -> None:
    result = suppress(cells)
    assert all(not 0 < cells[key] < 10 for key in cells if key not in result.cells)
    for axis, totals_hidden in ((0, result.rows), (1, result.columns)):
        for line_key in {key[axis] for key in cells}:
            line = [key for key in cells if key[axis] == line_key]
            total = sum(cells[key] for key in line)
            if 0 < total < 10 or line_key in totals_hidden:
                continue
            assert sum(key in result.cells for key in line) != 1


@pytest.mark.parametrize(
    ("occupation", "institution"), [("MAY", 3), ("MAY", None), (None, 12), ("A|B", 4)]
)
def test_a_pair_key_reads_back(occupation: str | None, institution: int | None) -> None:
    assert parse_pair_key(pair_key(occupation, institution)) == (occupation, institution)


def test_a_key_of_another_kind_is_refused() -> None:
    with pytest.raises(ValueError):
        parse_pair_key("MAY")
