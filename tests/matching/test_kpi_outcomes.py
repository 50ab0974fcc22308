"""Small-group suppression of the public outcomes page, with concrete numbers; and the keys of
the occupation x institution cut."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matching.kpi.outcomes import (
    Suppression,
    pair_key,
    parse_pair_key,
    suppress,
    suppress_together,
)


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


Cells = dict[tuple[str, str], int]


def _hidden_in(cells: Cells, result: Suppression, axis: int, key: str) -> int:
    return sum(cell in result.cells for cell in cells if cell[axis] == key)


def test_one_hidden_trade_total_is_not_the_grand_total_minus_the_others() -> None:
    # Only Q's total (5) is under 10; its row totals are 75, 5, 27 and its institution totals
    # 45, 25, 37: with Q alone hidden, Q = (45 + 25 + 37) - 75 - 27 = 5.
    cells = {
        ("P", "I1"): 30,
        ("P", "I2"): 20,
        ("P", "I3"): 25,
        ("Q", "I2"): 5,
        ("R", "I1"): 15,
        ("R", "I3"): 12,
    }
    result = suppress(cells)
    assert result.rows == {"Q", "R"}  # R (27) is the smallest other trade total
    assert not result.columns
    assert ("Q", "I2") in result.cells
    for axis, key in ((0, "P"), (1, "I1"), (1, "I2"), (1, "I3")):  # totals shown
        assert _hidden_in(cells, result, axis, key) != 1
    # R's total is hidden, and so is one of its cells: R is not 15 + 12 either.
    assert _hidden_in(cells, result, 0, "R") >= 1


def test_one_hidden_trade_total_of_two_trades() -> None:
    # Q = 3 + 4 = 7 would be (23 + 29) - 45 with P's total shown.
    cells = {("P", "I1"): 20, ("P", "I2"): 25, ("Q", "I1"): 3, ("Q", "I2"): 4}
    result = suppress(cells)
    assert result.rows == {"P", "Q"}
    assert result.cells == set(cells)


def test_a_cell_hidden_in_one_measure_is_hidden_in_every_measure() -> None:
    # Graduated: A 11, B 12, C 5, D 40 (68). The 6-month base: B has 3 recent graduates, 9.
    # Apart, graduated hides C and A, the base hides C and B, and A "of 11 people" in the base
    # gives C = 68 - 40 - 12 - 11 = 5. Together: B and C are hidden in both.
    graduated = {("X", "A"): 11, ("X", "B"): 12, ("X", "C"): 5, ("X", "D"): 40}
    base_6 = {**graduated, ("X", "B"): 9}
    assert suppress(graduated).cells == {("X", "A"), ("X", "C")}
    assert suppress(base_6).cells == {("X", "B"), ("X", "C")}
    result = suppress_together([graduated, base_6])
    assert result.cells == {("X", "B"), ("X", "C")}
    assert result.columns == {"B", "C"}
    assert not result.rows
    # Each measure alone would hide no more than this pattern: no line with one hidden cell.
    for table in (graduated, base_6):
        assert _hidden_in(table, result, 0, "X") == 2


def test_a_published_total_under_ten_is_hidden_though_its_cells_add_up_to_more() -> None:
    # Q's published total counts people once (say 9), its cells 12 + 14: hidden all the same,
    # then P's total (the list of trade totals), and a cell of each (else each total would be
    # the sum of its cells).
    cells = {("P", "I1"): 20, ("P", "I2"): 25, ("Q", "I1"): 12, ("Q", "I2"): 14}
    result = suppress_together([cells], small_totals=[(0, "Q")])
    assert result.rows == {"P", "Q"}
    assert result.cells == {("P", "I1"), ("Q", "I1")}
    assert not result.columns


def _one_hidden(tables: list[Cells], result: Suppression) -> list[str]:
    """The lines of any table with exactly one hidden entry, where a published sum would
    give that entry away."""
    keys = {key for table in tables for key in table}
    found = []
    for table in tables:
        totals = {
            (axis, line): sum(table.get(key, 0) for key in keys if key[axis] == line)
            for axis in (0, 1)
            for line in {key[axis] for key in keys}
        }
        hidden_totals = {(0, r) for r in result.rows} | {(1, c) for c in result.columns}
        for (axis, line), total in totals.items():
            assert not 0 < total < 10 or (axis, line) in hidden_totals
            if (axis, line) in hidden_totals:
                continue
            if sum(key in result.cells for key in keys if key[axis] == line) == 1:
                found.append(f"line {axis} {line}")
        for axis in (0, 1):
            listed = [t for t in totals if t[0] == axis]
            inside = [t for t in listed if t in hidden_totals]
            other = [t for t in totals if t[0] != axis and t in hidden_totals]
            # One hidden total that is the grand total itself (the others are 0) is safe
            # while the other list hides one too: the grand total is then not published.
            alone = all(totals[t] == 0 for t in listed if t not in inside)
            if len(inside) == 1 and not (alone and other):
                found.append(f"totals {axis}")
    return found


@given(
    st.lists(
        st.dictionaries(
            st.tuples(st.sampled_from("ABC"), st.sampled_from("xyz")),
            st.integers(min_value=0, max_value=40),
            min_size=1,
        ),
        min_size=1,
        max_size=3,
    )
)
def test_no_line_or_list_of_totals_has_one_hidden_entry_in_any_measure(
    tables: list[Cells],
) -> None:
    result = suppress_together(tables)
    keys = {key for table in tables for key in table}
    for table in tables:
        assert all(not 0 < table[key] < 10 for key in table if key not in result.cells)
    assert result.cells <= keys  # one pattern, the same in every measure
    # A hidden total is never the sum of cells all shown.
    for axis, hidden in ((0, result.rows), (1, result.columns)):
        for line in hidden:
            in_line = [key for key in keys if key[axis] == line]
            used = [key for key in in_line if any(table.get(key, 0) for table in tables)]
            assert not used or any(key in result.cells for key in in_line)
    assert _one_hidden(tables, result) == []


@pytest.mark.parametrize(
    ("occupation", "institution"), [("MAY", 3), ("MAY", None), (None, 12), ("A|B", 4)]
)
def test_a_pair_key_reads_back(occupation: str | None, institution: int | None) -> None:
    assert parse_pair_key(pair_key(occupation, institution)) == (occupation, institution)


def test_a_key_of_another_kind_is_refused() -> None:
    with pytest.raises(ValueError):
        parse_pair_key("MAY")


def test_outcomes_of_the_last_three_years_by_occupation_and_institution() -> None:
    from datetime import date

    from matching.kpi.outcomes import outcomes
    from tests.matching import kpi_factories as f

    as_of = date(2026, 12, 7)
    recent = [f.graduate(person_id=n, enrolment_id=100 + n, institution_id=7) for n in range(4)]
    too_old = f.graduate(person_id=9, enrolment_id=109, graduated_on=date(2023, 12, 6))
    answers = [
        # 12 months wins over 6 for the wage; the hire's wage when the answer gives none.
        f.follow_up(enrolment_id=100, person_id=0, months_after=6, income=5_000_000),
        f.follow_up(
            enrolment_id=100,
            person_id=0,
            months_after=12,
            observed_on=date(2026, 7, 2),
            income=7_000_000,
        ),
        f.follow_up(enrolment_id=101, person_id=1, income=6_000_000),
        f.follow_up(enrolment_id=102, person_id=2, status="unemployed", in_trained_occupation=None),
    ]
    hire = f.spell(person_id=3, enrolment_id=103, start_date=date(2025, 7, 1), wage=9_000_000)
    total, (by_occupation, _by_institution, by_pair) = outcomes(
        [*recent, too_old], answers, [hire], as_of=as_of
    )
    assert total.graduated.value == 4  # graduated 6/12/2023: more than 36 months ago
    six = total.after[6]
    assert (six.employed.numerator, six.employed.denominator) == (3, 4)
    assert (six.response.numerator, six.response.denominator) == (4, 4)
    assert sorted(total.wages) == [6_000_000, 7_000_000, 9_000_000]
    assert total.median_wage == 7_000_000
    assert by_occupation["may_cong_nghiep"].graduated.value == 4
    assert by_pair[("may_cong_nghiep", 7)].after[12].response.denominator == 4
