"""The administrators' matching weights page: each proposal that `dbjobs fit-weights` fitted
on the referral outcomes, how it and the hand weights ranked the later outcomes, and the
buttons to adopt it or to go back to the weights used before. A second click of either
changes nothing."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from matching.score import COMPONENTS
from models import learned_weights
from models.i18n import translate
from web.auth import Principal
from web.deps import LanguageDep, RecordId, SessionDep
from web.forms import redirect_to_query
from web.labels import page_tools
from web.permissions import Permission, allow
from web.services import matching_weights as service
from web.templating import render

router = APIRouter()
WeightKeeper = Annotated[Principal, Depends(allow(Permission.MANAGE_MATCHING_WEIGHTS))]
NOTICES = {
    "adopted": "The weights have been adopted: rankings use them from now on.",
    "reverted": "The previous weights are used again.",
    "unchanged": "Nothing changed: this was done already.",
}


@router.get("/admin/matching-weights", response_class=HTMLResponse, name="matching_weights")
def matching_weights(
    request: Request,
    session: SessionDep,
    _principal: WeightKeeper,
    lang: LanguageDep,
    done: str = "",
) -> Response:
    context = {
        "rows": service.proposal_rows(session),
        "components": COMPONENTS,
        "component_labels": learned_weights.COMPONENT_LABELS,
        "in_use": learned_weights.adopted_weights(session).as_dict(),
        "adopted_id": service.adopted_id(session),
        "notice": translate(NOTICES[done], lang) if done in NOTICES else None,
        **page_tools(lang),
    }
    return render(request, "matching_weights.html", context, lang=lang)


@router.post("/admin/matching-weights/{proposal_id}/adopt", name="matching_weights_adopt")
def matching_weights_adopt(
    request: Request, session: SessionDep, principal: WeightKeeper, proposal_id: RecordId
) -> Response:
    changed = service.adopt(session, principal=principal, proposal_id=proposal_id)
    return redirect_to_query(request, "matching_weights", {"done": _done(changed, "adopted")})


@router.post("/admin/matching-weights/{proposal_id}/revert", name="matching_weights_revert")
def matching_weights_revert(
    request: Request, session: SessionDep, principal: WeightKeeper, proposal_id: RecordId
) -> Response:
    changed = service.revert(session, principal=principal, proposal_id=proposal_id)
    return redirect_to_query(request, "matching_weights", {"done": _done(changed, "reverted")})


def _done(changed: bool, notice: str) -> str:
    return notice if changed else "unchanged"
