"""The `apifit` command: a thin layer over the package.

Exit codes: 0 ok; 1 a check failed (its claim is contradicted), evidence is stale, or the
secret scan found something; 2 bad input or usage.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path

from apifit import images, project, scaffold
from apifit.checks import runner, secretscan
from apifit.checks import schema as checks
from apifit.checks.faults import Status
from apifit.checks.interrupts import Interrupted
from apifit.checks.scrub import Scrubber
from apifit.errors import ApifitError
from apifit.evidence import changes
from apifit.evidence import update as archive_update
from apifit.evidence.archive import PINS_FILE, load_archive, pinned_documents
from apifit.evidence.assessments import load_catalog
from apifit.images.obtain import DEFAULT_CACHE
from apifit.pytest_plugin import replay_checks
from apifit.site import build_summary, check_views, engines
from apifit.site import pipeline as build
from apifit.site.wording import count

# Exit codes: 0 ok, 1 a check failed or evidence is stale, 2 bad input or usage.
EXIT_OK, EXIT_FAILED, EXIT_INPUT = 0, 1, 2
MANIFEST = Path("imgs") / "manifest.yml"
# -q, default, -v.
QUIET, NORMAL, VERBOSE = 0, 1, 2


ROOT_HELP = "project directory (default: the nearest one upward holding mkdocs.yml)"


def _add_root(command: argparse.ArgumentParser) -> None:
    command.add_argument("--root", type=Path, help=ROOT_HELP)


def _project_paths(args: argparse.Namespace) -> None:
    """Paths left unset are the project's, found upward from the current directory."""
    given = vars(args)
    if "config_file" in given and args.config_file is None:
        args.config_file = project.find_root(Path.cwd()) / project.MARKER
    if "root" in given and args.root is None:
        # The images commands need no project when both their paths are given.
        explicit = given.get("manifest") is not None and given.get("cache_dir") is not None
        args.root = Path.cwd() if explicit else project.find_root(Path.cwd())
    if "manifest" in given and args.manifest is None:
        args.manifest = args.root / MANIFEST
    if "cache_dir" in given and args.cache_dir is None:
        args.cache_dir = args.root / DEFAULT_CACHE


def _say(args: argparse.Namespace, text: str, *, level: int = NORMAL) -> None:
    """Print `text` when the chosen verbosity (-q, -v) includes its level."""
    if args.verbosity >= level:
        print(text, flush=True)


def _images_fetch(args: argparse.Namespace) -> int:
    manifest = images.load_manifest(args.manifest)
    source = images.resolve_source(None, args.root)
    found = images.obtain_all(
        manifest,
        source=source,
        cache_dir=args.cache_dir,
        progress=lambda text: _say(args, f"apifit: {text}"),
        own=args.manifest.parent,
    )
    _say(args, f"apifit: {count(len(found), 'screenshot')} verified by sha256", level=QUIET)
    return EXIT_OK


def _images_weight(args: argparse.Namespace) -> int:
    manifest = images.load_manifest(args.manifest)
    source = images.resolve_source(None, args.root)
    originals = images.obtain_all(
        manifest, source=source, cache_dir=args.cache_dir, own=args.manifest.parent
    )
    raw = {file: path.stat().st_size for file, path in originals.items()}
    weights = images.page_weights(args.site_dir, raw)
    if args.json:
        # The shape of `PageBytes` in bench/results/bench.json.
        fields = ("page", "raw_png_bytes", "bytes_1x", "bytes_2x")
        print(json.dumps([{f: getattr(w, f) for f in fields} for w in weights], indent=2))
    else:
        print(images.format_weights(weights))
    return EXIT_OK


def _build(args: argparse.Namespace) -> int:
    if args.site_dir is None:
        args.site_dir = args.config_file.parent / "site"
    started = time.perf_counter()
    echo = args.verbosity >= VERBOSE
    build.build(args.config_file, args.site_dir, args.engine, echo=echo)
    seconds = time.perf_counter() - started
    root = args.config_file.resolve().parent
    _say(args, f"apifit: {build_summary.summary(root, args.site_dir, seconds)}", level=QUIET)
    return EXIT_OK


def _add_images(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = commands.add_parser("images", help="obtain, verify and measure the screenshots")
    actions = group.add_subparsers(dest="images_command", required=True)
    fetch = actions.add_parser("fetch", help="get every screenshot and verify its sha256")
    fetch.set_defaults(func=_images_fetch)
    weight = actions.add_parser("weight", help="image bytes per built page at 1x vs raw PNGs")
    weight.add_argument(
        "--site-dir", type=Path, default=Path("site"), help="the built site (default: site)"
    )
    weight.add_argument("--json", action="store_true", help="print JSON for the benchmark")
    weight.set_defaults(func=_images_weight)
    for action in (fetch, weight):
        action.add_argument("--manifest", type=Path, help=f"default: ROOT/{MANIFEST}")
        action.add_argument(
            "--cache-dir",
            type=Path,
            help=f"where downloads are kept (default: ROOT/{DEFAULT_CACHE})",
        )
        _add_root(action)


def _add_build(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = commands.add_parser("build", help="strict build; replaces site/ only on success")
    command.add_argument(
        "--config-file",
        "-f",
        type=Path,
        help="the MkDocs configuration (default: mkdocs.yml of the nearest directory upward "
        "holding one)",
    )
    command.add_argument(
        "--site-dir", "-d", type=Path, help="where the site goes (default: site/ beside it)"
    )
    command.add_argument(
        "--engine",
        choices=engines.ENGINES,
        default=engines.DEFAULT,
        help="what renders the pages (default: %(default)s; zensical is experimental and needs "
        "the .[zensical] extra)",
    )
    command.set_defaults(func=_build)


def _check(args: argparse.Namespace) -> int:
    results = replay_checks(
        args.root / "checks",
        args.root / "cassettes",
        ids=args.ids,
        api=args.api,
        max_age_days=args.max_age,
    )
    # Built from scrubbed recordings; the credentials set in this shell are removed as well,
    # in case a recording made before they were known still holds one.
    boundary = Scrubber(secretscan.credential_values(args.root / "checks", os.environ).values())
    _say(args, boundary.text(check_views.text_table(results)) + "\n")
    _say(args, f"{check_views.counts(results)} (replayed offline)", level=QUIET)
    if args.json:
        args.json.write_text(boundary.text(check_views.to_json(results)), encoding="utf-8")
    bad = {Status.FAILED, Status.STALE}
    return EXIT_FAILED if any(r.status in bad for r in results) else EXIT_OK


UNREACHED = "no connection"


def _outcome(result: runner.LiveResult) -> str:
    if result.status is None:
        return "skipped"
    return str(result.status) if result.reached else UNREACHED


def _live_line(result: runner.LiveResult) -> str:
    status = _outcome(result)
    saved = " (saved)" if result.saved else " (not saved)" if result.not_saved else ""
    detail = f": {result.reason}" if result.reason else ""
    return f"{status:>13}  {result.check.id}{saved}{detail}"


def _record(args: argparse.Namespace) -> int:
    documents = pinned_documents(args.root)
    chosen = checks.select(checks.load_checks(args.root / "checks", documents), args.ids, args.api)
    _say(args, f"recording {count(len(chosen), 'check')} live ({args.concurrency} at a time)")
    try:
        done = runner.record(
            chosen,
            args.root / "cassettes",
            concurrency=args.concurrency,
            timeout=args.timeout,
            progress=lambda result: _say(args, _live_line(result)),
        )
    except Interrupted as stop:
        kept = (
            "the finished run's cassettes, attempts and history were all saved"
            if stop.finished
            else "nothing was saved; cassettes, attempts and history are as they were"
        )
        print(f"apifit: interrupted ({stop}): {kept}", file=sys.stderr)
        return stop.exit_code
    counts = Counter(map(_outcome, done))
    order = [*map(str, Status), UNREACHED, "skipped"]
    tally = ", ".join(f"{counts[o]} {o}" for o in order if counts[o])
    refused = [r.not_saved for r in done if r.not_saved]
    for line in refused:
        print(f"apifit: {line}", file=sys.stderr)
    saved = count(sum(r.saved for r in done), "cassette")
    unsaved = (
        f", {count(len(refused), 'passing check')} not saved (scrubbing would change the verdict)"
    )
    _say(args, f"\n{tally}; {saved} saved{unsaved if refused else ''}", level=QUIET)
    if counts[UNREACHED]:
        print(
            f"{counts[UNREACHED]} reached no server from this machine (check its network): "
            "not noted in cassettes/attempts.json, so the site shows what it showed before"
        )
    # A check that cannot be recorded honestly is a check file to fix, as when the loader
    # refuses one.
    if refused:
        return EXIT_INPUT
    # A check the user named and did not get recorded is a failure, whatever the reason.
    unrecorded = [r.check.id for r in done if args.ids and _outcome(r) in ("skipped", UNREACHED)]
    if unrecorded:
        print(f"apifit: not recorded although asked for: {', '.join(unrecorded)}", file=sys.stderr)
    failed = any(r.status == Status.FAILED for r in done)
    return EXIT_FAILED if failed or unrecorded else EXIT_OK


def _scan(args: argparse.Namespace) -> int:
    hits = secretscan.scan_project(args.root, args.site_dir)
    for hit in hits:
        print(hit)
    where = "cassettes" + (f" and {args.site_dir}" if args.site_dir else "")
    print(f"secret scan of {where}: {count(len(hits), 'finding')}")
    return EXIT_FAILED if hits else EXIT_OK


def _changes(args: argparse.Namespace) -> int:
    root = args.root
    catalog = load_catalog(root / "assessments")
    log = changes.ChangeLog.load(root, root / "docs", catalog, load_archive(root))
    for problem in log.history.problems:
        print(f"apifit: warning: {problem}", file=sys.stderr)
    shown = changes.to_json(log.changes) if args.json else changes.text(log.changes) + "\n"
    boundary = Scrubber(secretscan.credential_values(root / "checks", os.environ).values())
    print(boundary.text(shown), end="")
    return EXIT_OK


def _add_changes(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = commands.add_parser(
        "changes",
        help="list what changed (terms versions, re-reviews, check status), newest first",
        description="Print every change the site's What changed page and feed show, derived "
        "from archive/pins.yml, the decision records and cassettes/history.jsonl. Unreadable "
        "history lines are named on stderr and ignored. Exit 0.",
    )
    command.add_argument("--json", action="store_true", help="print JSON instead of text")
    command.add_argument(
        "--root", type=Path, default=Path("."), help="project directory (default: .)"
    )
    command.set_defaults(func=_changes)


def _add_checks(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    check = commands.add_parser(
        "check",
        help="replay the checks offline and print a table",
        description="Replay recorded checks with the network blocked. Exit 1 when a check "
        "failed or a recording is older than --max-age; 0 otherwise (not-yet-recorded and "
        "inconclusive checks are listed, not fatal).",
    )
    check.add_argument("--json", type=Path, help="also write a JSON report to this file")
    check.add_argument(
        "--max-age",
        type=float,
        metavar="DAYS",
        help="recordings older than this are stale and fail (default: $APIFIT_MAX_AGE_DAYS or 30)",
    )
    check.set_defaults(func=_check)
    record = commands.add_parser(
        "record",
        help="run the checks live and save passing recordings",
        description="Run checks against the real endpoints, concurrently. A passing run "
        "replaces the check's cassette atomically; any other answer is noted in "
        "cassettes/attempts.json and leaves the last good cassette untouched (an attempt that "
        "reached no server is only reported). Checks whose credential variables are unset are "
        "skipped. Exit 1 when a check failed, or a check named on the command line was not "
        "recorded.",
    )
    record.add_argument(
        "--concurrency",
        type=int,
        default=runner.DEFAULT_CONCURRENCY,
        help=f"checks run at once (default: {runner.DEFAULT_CONCURRENCY})",
    )
    record.add_argument(
        "--timeout",
        type=float,
        default=runner.DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"how long to wait for each answer (default: {runner.DEFAULT_TIMEOUT:g})",
    )
    record.set_defaults(func=_record)
    for command in (check, record):
        command.add_argument("ids", nargs="*", metavar="ID", help="only these checks")
        command.add_argument("--api", help="only this API's checks (e.g. research)")
    scan = commands.add_parser(
        "scan",
        help="scan cassettes (and a built site) for secrets",
        description="Look for secret-shaped values in cassettes/ and, when given, the built "
        "site (`apifit scan site/`). Exit 1 naming file, line and field on any finding.",
    )
    scan.add_argument("site_dir", nargs="?", type=Path, metavar="SITE", help="a built site")
    scan.set_defaults(func=_scan)
    for command in (check, record, scan):
        _add_root(command)


def _archive_update(args: argparse.Namespace) -> int:
    pins, proposals = archive_update.update(args.pins, api=args.api_url, raw=args.raw_url)
    report = archive_update.summary(pins, proposals)
    print(report, end="")
    if args.summary:
        args.summary.parent.mkdir(parents=True, exist_ok=True)
        args.summary.write_text(report, encoding="utf-8")
    if args.github_output:
        with args.github_output.open("a", encoding="utf-8") as out:
            out.write(f"archive_changed={'true' if proposals else 'false'}\n")
    return EXIT_OK


def _add_archive(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = commands.add_parser("archive", help="archived copies of terms documents")
    actions = group.add_subparsers(dest="archive_command", required=True)
    update = actions.add_parser(
        "update",
        help="pin newer archived versions of every pinned document",
        description="Ask the archive's git history for the newest version of each document in "
        "the pins file; a newer one is downloaded, measured (sha256, bytes) and appended to the "
        "pins file for review. Exit 0 whether or not anything was found.",
    )
    update.add_argument(
        "--pins", type=Path, default=PINS_FILE, help=f"the pins file (default: {PINS_FILE})"
    )
    update.add_argument("--summary", type=Path, help="also write the Markdown summary here")
    update.add_argument("--github-output", type=Path, help="append archive_changed=true|false")
    update.add_argument("--api-url", default=archive_update.GITHUB_API, help=argparse.SUPPRESS)
    update.add_argument("--raw-url", default=archive_update.GITHUB_RAW, help=argparse.SUPPRESS)
    update.set_defaults(func=_archive_update)


def _new_api(args: argparse.Namespace) -> int:
    made = scaffold.new_api(args.root, args.name, args.docs_url, args.title)
    for path in (made.assessment, made.checks, made.page):
        print(f"created {path}")
    print("added to the nav in mkdocs.yml; replace every TODO, then `make serve`")
    return EXIT_OK


def _add_new(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    new = commands.add_parser("new", help="scaffold a new assessment")
    kinds = new.add_subparsers(dest="new_command", required=True)
    api = kinds.add_parser(
        "api",
        help="scaffold a platform: assessment, checks, page and nav entry",
        description="Write assessments/NAME.yml, checks/NAME.yml and docs/NAME/index.md with "
        "placeholders that build strictly, and add the page to the nav. Never overwrites.",
    )
    api.add_argument("name", metavar="NAME", help="the platform's slug, e.g. reddit")
    api.add_argument("--docs-url", required=True, help="the platform's developer documentation")
    api.add_argument("--title", help="display name (default: NAME in title case)")
    _add_root(api)
    api.set_defaults(func=_new_api)


def _add_verbosity(parser: argparse.ArgumentParser) -> None:
    """-q and -v on every command, after it as pytest and mkdocs take them."""
    subcommands = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subcommands:
        loudness = parser.add_mutually_exclusive_group()
        loudness.add_argument(
            "-q",
            "--quiet",
            dest="verbosity",
            action="store_const",
            const=QUIET,
            default=NORMAL,
            help="print only errors and the final line",
        )
        loudness.add_argument(
            "-v",
            "--verbose",
            dest="verbosity",
            action="store_const",
            const=VERBOSE,
            help="also print what is done along the way (MkDocs' own log for build)",
        )
    for action in subcommands:
        for child in action.choices.values():
            _add_verbosity(child)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="apifit", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"apifit {version('apifit')}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_images(commands)
    _add_build(commands)
    _add_checks(commands)
    _add_new(commands)
    _add_archive(commands)
    _add_changes(commands)
    _add_verbosity(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        # As git and mkdocs do: bare `apifit` shows what it can do.
        parser.print_help()
        return EXIT_OK
    try:
        _project_paths(args)
        return int(args.func(args))
    except ApifitError as exc:
        for line in str(exc).splitlines():
            print(f"apifit: error: {line}", file=sys.stderr)
        return EXIT_INPUT


if __name__ == "__main__":
    raise SystemExit(main())
