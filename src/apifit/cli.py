"""The `apifit` command: a thin layer over the package.

Exit codes: 0 ok; 1 a check failed (its claim is contradicted), evidence is stale, or the
secret scan found something; 2 bad input or usage.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from apifit import (
    archive_update,
    build,
    check_views,
    checks,
    engines,
    images,
    runner,
    scaffold,
    secretscan,
)
from apifit.archive import PINS_FILE, pinned_documents
from apifit.errors import ApifitError
from apifit.faults import Status
from apifit.images.obtain import DEFAULT_CACHE
from apifit.pytest_plugin import replay_checks
from apifit.scrub import Scrubber

# Exit codes: 0 ok, 1 a check failed or evidence is stale, 2 bad input or usage.
EXIT_OK, EXIT_FAILED, EXIT_INPUT = 0, 1, 2


def _images_fetch(args: argparse.Namespace) -> int:
    manifest = images.load_manifest(args.manifest)
    source = images.resolve_source(None, Path.cwd())
    found = images.obtain_all(manifest, source=source, cache_dir=args.cache_dir)
    print(f"apifit: {len(found)} screenshots verified by sha256")
    return EXIT_OK


def _images_weight(args: argparse.Namespace) -> int:
    manifest = images.load_manifest(args.manifest)
    source = images.resolve_source(None, Path.cwd())
    originals = images.obtain_all(manifest, source=source, cache_dir=args.cache_dir)
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
    build.build(args.config_file, args.site_dir, args.engine)
    print(f"apifit: built {args.site_dir} with {args.engine}")
    return EXIT_OK


def _add_images(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = commands.add_parser("images", help="obtain, verify and measure the screenshots")
    actions = group.add_subparsers(dest="images_command", required=True)
    fetch = actions.add_parser("fetch", help="get every screenshot and verify its sha256")
    fetch.set_defaults(func=_images_fetch)
    weight = actions.add_parser("weight", help="image bytes per built page at 1x vs raw PNGs")
    weight.add_argument("--site-dir", type=Path, default=Path("site"))
    weight.add_argument("--json", action="store_true", help="print JSON for the benchmark")
    weight.set_defaults(func=_images_weight)
    for action in (fetch, weight):
        action.add_argument("--manifest", type=Path, default=Path("imgs/manifest.yml"))
        action.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE)


def _add_build(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = commands.add_parser("build", help="strict build; replaces site/ only on success")
    command.add_argument("--config-file", "-f", type=Path, default=Path("mkdocs.yml"))
    command.add_argument("--site-dir", "-d", type=Path, default=Path("site"))
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
    print(boundary.text(check_views.text_table(results)))
    print(f"\n{check_views.counts(results)} (replayed offline)")
    if args.json:
        args.json.write_text(boundary.text(check_views.to_json(results)), encoding="utf-8")
    bad = {Status.FAILED, Status.STALE}
    return EXIT_FAILED if any(r.status in bad for r in results) else EXIT_OK


def _outcome(result: runner.LiveResult) -> str:
    return "skipped" if result.status is None else str(result.status)


def _print_live(result: runner.LiveResult) -> None:
    status = _outcome(result)
    saved = " (saved)" if result.saved else ""
    detail = f": {result.reason}" if result.reason else ""
    print(f"{status:>12}  {result.check.id}{saved}{detail}", flush=True)


def _record(args: argparse.Namespace) -> int:
    documents = pinned_documents(args.root)
    chosen = checks.select(checks.load_checks(args.root / "checks", documents), args.ids, args.api)
    print(f"recording {len(chosen)} checks live ({args.concurrency} at a time)", flush=True)
    done = runner.record(
        chosen,
        args.root / "cassettes",
        concurrency=args.concurrency,
        timeout=args.timeout,
        progress=_print_live,
    )
    counts = Counter(map(_outcome, done))
    order = [*map(str, Status), "skipped"]
    tally = ", ".join(f"{counts[o]} {o}" for o in order if counts[o])
    print(f"\n{tally}; {sum(r.saved for r in done)} cassettes saved")
    return EXIT_FAILED if any(r.status == Status.FAILED for r in done) else EXIT_OK


def _scan(args: argparse.Namespace) -> int:
    hits = secretscan.scan_project(args.root, args.site_dir)
    for hit in hits:
        print(hit)
    where = "cassettes" + (f" and {args.site_dir}" if args.site_dir else "")
    print(f"secret scan of {where}: {len(hits)} finding(s)")
    return EXIT_FAILED if hits else EXIT_OK


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
        "replaces the check's cassette atomically; any other outcome is noted in "
        "cassettes/attempts.json and leaves the last good cassette untouched. Checks whose "
        "credential variables are unset are skipped. Exit 1 when a check failed.",
    )
    record.add_argument("--concurrency", type=int, default=runner.DEFAULT_CONCURRENCY)
    record.add_argument("--timeout", type=float, default=runner.DEFAULT_TIMEOUT, metavar="SECONDS")
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
        command.add_argument(
            "--root", type=Path, default=Path("."), help="project directory (default: .)"
        )


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
    update.add_argument("--pins", type=Path, default=PINS_FILE)
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
    api.add_argument("--root", type=Path, default=Path("."), help="project directory (default: .)")
    api.set_defaults(func=_new_api)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="apifit", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    _add_images(commands)
    _add_build(commands)
    _add_checks(commands)
    _add_new(commands)
    _add_archive(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return int(args.func(args))
    except ApifitError as exc:
        print(f"apifit: error: {exc}", file=sys.stderr)
        return EXIT_INPUT


if __name__ == "__main__":
    raise SystemExit(main())
