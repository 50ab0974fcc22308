"""The KPI vocabulary: one set of windows, ids built and read back by function, never by
string; an unknown id is an error."""

from __future__ import annotations

import pytest

from matching.kpi import (
    FOLLOW_UP_WINDOWS,
    KPI_WINDOW,
    WINDOWS,
    Dimension,
    KpiFamily,
    KpiId,
    Measure,
)


def test_one_after_training_kpi_per_window() -> None:
    assert tuple(KPI_WINDOW.values()) == WINDOWS == (0, 3, 6, 12)
    for window in WINDOWS:
        kpi_id = KpiId.after_training(window)
        assert kpi_id.window == window
        assert kpi_id.family is KpiFamily.AFTER_TRAINING
        assert KpiFamily.AFTER_TRAINING.at(window) is kpi_id
    assert KpiId.after_training(6) == "after_training_6"  # the stored string is unchanged


def test_follow_up_visits_are_the_windows_after_graduation() -> None:
    assert FOLLOW_UP_WINDOWS == (3, 6, 12)


def test_the_other_kpis_have_no_window_and_are_their_own_family() -> None:
    for kpi_id in KpiId:
        if kpi_id not in KPI_WINDOW:
            assert kpi_id.window is None
            assert kpi_id.family.at(6) is kpi_id


@pytest.mark.parametrize("window", [-1, 1, 5, 24])
def test_an_unknown_window_is_an_error(window: int) -> None:
    with pytest.raises(ValueError, match="window"):
        KpiId.after_training(window)
    with pytest.raises(ValueError):
        KpiFamily.AFTER_TRAINING.at(window)


@pytest.mark.parametrize("vocabulary", [KpiId, KpiFamily, Measure, Dimension])
def test_an_unknown_name_is_an_error(vocabulary: type) -> None:
    with pytest.raises(ValueError):
        vocabulary("nonsense")


def test_members_equal_the_stored_strings() -> None:
    assert KpiId("new_jobs") is KpiId.NEW_JOBS
    assert Measure.AGRICULTURE == "nlts"
    assert Dimension.TOTAL == ""
    assert {Dimension.COMMUNE: 1}["commune"] == 1  # dict lookups by the stored string work
