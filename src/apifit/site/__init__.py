"""The site: the build's stages and pipeline, the engines (MkDocs, Zensical), the MkDocs plugin,
and the views and macros the pages render.

stages            The build's stages as plain functions, run in this order by every engine's
                  adapter.
pipeline          `apifit build`: the stages in order around an engine; `site/` is replaced only
                  at the end.
validate          Validate every data file a site renders, before any page does.
engines           The site engines apifit renders with, and which of them is rendering a page.
mkdocs_engine     The MkDocs engine: renders a prepared build in this process, with the apifit
                  plugin driven.
mkdocs_plugin     The `apifit` MkDocs plugin: a thin adapter that runs apifit's stages from
                  MkDocs' events.
zensical_engine   The Zensical engine (experimental): `zensical.build()` renders a prepared
                  build.
macros            The page macros, for any engine: what they need of the engine rendering the
                  page comes through one small interface (MacroContext) that each engine's
                  adapter fills.
assessment_views  Markdown for the assessment macros: verdict matrix, API cards, terms clauses,
                  decision records.
check_views       How check results read: Markdown for the page macros, a text table and JSON
                  for the CLI.
terms_views       Markdown for the terms macros: a quoted clause with its history, derived from
                  archived copies.
performance       Benchmark results: the schema of `bench/results/bench.json` and its Markdown
                  rendering.
changes_views     Markdown for the change macros: the What changed page, a record's moved
                  premises, and each check's history on the Checks page.
timeline_views    How a check's timeline reads on its entry: since when, the last results, first
                  and last.
feed              The Atom feed of the changes, built with feedgen (a kept library, so the XML
                  is escaped, namespaced and ordered as Atom 1.0 says, which string templates
                  get wrong in corner cases).
macro_errors      A macro's mistake as one line naming page, line, call and fix, never a
                  traceback.
citations         Citations as numbered references: a footnote next to the statement, the source
                  at the page's end.
unrendered        Macro syntax left in a page after the macros ran: the page was not rendered,
                  so a reader would see `{{ check("id") }}` as text (pages render only with
                  `render_macros: true`).
build_summary     The line `apifit build` ends with: what the published site holds, and how long
                  it took.
wording           Counts as a reader says them: "1 check", "2 checks".
"""

__all__ = [
    "assessment_views",
    "build_summary",
    "changes_views",
    "check_views",
    "citations",
    "engines",
    "feed",
    "macro_errors",
    "macros",
    "mkdocs_engine",
    "mkdocs_plugin",
    "performance",
    "pipeline",
    "stages",
    "terms_views",
    "timeline_views",
    "unrendered",
    "validate",
    "wording",
    "zensical_engine",
]
