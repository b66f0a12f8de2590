"""`apifit new api NAME`: scaffold the next platform's assessment, ready to build strictly.

Writes `assessments/NAME.yml` (the structured verdict), `checks/NAME.yml` (one check to start
from), the page `docs/NAME/index.md` that renders both, and the page's entry in mkdocs.yml's
nav. Every placeholder passes the schemas and says what to replace, so `apifit build` works from
the first minute and the author fills the files in one by one. A new platform starts without
screenshots: add them to `imgs/manifest.yml` when there are some.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from mkdocs.utils.yaml import yaml_load

from apifit.errors import InputError

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
URL = re.compile(r"^https://\S+$")
_TOP_LEVEL_ITEM = re.compile(r"^  - ")

ASSESSMENT = """\
# {title}'s APIs judged against our product. Schema: apifit.evidence.assessments.Platform.
# Every fact names a source id from `sources`. Replace each TODO, add one entry under `apis`
# per API, and keep the verdict at not-assessed until the facts support fits, does-not-fit or
# out-of-scope (the schema reference is on the site's "How this site works" page).
name: {title}

sources:
  {name}-docs:
    label: {title} developer docs
    title: "{title} for Developers: documentation"
    url: {docs_url}

apis:
  - id: {name}
    name: {title} API
    page: {name}/index.md
    verdict: not-assessed
    reason:
      - text: "TODO: not assessed yet; state why the API does or does not serve our product."
        source: {name}-docs
    audience:
      - text: "TODO: who the API is for."
        source: {name}-docs
    access:
      - text: "TODO: how access is obtained (application, review, contract)."
        source: {name}-docs
    token:
      - text: "TODO: which token the API needs and how it is obtained."
        source: {name}-docs
    approval: []
    limits: []

terms: []
decisions: []
"""

CHECKS = """\
# Executable checks for {title}. Record live: `apifit record --api {name}`; replay offline:
# `apifit check --api {name}`. Credentials appear only as ${{ENV_VAR}} references.
checks:
  - id: {name}-docs-reachable
    api: {name}
    claim: >-
      TODO: {title}'s developer documentation is reachable (replace with a claim that
      the API itself can confirm).
    source: {docs_url}
    request:
      method: GET
      url: {docs_url}
    expect:
      status: [200]
"""

PAGE = """\
---
render_macros: true
---

# {title}

TODO: what {title} offers developers, in our own words, with a citation for every fact
{{{{ cite("{name}-docs") }}}}.

{{{{ verdict_matrix("{name}") }}}}

## {title} API

{{{{ assessment("{name}") }}}}

TODO: the claim that the check below backs. {{{{ check("{name}-docs-reachable") }}}}
"""


@dataclass(frozen=True)
class Scaffold:
    """The files `new api` wrote, relative to the project root."""

    assessment: Path
    checks: Path
    page: Path


def _nav_entry(title: str, page: str) -> list[str]:
    return [f"  - {title}:\n", f"      - Overview: {page}\n"]


def _platform_dirs(root: Path) -> set[str]:
    return {path.stem for path in (root / "assessments").glob("*.yml")}


def add_to_nav(config: Path, title: str, page: str, platforms: set[str]) -> None:
    """Insert a nav section for the page after the last platform's section (or at the end).

    Edited as text, not YAML, so that the comments and layout of mkdocs.yml survive.
    """
    lines = config.read_text(encoding="utf-8").splitlines(keepends=True)
    try:
        start = lines.index("nav:\n") + 1
    except ValueError:
        raise InputError(config, "nav", "not found", fix="add a `nav:` section") from None
    end = start
    while end < len(lines) and (lines[end].startswith(" ") or not lines[end].strip()):
        end += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    items = [i for i in range(start, end) if _TOP_LEVEL_ITEM.match(lines[i])] + [end]
    at = end
    for first, after in itertools.pairwise(items):
        if any(f" {d}/" in line for d in platforms for line in lines[first:after]):
            at = after
    lines[at:at] = _nav_entry(title, page)
    text = "".join(lines)
    if page not in yaml.safe_dump(yaml_load(text).get("nav")):
        raise InputError(config, "nav", "could not add the new page", fix=f"add {page} by hand")
    config.write_text(text, encoding="utf-8")


def new_api(root: Path, name: str, docs_url: str, title: str | None = None) -> Scaffold:
    """Scaffold platform `name` in the project at `root`; never overwrites a file."""
    if not SLUG.match(name):
        raise InputError(
            "(command line)", "NAME", f"'{name}' is not a slug", fix="use a-z, 0-9 and dashes"
        )
    if not URL.match(docs_url):
        raise InputError(
            "(command line)", "--docs-url", f"'{docs_url}' is not an https URL", fix="give one"
        )
    title = title or name.replace("-", " ").title()
    scaffold = Scaffold(
        Path("assessments", f"{name}.yml"),
        Path("checks", f"{name}.yml"),
        Path("docs", name, "index.md"),
    )
    existing = [str(p) for p in (scaffold.assessment, scaffold.checks, scaffold.page)
                if (root / p).exists()]  # fmt: skip
    if existing:
        raise InputError(
            root / existing[0], "(file)", "already exists", fix="choose another NAME or remove it"
        )
    platforms = _platform_dirs(root)
    values = {"name": name, "title": title, "docs_url": docs_url}
    for path, template in (
        (scaffold.assessment, ASSESSMENT),
        (scaffold.checks, CHECKS),
        (scaffold.page, PAGE),
    ):
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(template.format(**values), encoding="utf-8")
    add_to_nav(root / "mkdocs.yml", title, f"{name}/index.md", platforms)
    return scaffold
