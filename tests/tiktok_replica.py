"""A loopback replica of TikTok's 2026 answers, built from ../shared/evidence, and a copy of the
project whose checks point at it.

One server on 127.0.0.1 stands for every TikTok host: a check URL `https://<host>/<path>` becomes
`http://127.0.0.1:<port>/<host>/<path>`. Answers follow `api-answers.md` (status codes, bodies,
headers), the Research pages quote `research-pages.md`, and the terms pages are the archived
Markdown rendered to HTML, wrapped in the kind of page tiktok.com serves: large scripts that name
"captcha" many times, entities and typographic quotes. Nothing here claims to come from TikTok.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import markdown
from checkserver import CANARY_KEY, CANARY_SECRET, CANARY_TOKEN
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

ROOT = Path(__file__).resolve().parents[1]
EVIDENCE = ROOT.parent / "shared" / "evidence"
TERMS = EVIDENCE / "terms"
LOG_ID = "20261127101500A1B2C3D4E5F6A7B8C9D0E1"
# What TikTok's token endpoint sends besides the body (api-answers.md).
TRACE_HEADERS = {
    "x-tt-logid": LOG_ID,
    "server-timing": "inner; dur=12",
    "x-tt-trace-host": "replica",
    "x-tt-trace-id": "00-replica-01",
    "x-tt-trace-tag": "id=00;cdn-cache=miss",
    "x-origin-response-time": "12,127.0.0.1",
}
HOSTS = ("open.tiktokapis.com", "developers.tiktok.com", "www.tiktok.com", "ads.tiktok.com")
TOS_PATH = "/www.tiktok.com/legal/page/us/terms-of-service/en"
FAQ_PATH = "/developers.tiktok.com/docs/en/research-api-faq"
# tiktok.com pages name the captcha in their scripts with no challenge shown (api-answers.md).
_SCRIPT = (
    "<script>window.__CAPTCHA_CONFIG__={captchaHost:'https://verify.example',"
    "captchaType:'slide'};function loadCaptcha(){return 'captcha';}</script>"
)


@dataclass
class Replica:
    """Which wording the replica serves; tests change it between recordings."""

    tos_file: str = "tos-us-2026-07-15.md"
    faq_by_script: bool = False


def _quotes(section: str) -> list[str]:
    """The quoted sentences of one `## ` section of research-pages.md, joined across lines."""
    text = (EVIDENCE / "research-pages.md").read_text(encoding="utf-8")
    body = text.split(f"## {section}", 1)[1].split("\n## ", 1)[0]
    return re.findall(r'"([^"]+)"', " ".join(body.split()))


def _page(title: str, body: str) -> str:
    scripts = _SCRIPT * 25
    return (
        f"<!doctype html><html><head><title>{html.escape(title)}</title>{scripts}</head>"
        f"<body><nav>TikTok</nav><main>{body}</main>{scripts}</body></html>"
    )


def _typographic_entities(page: str) -> str:
    # As served HTML often has them: entities where the archive has the characters.
    return (
        page.replace("\u2019", "&rsquo;").replace("\u201c", "&ldquo;").replace("\u201d", "&#8221;")
    )


def terms_page(file: str) -> str:
    """An archived terms version as tiktok.com would serve it."""
    text = (TERMS / file).read_text(encoding="utf-8")
    return _page("Terms | TikTok", _typographic_entities(markdown.markdown(text)))


def _product_page() -> str:
    items = "".join(f"<li>{html.escape(q)}</li>" for q in _quotes("Product page"))
    filler = "<p>Research Tools give qualified researchers access to public data.</p>" * 20
    return _page(
        "Research API | TikTok for Developers", f"<h1>Research API</h1><ul>{items}</ul>{filler}"
    )


def _faq_text() -> tuple[str, str]:
    quote = next(q for q in _quotes("FAQ") if q.startswith("I am a creator"))
    question, answer = quote.rsplit("? ", 1)
    return f"{question}?", answer


def _faq_page(by_script: bool) -> str:
    question, answer = _faq_text()
    if by_script:
        # Only a browser running the script would show the answer.
        data = json.dumps({"q": question, "a": answer})
        script = (
            f"<script>const d={data};document.getElementById('root').innerText=d.q+' '+d.a</script>"
        )
        body = f"<div id='root'></div>{script}"
        return f"<!doctype html><html><head><title>FAQ</title></head><body>{body}</body></html>"
    items = "".join(f"<li>{html.escape(q)}</li>" for q in _quotes("FAQ")[:6])
    answered = f"<h3>{html.escape(question)}</h3><p>{answer}</p>"
    body = f"<h1>Research Tools FAQ</h1><ul>{items}</ul>{answered}"
    return _page("Research API FAQ | TikTok for Developers", body)


def _json(data: Any, status: int = 200, **headers: str) -> Response:
    return Response(
        json.dumps(data), status=status, headers=headers, content_type="application/json"
    )


def _html(page: str) -> Response:
    return Response(page, content_type="text/html; charset=utf-8")


def _token(request: Request) -> Response:
    if request.mimetype != "application/x-www-form-urlencoded":
        error = "Only `application/x-www-form-urlencoded` is accepted as Content-Type."
        return _json(
            {"error": "invalid_request", "error_description": error, "log_id": LOG_ID},
            **TRACE_HEADERS,
        )
    if (
        request.form.get("client_key") == CANARY_KEY
        and request.form.get("client_secret") == CANARY_SECRET
    ):
        body = {"access_token": CANARY_TOKEN, "expires_in": 7200, "token_type": "Bearer"}
        return _json(body, **TRACE_HEADERS)
    # HTTP 200, not 4xx, for a wrong client, and no log_id in the body (api-answers.md).
    error = {"error": "invalid_client", "error_description": "Client key or secret is incorrect."}
    return _json(error, **TRACE_HEADERS)


def _api_v2(request: Request) -> Response:
    if request.headers.get("Authorization", "").lower() != f"bearer {CANARY_TOKEN}":
        message = "The access token is invalid or not found in the request."
        return _json(
            {
                "data": {},
                "error": {"code": "access_token_invalid", "message": message, "log_id": LOG_ID},
            },
            401,
        )
    message = "The user did not authorize the scope required for completing this request."
    return _json(
        {"error": {"code": "scope_not_authorized", "message": message, "log_id": LOG_ID}}, 401
    )


def serve_replica(server: HTTPServer, replica: Replica) -> None:
    """Answer every request the shipped checks send, as TikTok did in 2026."""

    def handle(request: Request) -> Response:
        path = request.path
        if path == "/open.tiktokapis.com/v2/oauth/token/" and request.method == "POST":
            return _token(request)
        if path in (
            "/open.tiktokapis.com/v2/research/video/query/",
            "/open.tiktokapis.com/v2/user/info/",
        ):
            return _api_v2(request)
        if path.startswith("/developers.tiktok.com/doc/"):
            slug = path.rsplit("/doc/", 1)[1]
            return Response(
                "", status=301, headers={"Location": f"/developers.tiktok.com/docs/en/{slug}"}
            )
        pages = {
            "/developers.tiktok.com/products/research-api/": lambda: _product_page(),
            FAQ_PATH: lambda: _faq_page(replica.faq_by_script),
            TOS_PATH: lambda: terms_page(replica.tos_file),
            "/ads.tiktok.com/i18n/official/policy/commercial-terms-of-service": lambda: terms_page(
                "commercial-terms-2026-01.md"
            ),
            "/www.tiktok.com/legal/page/global/tik-tok-developer-terms-of-service/en": lambda: (
                terms_page("developer-terms-2025-12-26.md")
            ),
        }
        if path in pages:
            return _html(pages[path]())
        return Response("not in the replica", status=404)

    server.expect_request(re.compile(".*")).respond_with_handler(handle)


def copy_project(dest: Path, base: str = "") -> Path:
    """A copy of the real project (no recordings); with `base`, its checks point at the replica."""
    for name in ("docs", "overrides", "assessments", "checks", "cassettes", "imgs", "archive"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("*.png", "*.yaml"))
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    if base:
        checks = dest / "checks" / "tiktok.yml"
        text = checks.read_text(encoding="utf-8")
        for host in HOSTS:
            text = text.replace(f"https://{host}/", f"{base}/{host}/")
        checks.write_text(text, encoding="utf-8")
    return dest
