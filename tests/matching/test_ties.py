"""Equal-looking candidates: a ranking whose first 20 all show the same score tells an
employer nothing. Among people who all fit, the finer evidence the explanation names (how high
and how recently they were trained, how much room the offer leaves above what they ask)
orders them; never their id or noise."""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta

from matching.engine import Matcher
from matching.profiles import Location
from matching.reference import reference_score
from matching.score import ALL_COMPONENTS, PLACE_ACCEPTED, Weights, distance_km, km_of_place
from tests.matching.factories import TODAY, graduate, vacancy

SHOWN_DECIMALS = 1  # the candidates page shows scores to 0.1 percent
LEVELS = ("duoi_3_thang", "so_cap", "trung_cap", "cao_dang")


def _world(seed: int = 15, people: int = 40) -> tuple[list, object]:
    """A sewing job and `people` sewers who all fit it in every rule: same trade, skills,
    commune and willingness; they differ only in level, graduation day and wage asked."""
    rng = random.Random(seed)
    job = vacancy(start_date=date(2026, 9, 1), wage_min=6_000_000, wage_max=9_000_000)
    sewers = [
        graduate(
            id=f"G{i:02d}",
            skills=("may máy 1 kim", "vắt sổ", "là ủi"),
            level=rng.choice(LEVELS),
            graduated_on=date(2023, 6, 1) + timedelta(days=rng.randrange(1150)),
            expected_wage=rng.randrange(50, 90) * 100_000,
        )
        for i in range(people)
    ]
    return sewers, job


def _shown(score: float) -> float:
    return round(score * 100, SHOWN_DECIMALS)


def test_people_who_all_fit_no_longer_show_one_score() -> None:
    sewers, job = _world()
    top = Matcher(today=TODAY).fit(sewers, [job]).rank_graduates(top_k=20)["V1"]
    shown = [_shown(m.score) for m in top]
    tied = sum(a == b for a, b in itertools.pairwise(shown))
    assert len(top) == 20
    # Every rule is met by all of them: without the finer level and wage they would all show
    # one score (19 ties of 19). Now the spread is
    # about 1.5 points, so at 0.1 percent some neighbours still tie: issue 15's goal (under
    # 5 %) is not reached on this world; see docs/evaluation.md, "Ties".
    assert tied <= 10, shown
    assert len(set(shown)) >= 10


def test_what_separates_two_neighbours_is_named_in_their_explanations() -> None:
    sewers, job = _world()
    top = Matcher(today=TODAY).fit(sewers, [job]).rank_graduates(top_k=20)["V1"]
    weights = Weights().as_dict()
    for upper, lower in itertools.pairwise(top):
        if _shown(upper.score) == _shown(lower.score):
            continue
        gap = {
            name: weights.get(name, 0.0) * (upper.components[name] - lower.components[name])
            for name in ALL_COMPONENTS
        }
        deciding = max(gap, key=lambda name: gap[name])
        assert deciding in ("level", "wage"), gap
        # The explanations differ in the part that names that evidence.
        mine, theirs = upper.reason.split("; "), lower.reason.split("; ")
        named = {"level": ("trình độ", "tốt nghiệp"), "wage": ("lương",)}[deciding]
        differs = [p for p in set(mine) ^ set(theirs) if p.startswith(named)]
        assert differs, (upper.reason, lower.reason)


def test_the_order_does_not_depend_on_ids_or_input_order() -> None:
    sewers, job = _world()
    renamed = [s.__class__(**{**s.__dict__, "id": f"X{99 - i:02d}"}) for i, s in enumerate(sewers)]
    first = Matcher(today=TODAY).fit(sewers, [job]).rank_graduates(top_k=20)["V1"]
    again = Matcher(today=TODAY).fit(list(reversed(renamed)), [job]).rank_graduates(top_k=20)
    by_new_id = {f"X{99 - i:02d}": s.id for i, s in enumerate(sewers)}
    shown_first = [_shown(m.score) for m in first]
    shown_again = [_shown(m.score) for m in again["V1"]]
    assert shown_first == shown_again
    distinct = [m.graduate_id for m in first if shown_first.count(_shown(m.score)) == 1]
    assert [
        by_new_id[m.graduate_id]
        for m in again["V1"]
        if m.graduate_id in {k for k, v in by_new_id.items() if v in distinct}
    ] == distinct


def _neighbours_at(km_home: dict[str, tuple[float, float]]) -> list:
    """Two sewers alike in every rule but where they live, for a job in commune 03127."""
    job = vacancy(location=Location.commune("03127", JOB_POINT))
    people = [
        graduate(id=ident, commune_code=commune, home=home, graduated_on=date(2026, 5, 20))
        for ident, (commune, home) in zip(("G1", "G2"), km_home.items(), strict=True)
    ]
    return Matcher(today=TODAY).fit(people, [job]).rank_graduates()["V1"]


JOB_POINT = (21.4061, 103.067)  # Phường Điện Biên Phủ (03127)
NEAR = ("03334", (21.3627, 103.035))  # Phường Mường Thanh, about 6 km
FAR = ("03160", (22.2202, 102.427))  # the far north-west, about 110 km


def test_of_two_people_alike_but_for_home_the_nearer_ranks_first_and_it_is_said() -> None:
    for order in ((FAR, NEAR), (NEAR, FAR)):  # whichever comes first in the input or by id
        top = _neighbours_at(dict(order))
        homes = {"G1": order[0][0], "G2": order[1][0]}
        assert [homes[m.graduate_id] for m in top] == [NEAR[0], FAR[0]]
        near, far = top
        assert _shown(near.score) > _shown(far.score)
        assert near.components["place"] > far.components["place"] >= PLACE_ACCEPTED[2]
        kms = [distance_km(NEAR[1], JOB_POINT), distance_km(FAR[1], JOB_POINT)]
        assert [
            f"nơi làm việc cách nhà khoảng {round(km)} km" in m.reason
            for m, km in zip(top, kms, strict=True)
        ] == [True, True]
        # The page reads the distance back from the stored place component.
        assert [km_of_place(m.components["place"]) for m in top] == [round(k) for k in kms]


def test_without_points_the_distance_is_neither_counted_nor_claimed() -> None:
    top = _neighbours_at({NEAR[0]: None, FAR[0]: None})
    assert top[0].score == top[1].score
    assert all(m.components["place"] == PLACE_ACCEPTED[1] for m in top)
    assert all("km" not in m.reason for m in top)
    assert km_of_place(PLACE_ACCEPTED[1]) is None


def test_the_fast_path_counts_the_distance_as_the_reference_does() -> None:
    job = vacancy(location=Location.commune("03127", JOB_POINT))
    people = [
        graduate(id="G1", commune_code=NEAR[0], home=NEAR[1]),
        graduate(id="G2", commune_code=FAR[0], home=FAR[1], willing_to_work=()),
        graduate(id="G3", commune_code=FAR[0], home=FAR[1], willing_to_work=("commune",)),
    ]
    fast = Matcher(today=TODAY).fit(people, [job]).rank_graduates()["V1"]
    for match in fast:
        person = next(p for p in people if p.id == match.graduate_id)
        slow = reference_score(person, job, today=TODAY)
        assert abs(slow.score - match.score) < 1e-9
        assert slow.reason == match.reason
