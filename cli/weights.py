"""`fit-weights`: learn the component weights from the referral outcomes recorded so far,
print how they and the hand weights rank the later outcomes, and store the proposal for an
administrator to adopt (or not) on the matching weights page."""

from __future__ import annotations

import typer
from sqlmodel import Session

from cli.core import DATA, Cli, command, console
from matching.score import COMPONENTS
from models.clock import today
from models.learned_weights import COMPONENT_LABELS, fit_proposal


@command(
    "fit-weights",
    help="Fit the matching weights on the referral outcomes and store the proposal.",
    panel=DATA,
)
def fit_weights_command(ctx: typer.Context) -> None:
    cli: Cli = ctx.obj
    with cli.engine() as engine, Session(engine, expire_on_commit=False) as session:
        proposal = fit_proposal(session, on=today())
    metrics = proposal.metrics
    cli.say(
        "Outcomes: {train} earlier ones fit the weights, {test} later ones judge them.",
        train=metrics["train_outcomes"],
        test=metrics["test_outcomes"],
    )
    labels = {name: cli.t(COMPONENT_LABELS[name]) for name in COMPONENTS}
    width = max(len(label) for label in labels.values())
    hand, fitted = cli.t("hand").rjust(5), cli.t("fitted").rjust(6)
    _row("".ljust(width), hand, fitted)

    def cell(value: float, header: str) -> str:
        return f"{value:.3f}".rjust(len(header))

    for name in COMPONENTS:
        _row(
            labels[name].ljust(width),
            cell(proposal.hand_weights[name], hand),
            cell(proposal.weights[name], fitted),
        )
    for measure in ("ndcg", "auc"):
        _row(
            measure.upper().ljust(width),
            cell(metrics["hand"][measure], hand),
            cell(metrics["fitted"][measure], fitted),
        )
    cli.say(
        "Later vacancies judged: {vacancies}; fitted ahead in {share} % of resamples.",
        vacancies=metrics["fitted"]["vacancies"],
        share=f"{100 * metrics['confidence']:.0f}",
    )
    if proposal.beats_hand:
        cli.say(
            "Proposal {id} beats the hand weights: an administrator may adopt it.", id=proposal.id
        )
    else:
        cli.say(
            "Proposal {id} does not beat the hand weights: it cannot be adopted.", id=proposal.id
        )


def _row(name: str, hand: str, fitted: str) -> None:
    """A line of the comparison table: layout only, its words are translated by the caller."""
    console.print(f"{name}  {hand}  {fitted}", markup=False)
