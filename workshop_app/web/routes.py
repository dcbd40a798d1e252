"""Routes of the participant server: HTML forms that work without JavaScript, the same
actions as a JSON API for the page's script, live updates over Server-Sent Events.

Every byte from a phone is hostile until checked: the join token is in every path; the
participant is a random id in an HttpOnly, SameSite=Strict cookie; bodies are small and
strictly shaped; all text is escaped by the templates (Jinja2 autoescape).
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import traceback
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import jinja2
from aiohttp import web

from workshop_app import APP_NAME
from workshop_app.core.errors import (
    DomainError,
    LimitError,
    NobodyListeningError,
    NotFoundError,
    SessionFullError,
    StateError,
)
from workshop_app.core.ids import normalise_join_code
from workshop_app.core.model import ActivityKind, Participant, RatingScale, Session, SessionState
from workshop_app.core.participation import HELP_MESSAGE_MAX, NOTE_MAX
from workshop_app.core.shares import ROUNDING_NOTE
from workshop_app.core.survey import choices as survey_choices
from workshop_app.core.validate import storable
from workshop_app.services import participation as svc
from workshop_app.services.arrival import SecondLook
from workshop_app.services.assessment import phone_assessment
from workshop_app.services.events import Changed, Topic
from workshop_app.services.participation import Submitted
from workshop_app.services.project import OpenProject
from workshop_app.storage.errors import StorageProblem, StoreClosedError
from workshop_app.web import words
from workshop_app.web.guard import Limits, Shedding, read_body
from workshop_app.web.headers import SECURITY_HEADERS
from workshop_app.web.limits import Bucket, Buckets, source_of
from workshop_app.web.relay import Relay
from workshop_app.web.sse import Broadcaster

log = logging.getLogger(__name__)
HERE = Path(__file__).parent
MAX_BODY = 32 * 1024
COOKIE_PREFIX = "cg_"
TABLET_COOKIE = "cg_tablet"
QUICK_EXIT_URL = "https://www.bbc.co.uk/weather"
TOO_MUCH = "That was a lot at once. Wait a few seconds and try again."
NOT_SAVED = (
    "The facilitator's laptop could not save that just now. It has not been lost: "
    "your phone keeps it and will try again."
)
UNSTORABLE = (
    "The message holds a character that cannot be stored (often half of an emoji). "
    "Please type it again."
)


class Context:
    """What the handlers share: the project, the limits, the live-update broadcaster, and
    the arrival check's second look (none: the phrase rules alone hold notes back)."""

    def __init__(
        self,
        project: OpenProject,
        limits: Limits | None = None,
        shedding: Shedding | None = None,
        look: SecondLook | None = None,
    ):
        self.project = project
        self.look = look
        self.limits = limits or Limits.for_open_files(1024)
        self.shedding = shedding or Shedding()
        self.templates = jinja2.Environment(
            loader=jinja2.FileSystemLoader(HERE / "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
        )
        self.templates.globals.update(
            app_name=APP_NAME,
            note_max=NOTE_MAX,
            help_max=HELP_MESSAGE_MAX,
            rounding_note=ROUNDING_NOTE,
            quick_exit=QUICK_EXIT_URL,
            place=words.place,
            done_words=words.done,
            note_status=words.note_status,
            dots=words.dots,
            rated_this=words.rated_this,
            withheld_words=words.withheld,
            own_previous=words.own_previous,
            # a self-assessment's statements and this phone's views (web/assess.py)
            assessment_for=lambda activity_id, participant_id: phone_assessment(
                project, activity_id, participant_id
            ),
            survey_choices=survey_choices,
            written_hint=words.written_hint,
            support_lead=words.support_lead,
            support_link=words.support_link,
        )
        self.writes = Buckets(rate=5, burst=20)  # per participant
        # Per device (source address, in memory only): one device joining again and again
        # cannot post as many new participants, nor use up the room's joins.
        self.source_writes = Buckets(rate=8, burst=40)
        self.source_joins = Buckets(rate=0.5, burst=10)
        # Read caches for the hot path, so a submission costs the event loop no SQLite
        # read: sessions by token (cleared on every change to sessions, links or live
        # state, delivered from the writer after commit) and participants (never change).
        self.sessions_by_token: dict[str, Session] = {}
        self.served_tokens: set[str] = set()  # every token that ever matched a session
        self.participants: OrderedDict[str, Participant] = OrderedDict()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._relay: Relay | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self.joins = Bucket(rate=20, burst=300)  # the whole room joining at once is fine
        self.wrong_codes = Bucket(rate=0.5, burst=30)  # guessing codes is not
        self.broadcaster = Broadcaster(project, self.limits, self.shedding)

    async def start(self, app: web.Application) -> None:
        self._loop = asyncio.get_running_loop()
        self._relay = Relay(self._loop)
        self._unsubscribe = self.project.bus.subscribe(self._from_writer)
        await self.broadcaster.start(app)

    async def stop(self, app: web.Application) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        await self.broadcaster.stop(app)

    @property
    def relay(self) -> Relay:
        """The writer's answers to this server's loop (there once the server has started)."""
        if self._relay is None:
            raise RuntimeError("the participant server has not started")
        return self._relay

    def _from_writer(self, event: object) -> None:
        if (
            self._loop is not None
            and isinstance(event, Changed)
            and event.topic in (Topic.LIVE, Topic.JOIN, Topic.SESSIONS)
        ):
            self._loop.call_soon_threadsafe(self.sessions_by_token.clear)

    def session_for_token(self, token: str) -> Session | None:
        session = self.sessions_by_token.get(token)
        if session is None:
            session = svc.session_for_token(self.project, token)
            if session is not None:
                self.sessions_by_token[token] = session
                self.served_tokens.add(token)
        return session

    def participant(self, pid: str) -> Participant | None:
        who = self.participants.get(pid)
        if who is None:
            who = svc.get_participant(self.project, pid)
            if who is not None:
                self.participants[pid] = who
                while len(self.participants) > 20_000:
                    self.participants.popitem(last=False)
        return who


CTX = web.AppKey("ctx", Context)


def redirect(url: str) -> web.Response:
    """303 See Other: after a form is handled, the browser loads the page afresh."""
    return web.Response(status=303, headers={"Location": url})


# ---------------------------------------------------------------- helpers


class Refused(Exception):
    """A request we answer with a 4xx: a status and a message for the person."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def _status_for(exc: DomainError) -> int:
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, StateError):
        return 409
    if isinstance(exc, LimitError):
        return 429
    return 422


def ctx_of(request: web.Request) -> Context:
    return request.app[CTX]


def render(request: web.Request, template: str, status: int = 200, **values: Any) -> web.Response:
    html = ctx_of(request).templates.get_template(template).render(**values)
    return web.Response(text=html, status=status, content_type="text/html", charset="utf-8")


class Relocated(Exception):
    """A page asked for at another spelling of its address: answered with a redirect."""

    def __init__(self, location: str):
        super().__init__(location)
        self.location = location


def _session(request: web.Request) -> Session:
    ctx = ctx_of(request)
    token = request.match_info["token"]
    session = ctx.session_for_token(token) if len(token) <= 64 else None
    if session is None:
        # A link typed by hand as the code is shown ("K7M2Q-8XWPA", any case, look-alikes)
        # is read like a typed code; a page is sent on to the link itself.
        code = normalise_join_code(token) if len(token) <= 40 else None
        typed = ctx.session_for_token(code) if code and code != token else None
        if typed is not None:
            if request.method == "GET":
                rest = request.path[len(f"/j/{token}") :]
                query = f"?{request.query_string}" if request.query_string else ""
                raise Relocated(f"/j/{typed.join_token}{rest}{query}")
            return typed
        # A link this server served before (the facilitator made a new one) is not a guess:
        # a room full of phones on the old link must all hear "scan the new code".
        if token not in ctx.served_tokens and not ctx.wrong_codes.take():
            raise Refused(429, "Too many tries with wrong codes. Please wait a minute.")
        raise Refused(
            404,
            "This link doesn't work any more. The facilitator may have changed it: scan the "
            "code on the screen again, or type the code shown under it.",
        )
    return session


def _cookie_name(session: Session) -> str:
    return COOKIE_PREFIX + session.id[:16]


def _participant(request: web.Request, session: Session) -> Participant | None:
    pid = request.cookies.get(_cookie_name(session), "")
    if not (0 < len(pid) <= 64):
        return None
    who = ctx_of(request).participant(pid)
    return who if who is not None and who.session_id == session.id else None


def _require_participant(request: web.Request, session: Session) -> Participant:
    who = _participant(request, session)
    if who is None or not who.joined:
        raise Refused(403, "Join the session first: open the link from the screen again.")
    _take_write(request, who.id)
    return who


def _take_write(request: web.Request, participant_id: str) -> None:
    ctx = ctx_of(request)
    if not ctx.source_writes.take(source_of(request.transport)):
        ctx.shedding.record("writes")
        raise Refused(429, TOO_MUCH)
    if not ctx.writes.take(participant_id):
        raise Refused(429, TOO_MUCH)


def _take_join(request: web.Request) -> None:
    """One device's joins come out of its own bucket before the room's: a flood from one
    device is refused while everyone else still gets in."""
    ctx = ctx_of(request)
    if not ctx.source_joins.take(source_of(request.transport)):
        ctx.shedding.record("joins")
        raise Refused(429, "Lots of joins from this device. Try again in a few seconds.")
    if not ctx.joins.take():
        raise Refused(429, "Lots of people are joining right now. Try again in a few seconds.")


def _set_participant_cookie(resp: web.StreamResponse, session: Session, pid: str) -> None:
    resp.set_cookie(
        _cookie_name(session),
        pid,
        httponly=True,
        samesite="Strict",
        path="/",
        max_age=7 * 24 * 3600,
    )


async def _await(request: web.Request, future: Future[Any]) -> Any:
    try:
        return await ctx_of(request).relay.wait(future)
    except StoreClosedError:
        raise Refused(503, "The session is closing. Please try again in a moment.") from None


def _is_api(request: web.Request) -> bool:
    return "/api/" in request.path


async def _json_body(request: web.Request, allowed: set[str]) -> dict[str, Any]:
    if request.content_type != "application/json":
        raise Refused(415, "Send JSON (Content-Type: application/json).")
    try:
        data = json.loads(await read_body(request.text(), ctx_of(request).limits))
    except (ValueError, LookupError, RecursionError):
        # ValueError covers bad UTF-8; LookupError an unknown charset; RecursionError
        # JSON nested too deeply for the parser.
        raise Refused(400, "The request was not valid JSON.") from None
    if not isinstance(data, dict):
        raise Refused(400, "The request must be a JSON object.")
    if not storable(json.dumps(data, ensure_ascii=False)):
        # "\ud800" escapes decode to lone surrogates, which SQLite cannot store anywhere.
        raise Refused(400, UNSTORABLE)
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise Refused(400, f"Unknown field: {unknown[0][:40]}")
    return data


async def _form(request: web.Request) -> dict[str, str]:
    if request.content_type not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        raise Refused(415, "Send the form from the page.")
    try:
        posted = await read_body(request.post(), ctx_of(request).limits)
    except (ValueError, LookupError):  # LookupError: an unknown charset
        raise Refused(400, "The form could not be read.") from None
    out: dict[str, str] = {}
    for k, v in posted.items():
        if not isinstance(v, str):
            raise Refused(400, "Files cannot be sent here.")
        out[k] = v
    return out


def _int_fields(form: dict[str, str], prefix: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for k, v in form.items():
        if k.startswith(prefix):
            v = v.strip()
            if v == "":
                continue
            try:
                out[k[len(prefix) :]] = int(v)
            except ValueError:
                raise Refused(422, "Use whole numbers.") from None
    return out


def _submitted_response(
    request: web.Request, result: Submitted, done: str, activity_id: str = ""
) -> web.Response:
    if _is_api(request):
        resp = web.json_response({"ok": True, **result.body}, status=200)
        if result.replayed:
            resp.headers["Idempotent-Replayed"] = "true"
        return resp
    about = f"&a={activity_id}" if activity_id else ""
    return redirect(f"/j/{request.match_info['token']}?done={done}{about}")


# ---------------------------------------------------------------- pages


async def enter_code(request: web.Request) -> web.Response:
    return render(request, "code.html", error=None, typed="")


async def enter_code_post(request: web.Request) -> web.Response:
    form = await _form(request)
    typed = form.get("code", "")[:40]
    token = normalise_join_code(typed)
    ctx = ctx_of(request)
    session = ctx.session_for_token(token) if token else None
    if session is None:
        if not ctx.wrong_codes.take():
            raise Refused(429, "Too many tries with wrong codes. Please wait a minute.")
        return render(
            request,
            "code.html",
            status=404,
            typed=typed,
            error="That code doesn't match a session here. Check it against the screen.",
        )
    return redirect(f"/j/{session.join_token}")


async def page(request: web.Request) -> web.Response:
    session = _session(request)
    ctx = ctx_of(request)
    who = _participant(request, session)
    token = request.match_info["token"]
    fragment = request.headers.get("X-Fragment") == "1"
    if who is None or not who.joined:  # (someone who only asked for help joins now)
        if session.state is not SessionState.LIVE:
            return render(request, "waiting.html", session=session, token=token, view=None)
        return render(
            request,
            "join.html",
            session=session,
            token=token,
            groups=svc.groups_to_choose(ctx.project, session),
            tablet=request.cookies.get(TABLET_COOKIE) == "1",
            child=svc.for_children(ctx.project, session, None),
        )
    view = svc.phone_view(ctx.project, who)
    done = request.query.get("done", "")[:20]
    about = request.query.get("a", "")[:64]
    return _activity_page(
        request,
        view,
        fragment=fragment,
        done=done if _still_true(view, done, about) else "",
    )


def _activity_page(
    request: web.Request,
    view: svc.PhoneView,
    *,
    fragment: bool = False,
    done: str = "",
    status: int = 200,
    typed_votes: dict[str, str] | None = None,
    vote_error: str | None = None,
) -> web.Response:
    return render(
        request,
        "fragment.html" if fragment else "activity.html",
        status=status,
        session=view.session,  # the rows the page shows, and its version, read together
        token=request.match_info["token"],
        view=view,
        key=secrets.token_urlsafe(12),
        done=done,
        tablet=request.cookies.get(TABLET_COOKIE) == "1",
        version=view.version,
        smiley=view.scale is RatingScale.SMILEY,
        typed_votes=typed_votes or {},
        vote_error=vote_error,
    )


# What each `?done=` confirms, and so the activity it belongs on.
DONE_KINDS = {
    "note": ActivityKind.BRAINSTORM,
    "edited": ActivityKind.BRAINSTORM,
    "withdrawn": ActivityKind.BRAINSTORM,
    "votes": ActivityKind.VOTE,
    "ratings": ActivityKind.RATE,
    "assessed": ActivityKind.ASSESS,
    "survey": ActivityKind.SURVEY,
}


def _still_true(view: svc.PhoneView, done: str, activity_id: str) -> bool:
    """A confirmation shows only while it is true: on the activity it was about (`a=`,
    when given), while that activity is current and still open, never beside results. A
    reloaded or bookmarked "?done=votes" after the results are shown says nothing."""
    a = view.activity
    return (
        a is not None
        and DONE_KINDS.get(done) is a.kind
        and view.accepting
        and not view.results
        and activity_id in ("", a.id)
    )


async def join(request: web.Request) -> web.Response:
    session = _session(request)
    ctx = ctx_of(request)
    form = await _form(request)
    choice = form.get("group", "")
    groups = {g.id for g in svc.groups_to_choose(ctx.project, session)}
    if choice not in groups and choice != "none":
        raise Refused(422, svc.NOT_INVITED)
    _take_join(request)
    try:
        who = await _await(
            request, svc.join(ctx.project, session.id, None if choice == "none" else choice)
        )
    except SessionFullError:
        ctx.shedding.record("full")
        raise
    resp = redirect(f"/j/{session.join_token}")
    _set_participant_cookie(resp, session, who.id)
    if form.get("tablet") == "1":
        resp.set_cookie(TABLET_COOKIE, "1", httponly=True, samesite="Strict", path="/")
    return resp


async def next_person(request: web.Request) -> web.Response:
    """Shared tablet: forget this participant; the next person joins afresh."""
    session = _session(request)
    await _form(request)
    resp = redirect(f"/j/{session.join_token}")
    resp.del_cookie(_cookie_name(session), path="/")
    return resp


async def help_page(request: web.Request) -> web.Response:
    session = _session(request)
    return _help_page(request, session, sent=request.query.get("done") == "help")


def _help_page(
    request: web.Request, session: Session, *, sent: bool = False, status: int = 200
) -> web.Response:
    ctx = ctx_of(request)
    who = _participant(request, session)
    return render(
        request,
        "help.html",
        status=status,
        session=session,
        token=request.match_info["token"],
        support=svc.support_info(ctx.project),
        joined=who is not None,
        child=svc.for_children(ctx.project, session, who),
        key=secrets.token_urlsafe(12),
        sent=sent,
        listening=svc.someone_listening(ctx.project, session),
        nobody_listening=svc.NOBODY_LISTENING,
    )


# ---------------------------------------------------------------- submissions


async def post_note(request: web.Request) -> web.Response:
    session = _session(request)
    who = _require_participant(request, session)
    if _is_api(request):
        data = await _json_body(request, {"key", "activity", "text"})
    else:
        data = await _form(request)
    result = await _await(
        request,
        svc.post_note(
            ctx_of(request).project,
            who.id,
            str(data.get("activity", ""))[:64],
            data.get("text"),
            data.get("key"),
            look=ctx_of(request).look,
        ),
    )
    return _submitted_response(request, result, "note", result.body["note"]["activity"])


async def edit_note(request: web.Request) -> web.Response:
    session = _session(request)
    who = _require_participant(request, session)
    data = await _json_body(request, {"key", "text"}) if _is_api(request) else await _form(request)
    result = await _await(
        request,
        svc.edit_note(
            ctx_of(request).project,
            who.id,
            request.match_info["note"][:64],
            data.get("text"),
            data.get("key"),
            look=ctx_of(request).look,
        ),
    )
    return _submitted_response(request, result, "edited", result.body["note"]["activity"])


async def withdraw_note(request: web.Request) -> web.Response:
    session = _session(request)
    who = _require_participant(request, session)
    data = await _json_body(request, {"key"}) if _is_api(request) else await _form(request)
    result = await _await(
        request,
        svc.withdraw_note(
            ctx_of(request).project, who.id, request.match_info["note"][:64], data.get("key")
        ),
    )
    return _submitted_response(request, result, "withdrawn")


async def confirm_withdraw(request: web.Request) -> web.Response:
    """Without the script, "Take back this note" is a link to this page: it shows the note
    and asks before anything is taken back (the POST to the same address does it)."""
    session = _session(request)
    ctx = ctx_of(request)
    who = _participant(request, session)
    if who is None or not who.joined:
        raise Refused(403, "Join the session first: open the link from the screen again.")
    note = svc.note_to_take_back(ctx.project, who, request.match_info["note"][:64])
    return render(
        request,
        "withdraw.html",
        session=session,
        token=request.match_info["token"],
        note=note,
        key=secrets.token_urlsafe(12),
        child=svc.for_children(ctx.project, session, who),
    )


async def cast_votes(request: web.Request) -> web.Response:
    session = _session(request)
    who = _require_participant(request, session)
    activity = ""
    data: dict[str, Any] = {}
    try:
        if _is_api(request):
            data = await _json_body(request, {"key", "activity", "dots"})
            dots = data.get("dots")
        else:
            data = await _form(request)
            dots = _int_fields(data, "dots.")
        activity = str(data.get("activity", ""))[:64]
        result = await _await(
            request,
            svc.cast_votes(ctx_of(request).project, who.id, activity, dots, data.get("key")),
        )
    except (Refused, DomainError) as exc:
        status, message = (
            (exc.status, exc.message) if isinstance(exc, Refused) else (_status_for(exc), str(exc))
        )
        if _is_api(request) or status != 422:
            raise
        # A phone without the script: the vote page again, with what was typed and why it
        # was not received, so nothing has to be typed twice.
        typed = {k[len("dots.") :]: v[:12] for k, v in data.items() if k.startswith("dots.")}
        return _refused_votes(request, who, typed, message)
    return _submitted_response(request, result, "votes", activity)


def _refused_votes(
    request: web.Request,
    who: Participant,
    typed: dict[str, str],
    message: str,
) -> web.Response:
    view = svc.phone_view(ctx_of(request).project, who)
    if view.activity is None or view.activity.kind is not ActivityKind.VOTE:
        return _refusal(request, 422, message)
    return _activity_page(request, view, status=422, typed_votes=typed, vote_error=message)


async def rate(request: web.Request) -> web.Response:
    session = _session(request)
    who = _require_participant(request, session)
    if _is_api(request):
        data = await _json_body(request, {"key", "activity", "ratings"})
        ratings = data.get("ratings")
    else:
        data = await _form(request)
        ratings = _int_fields(data, "rating.")
    result = await _await(
        request,
        svc.rate(
            ctx_of(request).project,
            who.id,
            str(data.get("activity", ""))[:64],
            ratings,
            data.get("key"),
        ),
    )
    return _submitted_response(request, result, "ratings", str(data.get("activity", ""))[:64])


async def answer_survey(request: web.Request) -> web.Response:
    """A survey's answers: radio buttons and text boxes named `answer.<question>`, or the
    JSON `answers` object (a number for a closed question, text for a written one)."""
    session = _session(request)
    who = _require_participant(request, session)
    if _is_api(request):
        data = await _json_body(request, {"key", "activity", "answers"})
        answers = data.get("answers")
    else:
        data = await _form(request)
        answers = {k[len("answer.") :]: v for k, v in data.items() if k.startswith("answer.")}
    activity = str(data.get("activity", ""))[:64]
    ctx = ctx_of(request)
    result = await _await(
        request,
        svc.answer_survey(ctx.project, who.id, activity, answers, data.get("key"), look=ctx.look),
    )
    return _submitted_response(request, result, "survey", activity)


async def ask_for_help(request: web.Request) -> web.Response:
    session = _session(request)
    ctx = ctx_of(request)
    who = _participant(request, session)
    data = (
        await _json_body(request, {"key", "message"}) if _is_api(request) else await _form(request)
    )
    if who is not None:
        _take_write(request, who.id)
    else:
        _take_join(request)
    try:
        if who is None:
            # Anyone holding the link may ask for help, joined or not: they get an id of
            # their own (in the same transaction) so a retry is recognised as one request.
            answer = await _await(
                request,
                svc.request_help_as_newcomer(
                    ctx.project, session.id, data.get("message"), data.get("key")
                ),
            )
            result, pid = answer.submitted, answer.participant_id
        else:
            result = await _await(
                request, svc.request_help(ctx.project, who.id, data.get("message"), data.get("key"))
            )
            pid = who.id
    except NobodyListeningError as exc:
        if _is_api(request):
            body = {"ok": False, "error": str(exc), "support": svc.support_info(ctx.project)}
            return web.json_response(body, status=409)
        return _help_page(request, session, status=409)
    resp: web.Response
    if _is_api(request):
        resp = web.json_response({"ok": True, **result.body})
        if result.replayed:
            resp.headers["Idempotent-Replayed"] = "true"
    else:
        resp = redirect(f"/j/{session.join_token}/help?done=help")
    # The phone keeps its id, so a retry of the same request is recognised as one.
    _set_participant_cookie(resp, session, pid)
    return resp


# ---------------------------------------------------------------- reading and live updates


async def state(request: web.Request) -> web.Response:
    session = _session(request)
    who = _participant(request, session)
    body = svc.live_state(ctx_of(request).project, session.id)
    body["joined"] = who is not None and who.joined
    return web.json_response(body, headers={"Cache-Control": "no-store"})


async def events(request: web.Request) -> web.StreamResponse:
    session = _session(request)
    who = _participant(request, session)
    owner = f"p:{who.id}" if who is not None else f"s:{source_of(request.transport)}"
    return await ctx_of(request).broadcaster.stream(request, session, owner)


async def ping(request: web.Request) -> web.Response:
    """No database: the reference the load benchmark compares against."""
    return web.Response(text="ok")


# ---------------------------------------------------------------- middleware and app


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def errors_and_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        resp = await handler(request)
    except Relocated as exc:
        resp = redirect(exc.location)
        _forget_frames(exc)
    except web.HTTPException as exc:  # aiohttp's own: 404 no route, 405, 413 too large
        resp = _refusal(request, exc.status, _http_message(exc))
        _forget_frames(exc)
    except Refused as exc:
        resp = _refusal(request, exc.status, exc.message)
        _forget_frames(exc)
    except DomainError as exc:
        resp = _refusal(request, _status_for(exc), str(exc))
        _forget_frames(exc)
    except StorageProblem as exc:
        # The laptop's disk (full, read-only, failing): nothing was stored, and the page's
        # outbox keeps what was sent and tries again by itself.
        log.warning("a phone's submission was not saved: %s", exc.kind)
        resp = _refusal(request, 503, NOT_SAVED)
        resp.headers["Retry-After"] = "10"
    except asyncio.CancelledError:
        raise
    except Exception:
        # A bug: logged with its traceback (never the request body or the address).
        log.exception("unexpected error in %s %s", request.method, request.match_info.route.name)
        resp = _refusal(request, 500, "Something went wrong on the facilitator's laptop.")
    if not resp.prepared:
        for name, value in SECURITY_HEADERS.items():
            resp.headers.setdefault(name, value)
        if resp.content_type == "text/html" or _is_api(request):
            resp.headers.setdefault("Cache-Control", "no-store")
    return resp


def _forget_frames(exc: BaseException) -> None:
    """An expected refusal's traceback is never read, and it keeps the frames it passed through
    (the request, the route's variables, the exception itself): a reference cycle per refused
    request that only the garbage collector could free. Their variables are cleared."""
    traceback.clear_frames(exc.__traceback__)


def _http_message(exc: web.HTTPException) -> str:
    return {
        404: "There is nothing at this address.",
        405: "That is not something this page can do.",
        408: "That took too long to arrive. Please try again.",
        413: "That was too much to send at once.",
    }.get(exc.status, exc.reason)


def _refusal(request: web.Request, status: int, message: str) -> web.Response:
    if _is_api(request) or request.headers.get("Accept", "").startswith("application/json"):
        return web.json_response({"ok": False, "error": message}, status=status)
    token = request.match_info.get("token", "")
    return render(request, "message.html", status=status, message=message, token=token)


async def _hide_server_header(_request: web.Request, resp: web.StreamResponse) -> None:
    resp.headers.pop("Server", None)  # no software versions for strangers on the Wi-Fi


def make_app(
    project: OpenProject,
    limits: Limits | None = None,
    shedding: Shedding | None = None,
    look: SecondLook | None = None,
) -> web.Application:
    app = web.Application(middlewares=[errors_and_headers], client_max_size=MAX_BODY)
    ctx = Context(project, limits, shedding, look)
    app[CTX] = ctx
    t = "/j/{token}"
    # Every path under /j/{token} is one bucket of aiohttp's router, tried in the order
    # given here: what phones send all session long comes first (a route found at the
    # head of the bucket costs ~3 µs, at its tail ~14; docs/performance.md). No two of
    # these paths can match the same URL (tests/web/test_routes.py), so the order
    # changes nothing but the time.
    app.add_routes(
        [
            web.post(t + "/api/notes", post_note, name="api_post_note"),
            web.post(t + "/api/votes", cast_votes, name="api_cast_votes"),
            web.post(t + "/api/ratings", rate, name="api_rate"),
            web.get(t + "/api/state", state, name="api_state"),
            web.get(t, page, name="page"),
            web.get(t + "/events", events, name="events"),
            web.post(t + "/api/survey", answer_survey, name="api_answer_survey"),
            web.post(t + "/api/notes/{note}/edit", edit_note, name="api_edit_note"),
            web.post(t + "/api/notes/{note}/withdraw", withdraw_note, name="api_withdraw_note"),
            web.post(t + "/api/help", ask_for_help, name="api_help"),
            web.post(t + "/join", join, name="join"),
            web.post(t + "/next", next_person, name="next"),
            web.get(t + "/help", help_page, name="help"),
            web.post(t + "/help", ask_for_help, name="ask_for_help"),
            # The same actions as plain forms, for a browser without JavaScript.
            web.post(t + "/notes", post_note, name="post_note"),
            web.post(t + "/notes/{note}/edit", edit_note, name="edit_note"),
            web.get(t + "/notes/{note}/withdraw", confirm_withdraw, name="confirm_withdraw"),
            web.post(t + "/notes/{note}/withdraw", withdraw_note, name="withdraw_note"),
            web.post(t + "/votes", cast_votes, name="cast_votes"),
            web.post(t + "/ratings", rate, name="rate"),
            web.post(t + "/survey", answer_survey, name="answer_survey"),
            web.get("/", enter_code, name="enter_code"),
            web.post("/", enter_code_post, name="enter_code_post"),
            web.get("/ping", ping, name="ping"),
            web.static("/static", HERE / "static", name="static", append_version=False),
        ]
    )
    from workshop_app.web.assess import assess_routes  # it builds on this module

    app.add_routes(assess_routes(t))
    app.on_response_prepare.append(_hide_server_header)
    app.on_startup.append(ctx.start)
    app.on_shutdown.append(ctx.stop)
    return app
