"""The `apifit` command: a thin layer over the package; exit codes are documented in --help."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from apifit import build, images
from apifit.errors import ApifitError

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
    print(images.format_weights(images.page_weights(args.site_dir, raw)))
    return EXIT_OK


def _build(args: argparse.Namespace) -> int:
    build.build(args.config_file, args.site_dir)
    print(f"apifit: built {args.site_dir}")
    return EXIT_OK


def _add_images(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = commands.add_parser("images", help="obtain, verify and measure the screenshots")
    actions = group.add_subparsers(dest="images_command", required=True)
    fetch = actions.add_parser("fetch", help="get every screenshot and verify its sha256")
    fetch.set_defaults(func=_images_fetch)
    weight = actions.add_parser("weight", help="image bytes per built page at 1x vs raw PNGs")
    weight.add_argument("--site-dir", type=Path, default=Path("site"))
    weight.set_defaults(func=_images_weight)
    for action in (fetch, weight):
        action.add_argument("--manifest", type=Path, default=Path("imgs/manifest.yml"))
        action.add_argument("--cache-dir", type=Path, default=Path(".cache/apifit"))


def _add_build(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = commands.add_parser("build", help="strict build; replaces site/ only on success")
    command.add_argument("--config-file", "-f", type=Path, default=Path("mkdocs.yml"))
    command.add_argument("--site-dir", "-d", type=Path, default=Path("site"))
    command.set_defaults(func=_build)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="apifit", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    _add_images(commands)
    _add_build(commands)
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
