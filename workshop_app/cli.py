"""The `workshop-app` command (DESIGN.md §5).

    workshop-app [PROJECT]              the desktop app (optionally opening PROJECT)
    workshop-app --version
    workshop-app demo PATH [--seed N] [--force]
    workshop-app info PATH [--json]
    workshop-app plans [--check DIR]
    workshop-app merge TARGET SOURCE... [--dry-run] [--match-groups] [--match-group S=T]
    workshop-app encrypt PATH / decrypt PATH --yes / delete PATH --yes

An encrypted project's passphrase comes from --passphrase-file FILE or the
WORKSHOP_APP_PASSPHRASE environment variable; it is never taken on the command line.

User errors exit with status 1 (2 for a malformed command line or an unknown command) and
one line on stderr; bugs are logged with a traceback to the log file and reported as an
unexpected error (3). A closed pipe (``workshop-app info x | head -1``) ends quietly with 0,
as other Unix tools do. Every status is listed in docs/cli.md.
"""

from __future__ import annotations

import argparse
import difflib
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from workshop_app import APP_NAME, __version__
from workshop_app.core.errors import DomainError
from workshop_app.core.plan import PlanError
from workshop_app.storage.cipher import Key
from workshop_app.storage.errors import PassphraseNeededError, ProjectFileError

PROG = "workshop-app"
COMMANDS = (
    "demo",
    "info",
    "plans",
    "serve",
    "themes",
    "export",
    "merge",
    "encrypt",
    "decrypt",
    "delete",
)
PASSPHRASE_ENV = "WORKSHOP_APP_PASSPHRASE"  # noqa: S105 - a variable's name, not a secret
EXIT_USER_ERROR = 1
EXIT_USAGE = 2
EXIT_BUG = 3

if TYPE_CHECKING:
    from workshop_app.services.arrival import SecondLook
    from workshop_app.services.project import OpenProject

log = logging.getLogger(__name__)


class UserError(Exception):
    """A problem the person running the command can fix; printed as one line."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=f"{APP_NAME}: run co-design workshops offline. Without a command, "
        "starts the desktop app (optionally opening PROJECT).",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser("demo", help="write a realistic demo project to PATH")
    demo.add_argument("path", type=Path, metavar="PATH")
    demo.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    demo.add_argument("--force", action="store_true", help="replace PATH if it exists")

    info = sub.add_parser("info", help="describe a project: sessions, activities, counts")
    info.add_argument("path", type=Path, metavar="PATH")
    info.add_argument("--json", action="store_true", help="print one JSON object")

    plans = sub.add_parser("plans", help="list the session plans, or check a folder of them")
    plans.add_argument("--check", type=Path, metavar="DIR", help="check every plan in DIR")

    serve = sub.add_parser(
        "serve",
        help="run the participant server for a session without the desktop app",
        description="Take a session live and serve the participant pages until Ctrl+C. "
        "The join URL is the first line printed.",
    )
    serve.add_argument("path", type=Path, metavar="PATH")
    serve.add_argument("--session", required=True, metavar="ID", help="session id (or its start)")
    serve.add_argument(
        "--activity", type=int, metavar="N", help="open activity N of the agenda (1 = first)"
    )
    serve.add_argument(
        "--host",
        default="0.0.0.0",  # noqa: S104 - phones on the room's Wi-Fi must reach it
        help="address to listen on (default: every address of this laptop)",
    )
    serve.add_argument(
        "--port", type=int, default=8080, help="port (default 8080; the next free one if busy)"
    )

    themes = sub.add_parser(
        "themes",
        help="suggest themes for an activity's notes",
        description="Group an activity's notes into suggested themes, offline.",
    )
    themes.add_argument("path", type=Path, metavar="PATH")
    themes.add_argument("--session", required=True, metavar="ID", help="session id (or its start)")
    themes.add_argument(
        "--activity", required=True, type=int, metavar="N", help="activity N of the agenda"
    )
    themes.add_argument("--k", type=int, metavar="K", help="how many themes (default: chosen)")
    themes.add_argument("--json", action="store_true", help="print one JSON object")

    export = sub.add_parser(
        "export",
        help="export a session (Word, CSV, JSON, REFI-QDA) or the standards framework (Word)",
        description=(
            "Write a session summary (Word), the session's data (CSV files with a codebook, "
            "or one JSON file, or a REFI-QDA project for QualCoder, NVivo, ATLAS.ti and MAXQDA), "
            "an evaluation survey's report or its “you said, we did” summary (Word), "
            "or the project's standards framework (Word). Words the privacy review marked for "
            "removal are exported as [removed]."
        ),
    )
    export.add_argument("path", type=Path, metavar="PATH")
    what = export.add_mutually_exclusive_group()
    what.add_argument("--session", metavar="ID", help="session id (or its start)")
    what.add_argument("--standards", action="store_true", help="the standards framework (Word)")
    what.add_argument(
        "--self-assessments",
        action="store_true",
        help="the pilot's self-assessments: one Word report per service into the folder --out, "
        "or with --format csv|json their data with a codebook",
    )
    what.add_argument(
        "--comparison",
        action="store_true",
        help="the self-assessments compared across services and areas (Word)",
    )
    export.add_argument(
        "--format",
        choices=("docx", "csv", "json", "qdpx"),
        help="docx (a session summary; the default with --session), csv (a folder or .zip), "
        "json, or qdpx (a REFI-QDA project: the notes shown on the wall, coded by theme); csv, "
        "json and qdpx without --session cover the whole project",
    )
    export.add_argument(
        "--survey",
        type=int,
        metavar="N",
        help="with --session: the evaluation report (Word) of the survey that is activity N of "
        "the session's agenda (its data are in the session's csv/json)",
    )
    export.add_argument(
        "--you-said",
        action="store_true",
        help="with --survey: the one-page “you said, we did” summary for the young people "
        "instead (Word)",
    )
    export.add_argument(
        "--no-hidden", action="store_true", help="csv/json: leave out notes hidden by moderation"
    )
    export.add_argument("--out", required=True, type=Path, metavar="FILE", help="where to write")
    export.add_argument("--force", action="store_true", help="replace FILE if it exists")
    export.add_argument(
        "--agreed",
        action="store_true",
        help="with --standards: the agreed framework, only the statements that met the "
        "consensus rule (the rest listed in an annex)",
    )
    export.add_argument(
        "--allow-unreviewed",
        action="store_true",
        help="export even though the privacy review has suspected personal details left to "
        "decide (they are exported as written, and the documents say so on their first page)",
    )

    merge = sub.add_parser(
        "merge",
        help="bring other laptops' projects into TARGET (sessions, notes, themes, votes, "
        "ratings, standards)",
        description="Bring each SOURCE project into TARGET, in one go: every row comes "
        "across with its id and a record of where it came from; what TARGET already has is "
        "kept as it is; nothing is deleted and the SOURCE files are never changed. Groups "
        "spelled the same are one group; groups spelled differently are offered for "
        "matching (see --match-groups).",
    )
    merge.add_argument("target", type=Path, metavar="TARGET")
    merge.add_argument("sources", type=Path, nargs="+", metavar="SOURCE")
    merge.add_argument(
        "--dry-run", action="store_true", help="list what would come across; change nothing"
    )
    merge.add_argument(
        "--match-groups",
        action="store_true",
        help="accept every offered group match (groups spelled differently)",
    )
    merge.add_argument(
        "--match-group",
        action="append",
        default=[],
        metavar="SOURCE=TARGET",
        help="accept one offered match, by the two group names (repeatable)",
    )
    merge.add_argument(
        "--source-passphrase-file",
        type=Path,
        metavar="FILE",
        help="the SOURCE projects' passphrase, when it is not TARGET's (first line of FILE)",
    )
    encrypt = sub.add_parser(
        "encrypt",
        help="encrypt a plain project in place (a verified copy replaces it)",
        description="Encrypt PATH, and the backups the app made of it, with a new "
        "passphrase (read from --passphrase-file or WORKSHOP_APP_PASSPHRASE). Keep the "
        "passphrase safe: without it nobody can open the project, not even you.",
    )
    encrypt.add_argument("path", type=Path, metavar="PATH")
    decrypt = sub.add_parser(
        "decrypt",
        help="decrypt an encrypted project in place, on purpose",
        description="Decrypt PATH and its backups: afterwards anyone with a copy of the "
        "file can read every note. Needs --yes.",
    )
    decrypt.add_argument("path", type=Path, metavar="PATH")
    decrypt.add_argument("--yes", action="store_true", help="yes, decrypt it")
    delete = sub.add_parser(
        "delete",
        help="delete a project securely: the file, its write-ahead log, its backups, its lock",
    )
    delete.add_argument("path", type=Path, metavar="PATH")
    delete.add_argument("--yes", action="store_true", help="yes, delete it (cannot be undone)")
    for command in (info, serve, themes, export, merge, encrypt, decrypt):
        command.add_argument(
            "--passphrase-file",
            type=Path,
            metavar="FILE",
            help="read the project's passphrase from the first line of FILE "
            f"(or set {PASSPHRASE_ENV})",
        )
    return parser


def _passphrase(file: Path | None, *, env: str | None = PASSPHRASE_ENV) -> Key | None:
    """The Key from FILE's first line, else from the environment, else None."""
    if file is not None:
        try:
            text = file.read_text(encoding="utf-8")
        except OSError as e:
            raise UserError(f"the passphrase file {file} cannot be read ({e.strerror})") from None
        except UnicodeDecodeError:
            raise UserError(f"the passphrase file {file} is not text (UTF-8)") from None
        lines = text.splitlines()
        secret = lines[0] if lines else ""
        if not secret:
            raise UserError(
                f"the passphrase file {file} is empty (the passphrase is its first line)"
            )
        return _checked_key(secret, str(file))
    secret = os.environ.get(env, "") if env else ""
    return _checked_key(secret, env or "") if secret else None


def _checked_key(secret: str, where: str) -> Key:
    try:
        return Key(secret)
    except ValueError as e:  # a NUL character: SQLite cannot take it
        raise UserError(f"the passphrase in {where} cannot be used: {e}") from None


def _key(args: argparse.Namespace) -> Key | None:
    return _passphrase(getattr(args, "passphrase_file", None))


def _needs_passphrase(path: Path) -> UserError:
    return UserError(
        f"{path.name} is encrypted (or is not a project): give its passphrase with "
        f"--passphrase-file FILE or the {PASSPHRASE_ENV} environment variable"
    )


def main(argv: Sequence[str] | None = None) -> int:
    try:
        code = _main(list(sys.argv[1:] if argv is None else argv))
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's exit
        return code
    except BrokenPipeError:
        return _pipe_closed()


def _main(args_list: list[str]) -> int:
    if not args_list or (args_list[0] not in COMMANDS and not args_list[0].startswith("-")):
        if args_list and not _looks_like_a_project(args_list[0]):
            return _unknown_command(args_list[0])
        return _run_gui(args_list)
    parser = _parser()
    try:
        args = parser.parse_args(args_list)
    except SystemExit as e:  # argparse has printed its usage message
        return int(e.code or 0) and EXIT_USAGE
    handlers: dict[str, Callable[[argparse.Namespace], int]] = {
        "demo": _cmd_demo,
        "info": _cmd_info,
        "plans": _cmd_plans,
        "serve": _cmd_serve,
        "themes": _cmd_themes,
        "export": _cmd_export,
        "merge": _cmd_merge,
        "encrypt": _cmd_encrypt,
        "decrypt": _cmd_decrypt,
        "delete": _cmd_delete,
    }
    return _guard(lambda: handlers[args.command](args))


def _looks_like_a_project(arg: str) -> bool:
    """An existing file or folder, or a name that reads as a path (a separator, a suffix)."""
    path = Path(arg)
    return path.exists() or os.sep in arg or "/" in arg or bool(path.suffix)


def _unknown_command(word: str) -> int:
    close = difflib.get_close_matches(word, COMMANDS, n=1, cutoff=0.6)
    hint = (
        f"did you mean '{close[0]}'?"
        if close
        else f"the commands are {', '.join(COMMANDS)}; a project to open must be an existing file"
    )
    print(f"{PROG}: error: unknown command '{word}' ({hint})", file=sys.stderr)
    return EXIT_USAGE


def _pipe_closed() -> int:
    """The reader went away (``| head``): stop quietly, like other Unix tools."""
    try:  # Python would report the failed flush of stdout again at exit
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return 0


def _guard(fn: Callable[[], int]) -> int:
    try:
        return fn()
    except BrokenPipeError:
        raise  # not an error of the user's: main() ends quietly
    except PassphraseNeededError as e:
        return _user_error(_needs_passphrase(e.path))
    except (UserError, DomainError, ProjectFileError) as e:
        return _user_error(e)
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except OSError as e:
        from workshop_app.storage.errors import describe_os_error

        print(f"{PROG}: error: {describe_os_error(e)}", file=sys.stderr)
        return EXIT_USER_ERROR
    except Exception as e:
        if isinstance(e, _lazy_user_errors()):
            return _user_error(e)
        logfile = _log_bug()
        print(f"{PROG}: unexpected error (a bug); details in {logfile}", file=sys.stderr)
        return EXIT_BUG


def _user_error(e: Exception) -> int:
    message = str(e).splitlines()[0] if not isinstance(e, PlanError) else str(e)
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return EXIT_USER_ERROR


def _lazy_user_errors() -> tuple[type[Exception], ...]:
    """Errors of heavy modules, imported only when an exception is being matched."""
    from workshop_app.themes.errors import ModelError
    from workshop_app.web.server import ServerError

    return (ServerError, ModelError)


def _log_bug() -> Path:
    from workshop_app.infra.logs import log_exception

    return log_exception()


def _run_gui(args: list[str]) -> int:
    path = Path(args[0]) if args else None
    if len(args) > 1:
        print(f"{PROG}: error: give at most one project to open", file=sys.stderr)
        return EXIT_USAGE
    from workshop_app.screen import screen_problem

    problem = screen_problem()
    if problem is not None:
        print(
            f"{PROG}: error: {problem}: the desktop app needs one. Without a screen, "
            f"'{PROG} serve' runs the participant server and '{PROG} export' writes the "
            f"documents and data (see '{PROG} --help').",
            file=sys.stderr,
        )
        return EXIT_USER_ERROR
    from workshop_app.app import run

    return run(path)


def _cmd_demo(args: argparse.Namespace) -> int:
    from workshop_app.services.demo import write_demo
    from workshop_app.services.project import with_suffix

    path = with_suffix(args.path)
    if path.exists():
        if not args.force:
            raise UserError(f"{path} already exists; use --force to replace it")
        if path.is_dir():
            raise UserError(f"{path} is a folder")
        for extra in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            extra.unlink(missing_ok=True)
    if not path.parent.is_dir():
        raise UserError(f"the folder {path.parent} does not exist")
    summary = write_demo(path, seed=args.seed)
    print(f"Wrote the demo project to {path}: {summary}")
    return 0


def _cmd_info(args: argparse.Namespace) -> int:
    from workshop_app.services.info import describe
    from workshop_app.services.project import open_project

    with open_project(args.path, read_only=True, key=_key(args)) as p:
        data = describe(p)
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print(_format_info(data))
    return 0


def _format_info(data: dict[str, object]) -> str:
    project = data["project"]
    assert isinstance(project, dict)
    groups = data["groups"]
    sessions = data["sessions"]
    counts = data["counts"]
    assert isinstance(groups, list) and isinstance(sessions, list) and isinstance(counts, dict)
    group_names = {g["id"]: g["name"] for g in groups}
    lines = [f"{project['title']}" + (f" — {project['locality']}" if project["locality"] else "")]
    lines.append(_format_protection(data))
    lines.append("Groups: " + (", ".join(g["name"] for g in groups) or "none"))
    lines.append("Totals: " + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items()))
    lines += _format_pilot(data)
    for s in sessions:
        lines.append("")
        when = s["date"] or "no date"
        lines.append(f"Session {s['id'][:8]}  {s['title']}  ({when}, {s['state']})")
        if s["groups"]:
            lines.append("  groups: " + ", ".join(group_names.get(g, "?") for g in s["groups"]))
        c = s["counts"]
        lines.append(
            f"  {c['participants']} participants, {c['notes']} notes, {c['themes']} themes, "
            f"{c['votes']} votes, {c['ratings']} ratings"
        )
        for a in s["activities"]:
            minutes = f"{a['minutes']} min" if a["minutes"] else ""
            lines.append(
                f"  {a['position']:>2}. {a['kind']:<10} {a['state']:<8} {minutes:>7}  {a['title']}"
            )
    lines.extend(_format_merges(data))
    return "\n".join(lines)


def _format_protection(data: dict[str, object]) -> str:
    from datetime import date

    from workshop_app.core.retention import long_date
    from workshop_app.storage.cipher import CIPHER_NAME

    protection = data["protection"]
    assert isinstance(protection, dict)
    how = (
        f"encrypted ({CIPHER_NAME})"
        if protection["encrypted"]
        else f"not encrypted (anyone with a copy can read it; {PROG} encrypt PATH)"
    )
    until = long_date(date.fromisoformat(protection["keep_until"]))
    return f"File: {how}; keep until {until} ({protection['retention']})"


def _format_merges(data: dict[str, object]) -> list[str]:
    """The merges done and the standards they flagged, for `info`."""
    from workshop_app.services.merge import counts_text

    merges, flagged = data.get("merges") or [], data.get("flagged_standards") or []
    assert isinstance(merges, list) and isinstance(flagged, list)
    lines: list[str] = []
    if merges:
        lines += ["", "Merges:"]
    for m in merges:
        where = "" if m["into_this_project"] else " (done in a project merged in later)"
        lines.append(
            f"  {m['at'][:16].replace('T', ' ')}  {m['source_file']} (“{m['source_title']}”, "
            f"sha256 {m['source_sha256'][:12]}…){where}: {counts_text(m['counts'])}"
        )
    if flagged:
        lines += ["", "Standards edited on two laptops (both versions kept; please compare):"]
    for f in flagged:
        lines.append(
            f"  “{f['title']}” from {f['from_file']} (“{f['from_title']}”), beside "
            f"“{f['beside_title']}”"
        )
    return lines


def _format_pilot(data: dict[str, object]) -> list[str]:
    """Areas, services and self-assessments, when the project names any."""
    areas, services = data.get("areas"), data.get("services")
    assessed = data.get("self_assessments")
    assert isinstance(areas, list) and isinstance(services, list) and isinstance(assessed, list)
    if not services and not areas:
        return []
    area_names = {a["id"]: a["name"] for a in areas}
    lines = ["Areas: " + (", ".join(area_names.values()) or "none")]
    lines.append("Services:")
    for s in services:
        where = area_names.get(s["area"], "no area")
        done = [a for a in assessed if a["service"] == s["id"]]
        said = "; ".join(f"{a['settled']} of {a['statements']} settled" for a in done)
        lines.append(
            f"  {s['name']} ({s['kind'].replace('_', ' ')}, {where})"
            + (f": self-assessment {said}" if done else ": no self-assessment yet")
        )
    return lines


def _cmd_plans(args: argparse.Namespace) -> int:
    from workshop_app.infra.paths import shipped_plans_dir, user_plans_dir
    from workshop_app.services.plans import check_folder, list_plans

    if args.check is not None:
        report = check_folder(args.check)
        for problem in report.problems:
            print(problem)
        for plan in report.plans:
            print(
                f"ok  {plan.source}  ({len(plan.activities)} activities, {plan.total_minutes} min)"
            )
        if report.problems:
            files = len({p.source for p in report.problems})
            raise UserError(
                f"{len(report.problems)} problem(s) in {files} plan file(s) in {args.check}"
            )
        if not report.plans:
            raise UserError(f"no plan files (*.toml) in {args.check}")
        return 0

    report = list_plans([shipped_plans_dir(), user_plans_dir()])
    for plan in report.plans:
        print(f"{plan.id:<28} {plan.total_minutes:>4} min  {plan.title}")
    for problem in report.problems:
        print(f"{PROG}: warning: {problem}", file=sys.stderr)
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    from workshop_app.core.model import ActivityState
    from workshop_app.infra.logs import configure_logging
    from workshop_app.infra.process import StopRequest, tune_gc
    from workshop_app.services import live, sessions
    from workshop_app.services.project import open_project
    from workshop_app.web.network import likely_lan_address
    from workshop_app.web.server import ParticipantServer

    if not 0 <= args.port <= 65535:
        raise UserError(f"the port must be between 0 and 65535, not {args.port}")
    configure_logging()
    stop = StopRequest()
    with open_project(args.path, program=f"{PROG} serve", key=_key(args)) as p:
        session_id = sessions.resolve_session_id(p, args.session)
        session = live.go_live(p, session_id)
        if args.activity is not None:
            agenda = sessions.list_activities(p, session_id)
            if not 1 <= args.activity <= len(agenda):
                raise UserError(
                    f"the session has {len(agenda)} activities; --activity must be 1 to "
                    f"{len(agenda)}"
                )
            chosen = agenda[args.activity - 1]
            if chosen.state is ActivityState.OPEN:
                pass
            elif chosen.state in (ActivityState.PENDING, ActivityState.CLOSED):
                live.set_activity_state(p, chosen.id, ActivityState.OPEN)
            else:
                live.show_activity(p, chosen.id)
        # Listening and stopping are set up before the link is printed: whoever reads the
        # link may at once send a help request, or stop the server (a race seen in CI).
        unsubscribe = p.bus.subscribe(_help_to_terminal(p, session_id))
        stop.install()  # SIGINT (Ctrl+C) and SIGTERM; the handler takes no lock
        look = _second_look(p)
        look.start()  # reads notes as they come, and any left unread last time
        server = ParticipantServer(p, look=look)
        try:
            address = server.start(args.host, args.port)
            tune_gc()
            shown_host = address.host
            if shown_host in ("0.0.0.0", "::", ""):  # noqa: S104
                shown_host = likely_lan_address() or "127.0.0.1"
            print(server.join_url(session_id, shown_host), flush=True)
            print(f"Code: {server.join_code(session_id)}  ·  {session.title}", flush=True)
            print(
                "Serving the participant pages; press Ctrl+C to stop.", file=sys.stderr, flush=True
            )
            stop.wait()
        finally:
            unsubscribe()
            server.stop()
            look.stop()  # after the batch being read; the rest waits in the file
    print("Stopped. The session stays live: serve it again to carry on.", file=sys.stderr)
    return 0


def _second_look(p: OpenProject) -> SecondLook:
    """The arrival check's second look for `serve`, its model prepared (the runtime imported,
    the tokenizer read) before the link is printed: both stop every thread for tens of
    milliseconds, which the room's first phones would otherwise wait through (decision 036;
    the desktop app does this as a project opens). The weights load as the server starts, on
    the look's own thread. A model that cannot be prepared is the look's to report, in words,
    when it starts."""
    from workshop_app.runtime.root import spare_cores
    from workshop_app.services.arrival import SecondLook
    from workshop_app.themes import ModelError, ThemeEngine, ThemeModel

    model = ThemeModel(threads=spare_cores())
    try:
        model.prepare()
    except ModelError as exc:
        log.info("the theme model could not be prepared: %s", exc)
    return SecondLook(p, ThemeEngine(model), on_problem=_say_rules_alone)


def _say_rules_alone(problem: str) -> None:
    """The person running `serve` is told when the second look cannot read notes."""
    print(f"Note: notes are checked with the phrase rules alone: {problem}", file=sys.stderr)


def _help_to_terminal(p: object, session_id: str) -> Callable[[object], None]:
    """Without a console, the person running `serve` is who a help request must reach:
    each new one is printed on stderr (and the terminal bell rung). So is each note held
    back on arrival (a possible disclosure or a personal detail): it waits, unseen by
    anyone else, until the project is opened in the app."""
    from workshop_app.services import live, moderation
    from workshop_app.services.events import Changed, Topic
    from workshop_app.services.project import OpenProject

    assert isinstance(p, OpenProject)
    printed: set[str] = set()

    def line_for(event: Changed, item_id: str) -> str | None:
        if event.topic is Topic.CONTENT:
            held = moderation.held_note(p, item_id)
            return moderation.held_line(held) if held is not None else None
        if event.topic is Topic.HELP:
            alert = live.help_alert(p, item_id, session_id)
            return live.help_alert_line(alert) if alert is not None else None
        return None

    def on_event(event: object) -> None:
        if not isinstance(event, Changed) or not event.item_id or event.item_id in printed:
            return
        try:
            line = line_for(event, event.item_id)
        except Exception:  # never let printing take the writer down
            log.exception("could not read a help request or a held note to print it")
            return
        if line is not None:
            printed.add(event.item_id)
            print(f"\a{PROG}: {line}", file=sys.stderr, flush=True)

    return on_event


def _cmd_themes(args: argparse.Namespace) -> int:
    from workshop_app.services import sessions
    from workshop_app.services.project import open_project
    from workshop_app.services.suggestions import ThemeEngine, suggest_for_activity

    if args.k is not None and not 1 <= args.k <= 100:
        raise UserError(f"--k must be between 1 and 100, not {args.k}")
    with open_project(args.path, read_only=True, key=_key(args)) as p:
        session_id = sessions.resolve_session_id(p, args.session)
        agenda = sessions.list_activities(p, session_id)
        if not 1 <= args.activity <= len(agenda):
            raise UserError(
                f"the session has {len(agenda)} activities; --activity must be 1 to {len(agenda)}"
            )
        activity = agenda[args.activity - 1]
        found = suggest_for_activity(p, activity.id, args.k, engine=ThemeEngine())
    texts = [n.text for n in found.notes]
    if args.k is not None and texts and len(found.themes) < args.k:
        why = (
            f"there are only {len(texts)} notes"
            if len(texts) < args.k
            else f"only {len(found.themes)} of the {len(texts)} notes say different things"
        )
        print(
            f"{PROG}: note: {args.k} themes were asked for, but {why}: "
            f"{len(found.themes)} suggested",
            file=sys.stderr,
        )
    if args.json:
        out = {
            "activity": {"id": activity.id, "position": args.activity, "title": activity.title},
            "notes": len(texts),
            "themes": [
                {
                    "label": t.label,
                    "keywords": t.keywords,
                    "representative": texts[t.representative],
                    "notes": [texts[i] for i in t.members],
                }
                for t in found.themes
            ],
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    if not texts:
        print(f"“{activity.title}” has no notes to group yet.")
        return 0
    print(f"{len(found.themes)} suggested themes for {len(texts)} notes of “{activity.title}”:")
    for number, t in enumerate(found.themes, 1):
        print(f"\n{number}. {t.label}  ({len(t.members)} notes; {', '.join(t.keywords)})")
        for i in t.members:
            marker = "*" if i == t.representative else "-"
            print(f"   {marker} {_one_line(texts[i])}")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from workshop_app.services import datasets, privacy, qda, reports, sessions
    from workshop_app.services.project import open_project

    out: Path = args.out
    if args.you_said and args.survey is None:
        raise UserError("--you-said needs the survey: --session ID --survey N")
    if args.survey is not None:
        return _export_survey(args)
    if args.self_assessments or args.comparison:
        return _export_pilot(args)
    if args.standards:
        if args.format not in (None, "docx"):
            raise UserError("the standards framework is exported as Word only (--format docx)")
        fmt = "docx"
    elif args.session is None and args.format not in ("csv", "json", "qdpx"):
        raise UserError("say what to export: --session ID, --standards, or --format csv|json|qdpx")
    else:
        fmt = args.format or "docx"
    if out.exists() and not args.force:
        raise UserError(f"{out} exists; choose another --out or add --force")
    if fmt == "docx" and out.suffix.lower() != ".docx":
        raise UserError(f"a Word document's name ends in .docx, not {out.name!r}")
    if fmt == "json" and out.suffix.lower() != ".json":
        raise UserError(f"a JSON file's name ends in .json, not {out.name!r}")
    if fmt == "qdpx" and out.suffix.lower() != ".qdpx":
        raise UserError(f"a REFI-QDA project's name ends in .qdpx, not {out.name!r}")
    if not out.parent.is_dir():
        raise UserError(f"the folder {out.parent} does not exist")
    if args.agreed and not args.standards:
        raise UserError("--agreed applies to the standards framework only (--standards)")
    with open_project(args.path, read_only=True, key=_key(args)) as p:
        session_id = sessions.resolve_session_id(p, args.session) if args.session else None
        # the framework quotes notes of every session (its traceability appendix)
        undecided = len(privacy.findings(p, session_id))
        if undecided and not args.allow_unreviewed:
            details = "detail" if undecided == 1 else "details"
            raise UserError(
                f"{undecided} suspected personal {details} not reviewed yet; review them in the "
                "app (File → Export…) or add --allow-unreviewed to export them as written"
            )
        if args.standards:
            reports.write_framework(p, out, agreed_only=args.agreed)
            _note_unreviewed(undecided)
            kind = "agreed standards framework" if args.agreed else "standards framework"
            print(f"Wrote the {kind} to {out}")
            return 0
        what = "the whole project"
        if session_id is not None:
            what = f"“{sessions.get_session(p, session_id).title}”"
        keep_hidden = not args.no_hidden
        if fmt == "docx":
            assert session_id is not None
            reports.write_session_summary(p, session_id, out)
        elif fmt == "qdpx":
            qda.write_qdpx(p, session_id, out)  # shown notes only, whatever --no-hidden says
        elif fmt == "csv":
            datasets.write_csv(p, session_id, out, include_hidden=keep_hidden)
        else:
            datasets.write_json(p, session_id, out, include_hidden=keep_hidden)
    _note_unreviewed(undecided)
    print(f"Wrote {what} ({fmt}) to {out}")
    return 0


def _cmd_merge(args: argparse.Namespace) -> int:
    from workshop_app.services import merge
    from workshop_app.services.project import open_project

    key = _key(args)
    source_key = _passphrase(args.source_passphrase_file, env=None) or key
    sources = [merge.read_source(path, args.target, source_key) for path in args.sources]
    with open_project(args.target, program=f"{PROG} merge", read_only=args.dry_run, key=key) as p:
        previews = merge.preview(p, sources)
        offered = [m for item in previews for m in item.offered]
        accept = _accepted_groups(args, offered)
        previews = merge.preview(p, sources, accept)
        if args.dry_run:
            for item in previews:
                print("\n".join(merge.plan_lines(item)))
            if offered and not accept:
                print("Add --match-groups to match the groups offered (nothing was changed).")
            else:
                print("Nothing was changed (a dry run).")
            return 0
        done = merge.merge(p, sources, accept)
    for brought in done:
        counts = merge.counts_text(brought.plan.counts)
        print(f"Brought in {brought.source.info.file_name}: {counts}.")
        for m in brought.plan.groups:
            print(f"  Group {m.label}: one group.")
        for same in brought.plan.same_named:
            print(f"  {same}.")
        for f in brought.plan.flagged:
            print(
                f"  Standard “{f.title}” was edited on both laptops: both versions are in "
                f"{args.target.name}, flagged for you."
            )
    return 0


def _cmd_encrypt(args: argparse.Namespace) -> int:
    from workshop_app.services.protection import encrypt_in_place

    key = _key(args)
    if key is None:
        raise UserError(f"give the new passphrase with --passphrase-file FILE or {PASSPHRASE_ENV}")
    encrypt_in_place(args.path, key, program=f"{PROG} encrypt")
    print(
        f"Encrypted {args.path} and its backups. Keep the passphrase safe: without it "
        "nobody can open the project."
    )
    return 0


def _cmd_decrypt(args: argparse.Namespace) -> int:
    from workshop_app.services.protection import decrypt_in_place

    if not args.yes:
        raise UserError(
            "decrypting lets anyone with a copy of the file read every note; add --yes to do it"
        )
    key = _key(args)
    if key is None:
        raise _needs_passphrase(args.path)
    decrypt_in_place(args.path, key, program=f"{PROG} decrypt")
    print(f"Decrypted {args.path} and its backups: they are no longer protected.")
    return 0


def _cmd_delete(args: argparse.Namespace) -> int:
    from workshop_app.services.retention import delete_securely, project_files

    if not args.yes:
        listed = ", ".join(f.name for f in project_files(args.path)) or args.path.name
        raise UserError(f"this removes {listed} for good; add --yes to do it")
    removed = delete_securely(args.path, program=f"{PROG} delete")
    print(f"Deleted {len(removed)} files: " + ", ".join(f.name for f in removed))
    return 0


def _accepted_groups(args: argparse.Namespace, offered: Sequence[object]) -> list[str]:
    """The source group ids whose offered match the command line accepts."""
    from workshop_app.core.merge_names import GroupMatch

    matches = [m for m in offered if isinstance(m, GroupMatch)]
    if args.match_groups:
        return [m.source.id for m in matches]
    accept: list[str] = []
    for pair in args.match_group:
        source_name, sep, target_name = pair.partition("=")
        found = [
            m
            for m in matches
            if sep and m.source.name == source_name.strip() and m.target.name == target_name.strip()
        ]
        if not found:
            choices = "; ".join(f"{m.source.name}={m.target.name}" for m in matches) or "none"
            raise UserError(
                f"--match-group {pair!r} is not one of the matches offered (offered: {choices})"
            )
        accept.extend(m.source.id for m in found)
    return accept


def _export_pilot(args: argparse.Namespace) -> int:
    """The pilot reports (issue 16): per-service Word reports, the comparison, the data."""
    from workshop_app.services import pilot
    from workshop_app.services.project import open_project

    out: Path = args.out
    fmt = args.format or "docx"
    if args.comparison and fmt != "docx":
        raise UserError("the comparison is exported as Word only (--format docx)")
    if fmt == "qdpx":
        raise UserError("self-assessments are exported as docx, csv or json")
    if args.agreed or args.no_hidden:
        raise UserError("--agreed and --no-hidden do not apply to self-assessments")
    if out.exists() and not args.force:
        raise UserError(f"{out} exists; choose another --out or add --force")
    if fmt == "docx" and args.comparison and out.suffix.lower() != ".docx":
        raise UserError(f"a Word document's name ends in .docx, not {out.name!r}")
    if fmt == "docx" and args.self_assessments and out.suffix:
        raise UserError(f"the reports go into a folder, one per service; not {out.name!r}")
    if fmt == "json" and out.suffix.lower() != ".json":
        raise UserError(f"a JSON file's name ends in .json, not {out.name!r}")
    if not out.parent.is_dir():
        raise UserError(f"the folder {out.parent} does not exist")
    with open_project(args.path, read_only=True) as p:
        if args.comparison:
            pilot.write_comparison_report(p, out)
            print(f"Wrote the self-assessment comparison to {out}")
        elif fmt == "docx":
            written = pilot.write_service_reports(p, out)
            print(f"Wrote {len(written)} self-assessment reports to {out}:")
            for path in written:
                print(f"  {path.name}")
        elif fmt == "csv":
            pilot.write_pilot_csv(p, out)
            print(f"Wrote the self-assessments (csv) to {out}")
        else:
            pilot.write_pilot_json(p, out)
            print(f"Wrote the self-assessments (json) to {out}")
    return 0


def _export_survey(args: argparse.Namespace) -> int:
    """An evaluation survey's report, or its "you said, we did" page (Word only). The
    report quotes written answers, so the privacy review of its session comes first; the
    one-page summary quotes none."""
    from workshop_app.services import privacy, sessions, survey, survey_reports
    from workshop_app.services.project import open_project

    out: Path = args.out
    if args.session is None:
        raise UserError("--survey N is activity N of a session's agenda: add --session ID")
    if args.format not in (None, "docx"):
        raise UserError(
            "a survey's documents are Word only; its data are in the session's export "
            "(--session ID --format csv|json)"
        )
    if out.suffix.lower() != ".docx":
        raise UserError(f"a Word document's name ends in .docx, not {out.name!r}")
    if out.exists() and not args.force:
        raise UserError(f"{out} exists; choose another --out or add --force")
    if not out.parent.is_dir():
        raise UserError(f"the folder {out.parent} does not exist")
    with open_project(args.path, read_only=True) as p:
        session_id = sessions.resolve_session_id(p, args.session)
        activity = survey.resolve_survey(p, session_id, args.survey)
        if args.you_said:
            survey_reports.write_you_said(p, activity.id, out)
            print(f"Wrote “you said, we did” for “{activity.title}” to {out}")
            return 0
        undecided = len(privacy.findings(p, session_id))
        if undecided and not args.allow_unreviewed:
            details = "detail" if undecided == 1 else "details"
            raise UserError(
                f"{undecided} suspected personal {details} not reviewed yet; review them in the "
                "app (File → Export…) or add --allow-unreviewed to export them as written"
            )
        survey_reports.write_survey_report(p, activity.id, out)
    _note_unreviewed(undecided)
    print(f"Wrote the evaluation report of “{activity.title}” to {out}")
    return 0


def _note_unreviewed(undecided: int) -> None:
    """After an export allowed with --allow-unreviewed: what it holds, on stderr."""
    if undecided:
        details = "detail" if undecided == 1 else "details"
        were = "was" if undecided == 1 else "were"
        print(
            f"{PROG}: note: {undecided} suspected personal {details} not reviewed yet {were} "
            "exported as written (review them in the app: File → Export…)",
            file=sys.stderr,
        )


def _one_line(text: str, limit: int = 110) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
