"""The `apifit` command: a thin layer over the package; exit codes are documented in --help."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from apifit.errors import ApifitError

# Exit codes: 0 ok, 1 a check failed or evidence is stale, 2 bad input or usage.
EXIT_OK, EXIT_FAILED, EXIT_INPUT = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="apifit", description=__doc__)
    parser.add_subparsers(dest="command", required=True)
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
