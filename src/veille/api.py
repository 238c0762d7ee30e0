"""The HTTP API and the web UI, one FastAPI app over the store's one query layer.

JSON lists answer {"ok": true, "items": [...], "total": n}, one thing {"ok": true, "item": {...}},
errors {"ok": false, "error": "...", "status": n}. The store is read through a snapshot copy
(store/reader.py), so an ingest can run beside the server. Safety: a token when off loopback
(Authorization: Bearer, or the cookie the token form sets), compared in constant time; bound
query parameters only; no CORS unless origins are named; bounded requests and pages; a
content security policy that forbids inline scripts.
"""
from __future__ import annotations

import csv
import hmac
import io
import logging
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, HTTPException, Query, Request
from fastapi import Path as PathPart
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from veille import __version__
from veille.errors import StoreError, StoreLockedError, UsageError, VeilleError
from veille.store.reader import Store

log = logging.getLogger("veille.api")

TOKEN_COOKIE = "veille_token"
MAX_QUERY_STRING = 4096  # bytes: far above any real filter set, far below a pasted document
MAX_BODY = 4096  # bytes: only the token form has a body
PAGE_MAX = 100  # items per page of the HTTP API
OFFSET_MAX = 100_000
DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
LANG = r"^([a-z]{2,3}|unknown)$"
OPEN_PATHS = ("/auth", "/static/style.css")  # the token form and its look: nothing from the store
SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}

Limit = Annotated[int, Query(ge=0, le=PAGE_MAX, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=OFFSET_MAX, description="Items to skip.")]
Text = Annotated[str | None, Query(max_length=200)]
Day = Annotated[str | None, Query(pattern=DATE, description="YYYY, YYYY-MM or YYYY-MM-DD, inclusive.")]


def create_app(db: str, *, token: str | None = None, cors_origins: list[str] | None = None) -> FastAPI:
    """Return the app serving one store: JSON under /api, web pages elsewhere."""
    app = FastAPI(title="veille", version=__version__, docs_url=None, redoc_url=None,
                  description="Who did and said what, to whom, where and when: search the store.")
    app.state.store = Store(db, snapshot=True)
    app.state.token = token or None
    app.include_router(router)
    from veille.web.pages import router as pages

    app.include_router(pages)
    _add_static(app)
    _add_errors(app)
    app.middleware("http")(_guard)
    if cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=cors_origins, allow_methods=["GET"],
                           allow_headers=["Authorization"])
    return app


def _add_static(app: FastAPI) -> None:
    """Serve the packaged CSS, scripts and licences (a fixed folder: no path comes from the user)."""
    from pathlib import Path

    from fastapi.staticfiles import StaticFiles

    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "web" / "static"), name="static")


async def _guard(request: Request, call_next):
    """Check size and token before any route runs; add the security headers to every answer."""
    problem = _refusal(request)
    if problem is not None:
        response = _error(*problem)
    else:
        response = await call_next(request)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _refusal(request: Request) -> tuple[int, str] | None:
    """Return (status, reason) when a request is too large or lacks the token, else None."""
    if len(request.url.query.encode()) > MAX_QUERY_STRING:
        return 414, f"query string over {MAX_QUERY_STRING} bytes"
    length = request.headers.get("content-length")
    if length and (not length.isdigit() or int(length) > MAX_BODY):
        return 413, f"request body over {MAX_BODY} bytes"
    token, path = request.app.state.token, request.url.path
    if token is None or path in OPEN_PATHS or _has_token(request, token):
        return None
    if path.startswith("/api") or path == "/openapi.json":
        return 401, "missing or wrong token: send Authorization: Bearer TOKEN"
    return 401, "login"


def _has_token(request: Request, token: str) -> bool:
    """Say whether the request carries the token, in its Authorization header or its cookie."""
    header = request.headers.get("authorization", "")
    given = header[7:] if header.lower().startswith("bearer ") else request.cookies.get(TOKEN_COOKIE, "")
    return hmac.compare_digest(given.encode("utf-8"), token.encode("utf-8"))


def _error(status: int, message: str) -> Response:
    """Return the one error envelope (or, for a page without the token, the token form)."""
    if status == 401 and message == "login":
        from veille.web.pages import login_page

        return login_page(status=401)
    return JSONResponse({"ok": False, "error": message, "status": status}, status_code=status)


def _add_errors(app: FastAPI) -> None:
    """Answer every failure with the error envelope, and never with a traceback."""
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException):
        return _error(error.status_code, str(error.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError):
        first = error.errors()[0] if error.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ())[1:]) or "request"
        return _error(400, f"{where}: {first.get('msg', 'invalid')}")

    @app.exception_handler(VeilleError)
    async def veille_error(request: Request, error: VeilleError):
        status = 400 if isinstance(error, UsageError) else 503 if isinstance(error, (StoreLockedError, StoreError)) else 500
        return _error(status, str(error))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception):
        log.exception("unexpected error on %s", request.url.path)
        return _error(500, "internal error; the server log has the details")


def store_of(request: Request) -> Store:
    """Return the store the app serves."""
    return request.app.state.store


def listing(result: dict[str, Any], limit: int, offset: int) -> dict[str, Any]:
    """Return a list answer: the items, the total and where this page starts."""
    return {"ok": True, **result, "limit": limit, "offset": offset}


def found(item: dict[str, Any] | None, what: str) -> dict[str, Any]:
    """Return a one-thing answer, or raise 404 when there is no such thing."""
    if item is None:
        raise HTTPException(404, f"no such {what}")
    return {"ok": True, "item": item}


router = APIRouter(prefix="/api")


@router.get("/articles", summary="Search articles (BM25 over title and text) with filters")
def search_articles(request: Request, q: Text = None, lang: Annotated[str | None, Query(pattern=LANG)] = None,
                    site: Text = None, date_from: Annotated[Day, Query(alias="from")] = None,
                    date_to: Annotated[Day, Query(alias="to")] = None, entity: Text = None,
                    has_quotes: bool | None = None, limit: Limit = 20, offset: Offset = 0):
    """Return one page of articles matching the words and filters, with snippets and facets."""
    result = store_of(request).search(q, lang=lang, site=site, date_from=date_from, date_to=date_to,
                                      entity=entity, has_quotes=has_quotes, limit=limit, offset=offset)
    return listing(result, limit, offset)


@router.get("/articles/{article_id}", summary="One article with all its annotations")
def get_article(request: Request, article_id: Annotated[str, PathPart(max_length=64)]):
    """Return one article: metadata, text, removed lines, entities, quotes, dates and events."""
    return found(store_of(request).article(article_id), "article")


@router.get("/entities", summary="Search entities by name")
def search_entities(request: Request, q: Text = None,
                    type: Annotated[str | None, Query(pattern=r"^(PER|ORG|LOC|MISC)$")] = None,
                    limit: Limit = 20, offset: Offset = 0):
    """Return the entities whose name contains q, most mentioned first."""
    return listing(store_of(request).entities(q, type=type, limit=limit, offset=offset), limit, offset)


@router.get("/entities/{name_or_id}", summary="One entity across articles")
def get_entity(request: Request, name_or_id: Annotated[str, PathPart(max_length=200)]):
    """Return an entity: variants, roles over time, quotes, events, mentions per day, co-occurring entities."""
    return found(store_of(request).entity(name_or_id), "entity")


@router.get("/quotes", summary="Quotes by speaker, text and date")
def list_quotes(request: Request, speaker: Text = None, q: Text = None,
                date_from: Annotated[Day, Query(alias="from")] = None,
                date_to: Annotated[Day, Query(alias="to")] = None, limit: Limit = 20, offset: Offset = 0):
    """Return quotes, newest articles first."""
    result = store_of(request).quotes(speaker=speaker, q=q, date_from=date_from, date_to=date_to,
                                      limit=limit, offset=offset)
    return listing(result, limit, offset)


EventType = Annotated[str | None, Query(pattern=r"^[A-Za-z_]{1,40}$")]


@router.get("/events", summary="Events by type, actor, target and date, merged across reports")
def list_events(request: Request, type: EventType = None, actor: Text = None, target: Text = None,
                entity: Text = None, date_from: Annotated[Day, Query(alias="from")] = None,
                date_to: Annotated[Day, Query(alias="to")] = None, limit: Limit = 20, offset: Offset = 0):
    """Return events, each with the articles that report it."""
    result = store_of(request).events(type=type, actor=actor, target=target, entity=entity,
                                      date_from=date_from, date_to=date_to, limit=limit, offset=offset)
    return listing(result, limit, offset)


CSV_ROWS = 10_000  # rows in one CSV export: a spreadsheet's worth; the CLI's export has no cap


@router.get("/events.csv", summary="The events table as CSV", response_class=Response)
def export_events(request: Request, type: EventType = None, actor: Text = None, target: Text = None,
                  entity: Text = None, date_from: Annotated[Day, Query(alias="from")] = None,
                  date_to: Annotated[Day, Query(alias="to")] = None):
    """Return the matching events as CSV, one row per merged event."""
    store, rows = store_of(request), []
    for offset in range(0, CSV_ROWS, 500):
        chunk = store.events(type=type, actor=actor, target=target, entity=entity, date_from=date_from,
                             date_to=date_to, limit=500, offset=offset)["items"]
        rows += chunk
        if len(chunk) < 500:
            break
    return Response(events_csv(rows), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="events.csv"'})


# date is the event's own (often none); first_reported, the day of its first report.
CSV_COLUMNS = ("date", "type", "actor", "target", "place", "negated", "hypothetical", "reports", "id", "evidence",
               "article_id", "first_reported", "cameo")


def events_csv(events: list[dict[str, Any]]) -> str:
    """Return events as CSV text; cells that a spreadsheet would run as formulas are quoted with '."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for event in events:
        first = (event.get("sources") or [{}])[0]
        values = {**event, "evidence": first.get("evidence"), "article_id": first.get("article_id")}
        writer.writerow([_cell(values.get(column)) for column in CSV_COLUMNS])
    return out.getvalue()


def _cell(value: Any) -> str:
    """Return a CSV cell, defusing text that a spreadsheet would read as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@router.get("/stories", summary="Stories: one happening across outlets and languages")
def list_stories(request: Request, limit: Limit = 20, offset: Offset = 0):
    """Return the stories, largest first."""
    return listing(store_of(request).stories(limit=limit, offset=offset), limit, offset)


@router.get("/stories/{story_id}", summary="One story with its articles and merged events")
def get_story(request: Request, story_id: Annotated[str, PathPart(max_length=64)]):
    """Return a story's articles and the events they report."""
    return found(store_of(request).story(story_id), "story")


@router.get("/duplicates", summary="Copies of one text: exact, near, and wire copies across outlets")
def list_duplicates(request: Request, kind: Annotated[str | None, Query(
                        pattern="^(exact|near|syndication)$", description="Only groups of this kind.")] = None,
                    limit: Limit = 20, offset: Offset = 0):
    """Return the duplicate groups, most copies first, each with every copy."""
    return listing(store_of(request).duplicates(kind=kind, limit=limit, offset=offset), limit, offset)


@router.get("/stats", summary="Counts of what the store holds, and how current the answers are")
def get_stats(request: Request):
    """Return the store's counts, the search facets and the snapshot's status."""
    store = store_of(request)
    return {"ok": True, "item": {**store.stats(), "facets": store.facets(), "status": store.status()}}
