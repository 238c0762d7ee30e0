"""The web pages: search, article, entity, stories, events, and the token form.

Every page is rendered on the server by Jinja with autoescaping on, from the same query
layer as the JSON API; text, titles and names are never put into a page unescaped. The UI
speaks French or English: `?ui=fr|en`, remembered in a cookie, else the browser's language.
"""
from __future__ import annotations

import hmac
import tomllib
from functools import cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from veille.web.charts import network_svg, timeline_svg
from veille.web.render import article_marks, entity_href, marked_paragraphs

HERE = Path(__file__).parent
UI_LANGUAGES = ("en", "fr")
UI_COOKIE = "veille_ui"
PAGE_SIZE = 20
DATE = r"^(\d{4}(-\d{2}(-\d{2})?)?)?$"  # or empty: a form sends empty fields

router = APIRouter(include_in_schema=False)
Text = Annotated[str | None, Query(max_length=200)]
Day = Annotated[str | None, Query(pattern=DATE)]


@cache
def environment() -> Environment:
    """Return the Jinja environment of the templates, escaping everything by default."""
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True))
    env.globals["entity_href"] = entity_href
    return env


@cache
def ui_text(language: str) -> dict[str, str]:
    """Return the UI strings of a language from web/i18n/<language>.toml."""
    return tomllib.loads((HERE / "i18n" / f"{language}.toml").read_text(encoding="utf-8"))


def ui_language(request: Request) -> str:
    """Return the UI language: ?ui=, then the cookie, then the browser's first known language."""
    for choice in (request.query_params.get("ui"), request.cookies.get(UI_COOKIE)):
        if choice in UI_LANGUAGES:
            return choice
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip()[:2].lower()
        if code in UI_LANGUAGES:
            return code
    return "en"


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render a page in the request's UI language."""
    language = ui_language(request)
    others = {k: v for k, v in request.query_params.items() if k != "ui"}
    switch = f"{request.url.path}?{urlencode({**others, 'ui': ui_text(language)['other_lang']})}"
    store = request.app.state.store
    html = environment().get_template(template).render(
        t=ui_text(language), switch_href=switch, notice=store.notice, **context)
    response = HTMLResponse(html, status_code=status)
    if request.query_params.get("ui") in UI_LANGUAGES:
        response.set_cookie(UI_COOKIE, language, max_age=365 * 86400, samesite="lax")
    return response


def page_links(request: Request, total: int, offset: int, limit: int) -> dict[str, str | None]:
    """Return the previous and next page links of a list, keeping its filters."""
    params = dict(request.query_params)

    def link(start: int) -> str:
        return f"{request.url.path}?{urlencode({**params, 'offset': start})}"
    return {"previous": link(max(0, offset - limit)) if offset > 0 else None,
            "next": link(offset + limit) if offset + limit < total else None}


def _blank(value: str | None) -> str | None:
    """Return None for an empty form field."""
    return value.strip() if value and value.strip() else None


@router.get("/", response_class=HTMLResponse)
def search_page(request: Request, q: Text = None, lang: Text = None, site: Text = None,
                date_from: Annotated[Day, Query(alias="from")] = None,
                date_to: Annotated[Day, Query(alias="to")] = None, entity: Text = None,
                quotes: Annotated[str | None, Query(pattern=r"^(|yes|no)$")] = None,
                offset: Annotated[int, Query(ge=0, le=100_000)] = 0):
    """Show the search form, its facets and one page of results."""
    store = request.app.state.store
    has_quotes = {"yes": True, "no": False}.get(quotes or "")
    result = store.search(_blank(q), lang=_blank(lang), site=_blank(site), date_from=_blank(date_from),
                          date_to=_blank(date_to), entity=_blank(entity), has_quotes=has_quotes,
                          limit=PAGE_SIZE, offset=offset)
    form = {"q": q or "", "lang": lang or "", "site": site or "", "from": date_from or "", "to": date_to or "",
            "entity": entity or "", "quotes": quotes or ""}
    return render(request, "search.html", result=result, form=form, all_facets=store.facets(),
                  pages=page_links(request, result["total"], offset, PAGE_SIZE))


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str):
    """Show one article with its annotations marked in the text."""
    article = request.app.state.store.article(article_id[:64])
    if article is None:
        return render(request, "missing.html", status=404)
    paragraphs = marked_paragraphs(article["text"] or "", article_marks(article))
    return render(request, "article.html", article=article, paragraphs=paragraphs)


@router.get("/entities/{name_or_id}", response_class=HTMLResponse)
def entity_page(request: Request, name_or_id: str):
    """Show one entity: roles, names, quotes, events, a timeline and its network."""
    found = request.app.state.store.entity(name_or_id[:200])
    if found is None:
        return render(request, "missing.html", status=404)
    t = ui_text(ui_language(request))
    return render(request, "entity.html", entity=found,
                  timeline=timeline_svg(found["timeline"], t["timeline_label"]),
                  network=network_svg(found["name"], found["cooccurring"], t["network_label"]))


@router.get("/stories", response_class=HTMLResponse)
def stories_page(request: Request, offset: Annotated[int, Query(ge=0, le=100_000)] = 0):
    """List the stories, largest first."""
    result = request.app.state.store.stories(limit=PAGE_SIZE, offset=offset)
    return render(request, "stories.html", result=result, pages=page_links(request, result["total"], offset, PAGE_SIZE))


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: str):
    """Show one story: its articles across outlets and languages, and the events they report."""
    found = request.app.state.store.story(story_id[:64])
    if found is None:
        return render(request, "missing.html", status=404)
    return render(request, "story.html", story=found)


@router.get("/events", response_class=HTMLResponse)
def events_page(request: Request, type: Annotated[str | None, Query(pattern=r"^[A-Za-z_]{0,40}$")] = None,
                actor: Text = None, target: Text = None, date_from: Annotated[Day, Query(alias="from")] = None,
                date_to: Annotated[Day, Query(alias="to")] = None,
                offset: Annotated[int, Query(ge=0, le=100_000)] = 0):
    """Show the events table with its filters and a CSV link for the same filters."""
    filters = {"type": _blank(type), "actor": _blank(actor), "target": _blank(target),
               "date_from": _blank(date_from), "date_to": _blank(date_to)}
    store = request.app.state.store
    result = store.events(**filters, limit=PAGE_SIZE, offset=offset)
    query = {key: value for key, value in request.query_params.items() if key not in ("offset", "ui") and value}
    return render(request, "events.html", result=result, form={k: v or "" for k, v in filters.items()},
                  types=store.facets()["event_types"], csv_href="/api/events.csv?" + urlencode(query),
                  pages=page_links(request, result["total"], offset, PAGE_SIZE))


def login_page(status: int = 401) -> Response:
    """Return the token form (for a page asked for without the token)."""
    html = environment().get_template("login.html").render(t=ui_text("en"), t_fr=ui_text("fr"))
    return HTMLResponse(html, status_code=status)


@router.get("/auth", response_class=HTMLResponse)
def auth_form(request: Request):
    """Show the token form."""
    return login_page(status=200)


@router.post("/auth")
async def auth(request: Request):
    """Check a token typed into the form; when right, keep it in a cookie for this site only."""
    token = request.app.state.token
    form = parse_qs((await request.body()).decode("utf-8", "replace"))
    given = (form.get("token") or [""])[0]
    if token is None or not hmac.compare_digest(given.encode("utf-8"), token.encode("utf-8")):
        return login_page(status=401)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie("veille_token", token, httponly=True, samesite="strict")
    return response
