"""Phone pages of a self-assessment (issue 16): a team member gives their view of one
statement at a time: met or not, the evidence, the measures' values and the actions.

The session's page lists the statements (templates/fragment.html); each statement has a
page of its own with a plain form that works without the script, so what is being typed
is never replaced by a live update. The same answer can be sent as JSON. Views go to the
facilitator's console only; the projector never shows them.
"""

from __future__ import annotations

import secrets
from typing import Any

from aiohttp import web

from workshop_app.core.assessment import (
    ACTIONS_MAX,
    EVIDENCE_MAX,
    PERIOD_MAX,
    WHAT_MAX,
    WHO_MAX,
    AssessmentAnswer,
    AssessStatus,
    FrameworkStatement,
)
from workshop_app.core.errors import DomainError, NotFoundError
from workshop_app.core.model import ActivityKind
from workshop_app.services import assessment as assess_svc
from workshop_app.services import participation as svc
from workshop_app.services.assessment import Draft
from workshop_app.web.routes import (
    Refused,
    _await,
    _form,
    _json_body,
    _participant,
    _require_participant,
    _session,
    _status_for,
    _submitted_response,
    ctx_of,
    render,
)

#: Blank action lines offered under those already given (more after sending).
BLANK_ACTIONS = 2
FIELDS = {"key", "activity", "statement", "status", "evidence", "measures", "actions"}


def _page_parts(
    request: web.Request, standard_id: str
) -> tuple[svc.PhoneView, assess_svc.PhoneAssessment, FrameworkStatement]:
    session = _session(request)
    ctx = ctx_of(request)
    who = _participant(request, session)
    if who is None or not who.joined:
        raise Refused(403, "Join the session first: open the link from the screen again.")
    view = svc.phone_view(ctx.project, who)
    a = view.activity
    if a is None or a.kind is not ActivityKind.ASSESS:
        raise Refused(409, "The self-assessment is not on now. Go back to the session's page.")
    found = assess_svc.phone_assessment(ctx.project, a.id, who.id)
    if found is None:
        raise Refused(409, "The facilitator is still setting this self-assessment up.")
    statement = next((s for s in found.statements if s.standard_id == standard_id), None)
    if statement is None:
        raise NotFoundError("That statement is not part of this self-assessment.")
    return view, found, statement


def _typed_of(answer: AssessmentAnswer | None, statement: FrameworkStatement) -> dict[str, str]:
    """The form's fields filled from an earlier view (or empty)."""
    typed: dict[str, str] = {}
    if answer is None:
        return typed
    typed["status"] = answer.status.value
    typed["evidence"] = answer.evidence
    for i, m in enumerate(answer.measures[: len(statement.measures)], start=1):
        typed[f"m{i}.numerator"] = "" if m.numerator is None else str(m.numerator)
        typed[f"m{i}.denominator"] = "" if m.denominator is None else str(m.denominator)
        typed[f"m{i}.period"] = m.period
    for j, act in enumerate(answer.actions, start=1):
        typed[f"act{j}.what"] = act.what
        typed[f"act{j}.who"] = act.who
        typed[f"act{j}.by"] = act.by.isoformat() if act.by else ""
    return typed


def _statement_page(
    request: web.Request,
    standard_id: str,
    *,
    typed: dict[str, str] | None = None,
    error: str = "",
    warnings: tuple[str, ...] = (),
    received: bool = False,
    status: int = 200,
) -> web.Response:
    view, found, statement = _page_parts(request, standard_id)
    if typed is None:
        typed = _typed_of(found.mine.get(standard_id), statement)
    given = sum(1 for k, v in typed.items() if k.startswith("act") and k.endswith(".what") and v)
    lines = min(ACTIONS_MAX, max(given, 0) + BLANK_ACTIONS)
    index = [s.standard_id for s in found.statements].index(standard_id)
    following = found.statements[index + 1] if index + 1 < len(found.statements) else None
    return render(
        request,
        "assess.html",
        status=status,
        session=view.session,
        token=request.match_info["token"],
        view=view,
        service=found.service,
        statement=statement,
        number=index + 1,
        total=len(found.statements),
        following=following,
        statuses=list(AssessStatus),
        typed=typed,
        action_lines=lines,
        key=secrets.token_urlsafe(12),
        error=error,
        warnings=warnings,
        received=received,
        limits={
            "evidence": EVIDENCE_MAX,
            "period": PERIOD_MAX,
            "what": WHAT_MAX,
            "who": WHO_MAX,
        },
    )


async def statement_page(request: web.Request) -> web.Response:
    return _statement_page(request, request.match_info["statement"][:64])


def _draft_of_form(form: dict[str, str], statement: FrameworkStatement) -> Draft:
    measures = [
        {
            "numerator": form.get(f"m{i}.numerator", ""),
            "denominator": form.get(f"m{i}.denominator", ""),
            "period": form.get(f"m{i}.period", ""),
        }
        for i in range(1, len(statement.measures) + 1)
    ]
    actions = [
        {
            "what": form.get(f"act{j}.what", ""),
            "who": form.get(f"act{j}.who", ""),
            "by": form.get(f"act{j}.by", ""),
        }
        for j in range(1, ACTIONS_MAX + 1)
        if f"act{j}.what" in form
    ]
    return Draft(form.get("status", ""), form.get("evidence", ""), measures, actions)


async def give_view(request: web.Request) -> web.Response:
    """The statement page's form, or the JSON API (`statement` in the body)."""
    session = _session(request)
    ctx = ctx_of(request)
    who = _require_participant(request, session)
    api = "/api/" in request.path
    data: dict[str, Any]
    if api:
        data = await _json_body(request, FIELDS)
        standard_id = data.get("statement")
        draft = Draft(
            data.get("status"), data.get("evidence"), data.get("measures"), data.get("actions")
        )
    else:
        data = await _form(request)
        standard_id = request.match_info["statement"][:64]
        _, _, statement = _page_parts(request, standard_id)
        draft = _draft_of_form(data, statement)
    activity = str(data.get("activity", ""))[:64]
    try:
        result = await _await(
            request,
            assess_svc.give_view(
                ctx.project, who.id, activity, standard_id, draft, data.get("key")
            ),
        )
    except DomainError as exc:
        if api or _status_for(exc) != 422:
            raise
        # Without the script: the same page, with what was typed and why it was not
        # received, so nothing has to be typed twice.
        typed = {k: v[:EVIDENCE_MAX] for k, v in data.items() if k not in ("key", "activity")}
        return _statement_page(request, str(standard_id), typed=typed, error=str(exc), status=422)
    warnings = tuple(result.body.get("warnings", ()))
    if warnings and not api:
        return _statement_page(request, str(standard_id), warnings=warnings, received=True)
    return _submitted_response(request, result, "assessed", activity)


def assess_routes(t: str) -> list[web.RouteDef]:
    return [
        web.get(t + "/assess/{statement}", statement_page, name="assess_statement"),
        web.post(t + "/assess/{statement}", give_view, name="assess_give_view"),
        web.post(t + "/api/assess", give_view, name="api_assess"),
    ]
