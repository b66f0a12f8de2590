"""Compare two `apifit check --json` reports: what the scheduled re-record changed.

The record workflow runs this between the statuses before and after a live recording, to decide
whether to open a pull request (any status changed) and an issue (a check turned failed).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from apifit.errors import InputError

FAILED = "failed"


@dataclass(frozen=True)
class Change:
    """One check whose status differs between two reports (None: absent from that report)."""

    check_id: str
    before: str | None
    after: str | None


def load_statuses(path: Path) -> dict[str, str]:
    """Read a report (`{"checks": [{"id", "status", ...}]}`) into id -> status."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(
            path, "(file)", "does not exist", fix="run `apifit check --json`"
        ) from None
    except json.JSONDecodeError as exc:
        raise InputError(
            path, "(json)", f"not JSON: {exc.msg}", fix="run `apifit check --json`", line=exc.lineno
        ) from None
    checks = data.get("checks") if isinstance(data, dict) else None
    if not isinstance(checks, list):
        raise InputError(
            path, "checks", "expected a list of checks", fix="use `apifit check --json`"
        )
    statuses: dict[str, str] = {}
    for index, item in enumerate(checks):
        if not isinstance(item, dict) or not {"id", "status"} <= item.keys():
            raise InputError(path, f"checks[{index}]", "expected an object with `id` and `status`")
        statuses[str(item["id"])] = str(item["status"])
    return statuses


def changes(before: dict[str, str], after: dict[str, str]) -> list[Change]:
    """Every check whose status differs, in id order."""
    ids = sorted(before.keys() | after.keys())
    return [Change(i, before.get(i), after.get(i)) for i in ids if before.get(i) != after.get(i)]


def turned_failed(found: Sequence[Change]) -> list[Change]:
    """The changes that make a claim on the site fail."""
    return [change for change in found if change.after == FAILED]


def summary(found: Sequence[Change]) -> str:
    """Markdown for the pull request or issue body."""
    if not found:
        return "No check changed status.\n"
    rows = "".join(
        f"| `{c.check_id}` | {c.before or 'absent'} | {c.after or 'absent'} |\n" for c in found
    )
    return "| check | before | after |\n|---|---|---|\n" + rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m apifit.checks.statusdiff", description=__doc__)
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--summary", type=Path, help="write the Markdown summary here")
    parser.add_argument("--turned-failed", type=Path, help="write the checks that turned failed")
    parser.add_argument("--github-output", type=Path, help="append `changed`, `turned_failed`")
    args = parser.parse_args(argv)
    found = changes(load_statuses(args.before), load_statuses(args.after))
    failed = turned_failed(found)
    text = summary(found)
    print(text, end="")
    if args.summary:
        args.summary.write_text(text, encoding="utf-8")
    if args.turned_failed:
        hint = "\nEach claim is on the site's Checks page; `apifit check ID` shows the evidence.\n"
        args.turned_failed.write_text(summary(failed) + hint, encoding="utf-8")
    if args.github_output:
        with args.github_output.open("a", encoding="utf-8") as out:
            out.write(f"changed={str(bool(found)).lower()}\n")
            out.write(f"turned_failed={str(bool(failed)).lower()}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
