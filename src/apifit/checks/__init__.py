"""The checks engine: check files, live runs, recordings, scrubbing, results, the secret scan.

schema      Check files (`checks/*.yml`): the schema, and loading with errors that name file,
            line, field.
runner      Run checks over HTTP: the auth step, the request, and live recording of many checks
            at once.
scrub       Remove secrets from everything apifit writes or prints, before it leaves the
            process.
cassettes   Where evidence lives on disk: one vcrpy cassette per check, plus `attempts.json`.
faults      Why a check could not decide: every inconclusive reason, derived in this one place.
results     Judge an answer against a check, and derive a check's shown result from its
            evidence.
secretscan  Scan recordings and the built site for secret-shaped values before anything is
            published.
statusdiff  Compare two `apifit check --json` reports: what the scheduled re-record changed.
history     `cassettes/history.jsonl`: one line per check per live run, appended, never
            rewritten.
interrupts  Ctrl-C and SIGTERM during a live run: stop cleanly, never halfway through replacing
            files.
pagetext    A page as a reader sees it: visible text, title, and whether it shows a challenge.
"""

__all__ = [
    "cassettes",
    "faults",
    "history",
    "interrupts",
    "pagetext",
    "results",
    "runner",
    "schema",
    "scrub",
    "secretscan",
    "statusdiff",
]
