"""Build the sample pages under data/samples/ from data/sample-sources/articles/*.toml.

Run with the project's interpreter from the repository root or from here:

    .venv/bin/python data/sample-sources/build.py

Every article file names its site, its text and the outputs it goes to:
``html`` (one page under html/<site>/), ``html.gz`` (same, gzip-compressed),
``dump`` (a block-per-line text dump under dumps/<site>/), ``warc`` (a response
record in crawl.warc.gz), ``jsonl-html`` / ``jsonl-text`` (a line of feed.jsonl).
The pages are rendered from per-site templates (navigation, share buttons,
newsletter box, related articles, comments, footer) so that each site carries
its own boilerplate; dumps are rendered from the same HTML. The output is
deterministic: fixed WARC dates and record ids, sorted order, gzip mtime 0.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import html
import io
import json
import tomllib
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

SOURCES = Path(__file__).resolve().parent
ARTICLES = SOURCES / "articles"
HERE = SOURCES.parent / "samples"  # the generated pages, and nothing else: `make demo` ingests the folder
OUTPUTS = {"html", "html.gz", "dump", "warc", "jsonl-html", "jsonl-text"}

MOIS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
        "septembre", "octobre", "novembre", "décembre"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
MONTHS_ABBR = [m[:3] for m in MONTHS]
DAYS_ABBR = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


# --------------------------------------------------------------------------- articles

@dataclass
class Article:
    """One sample page as described by its TOML file (copies already resolved)."""

    key: str
    site: str
    url: str
    lang: str
    kind: str = "article"
    section: str = ""
    rubric: str = ""
    title: str = ""
    standfirst: str = ""
    byline: str = ""
    credit_line: str = ""
    caption: str = ""
    published: str = ""
    updated: str = ""
    encoding: str = "utf-8"
    outputs: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)

    @property
    def published_at(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.published)


def load_articles() -> list[Article]:
    """Read every articles/*.toml, resolving ``copy_of`` against its source."""
    raw = {p.stem: tomllib.loads(p.read_text("utf-8")) for p in sorted(ARTICLES.glob("*.toml"))}
    articles = [make_article(key, raw) for key in sorted(raw)]
    for article in articles:
        unknown = set(article.outputs) - OUTPUTS
        if unknown:
            raise SystemExit(f"{article.key}: unknown outputs {sorted(unknown)}")
    return articles


def make_article(key: str, raw: dict) -> Article:
    """Build one Article; a wire copy takes its paragraphs from ``copy_of``."""
    data = dict(raw[key])
    source = data.pop("copy_of", None)
    keep = data.pop("keep_paragraphs", None)
    prepend = data.pop("prepend", [])
    if source:
        base = raw[source]
        paragraphs = list(base["paragraphs"])[:keep]
        data["paragraphs"] = list(prepend) + paragraphs
        for name in ("title", "standfirst", "credit_line", "byline"):
            data.setdefault(name, base.get(name, ""))
    return Article(key=key, **data)


# --------------------------------------------------------------------------- formatting helpers

def esc(text: str) -> str:
    """Escape for text and double-quoted attributes; apostrophes stay as typed."""
    return html.escape(text, quote=False).replace('"', "&quot;")


def teaser(text: str, limit: int) -> str:
    """Cut a paragraph at a word boundary before ``limit`` characters, as sites do."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "..."


def date_fr(d: dt.datetime, sep: str = "h") -> str:
    return f"{d.day} {MOIS[d.month - 1]} {d.year} à {d.hour}{sep}{d.minute:02d}"


def date_en_ca(d: dt.datetime) -> str:
    hour = d.hour % 12 or 12
    half = "a.m." if d.hour < 12 else "p.m."
    return f"{MONTHS[d.month - 1]} {d.day}, {d.year}, {hour}:{d.minute:02d} {half}"


def date_en_uk(d: dt.datetime) -> str:
    return (f"{DAYS_ABBR[d.weekday()]} {d.day} {MONTHS_ABBR[d.month - 1]} {d.year} "
            f"{d.hour:02d}.{d.minute:02d} GMT")


def comment_count(article: Article) -> int:
    """A stable, small comment count per page (half of them have none)."""
    n = int(hashlib.sha1(article.key.encode()).hexdigest(), 16) % 24
    return 0 if n % 2 else n


def links(items: list[tuple[str, str]], cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    lis = "".join(f'<li><a href="{esc(href)}">{esc(text)}</a></li>' for text, href in items)
    return f"<ul{attr}>{lis}</ul>"


# --------------------------------------------------------------------------- sites

class Site:
    """Templates shared by all sites; each subclass holds one site's wording."""

    key = ""
    name = ""
    home = ""
    lang = "fr"

    def page(self, article: Article, related: list[Article]) -> str:
        body = self.not_found(related) if article.kind == "not_found" else self.article(article, related)
        return (f'<!DOCTYPE html>\n<html lang="{article.lang}">\n<head>\n{self.head(article)}\n</head>\n'
                f'<body class="{self.key}">\n{self.header(article)}\n<main>\n{body}\n</main>\n'
                f"{self.footer(article)}\n</body>\n</html>\n")

    def head(self, a: Article) -> str:
        title = a.title if a.kind == "article" else self.not_found_title(a)
        meta = [f'<meta charset="{a.encoding}">',
                '<meta name="viewport" content="width=device-width, initial-scale=1">',
                f"<title>{esc(title)} - {esc(self.name)}</title>",
                f'<link rel="canonical" href="{esc(a.url)}">',
                f'<meta property="og:site_name" content="{esc(self.name)}">',
                f'<meta property="og:url" content="{esc(a.url)}">',
                f'<meta property="og:title" content="{esc(title)}">']
        if a.kind == "article":
            meta += [f'<meta property="og:type" content="article">',
                     f'<meta name="description" content="{esc(teaser(a.standfirst or a.paragraphs[0], 160))}">',
                     f'<meta property="article:published_time" content="{a.published}">',
                     f'<meta property="article:section" content="{esc(a.section)}">']
            if a.updated:
                meta.append(f'<meta property="article:modified_time" content="{a.updated}">')
            if a.byline:
                meta.append(f'<meta name="author" content="{esc(self.author(a))}">')
        else:
            meta.append('<meta name="robots" content="noindex, follow">')
        meta.append(f'<link rel="stylesheet" href="{self.home}/static/css/main.css">')
        meta.append('<script>window.dataLayer = window.dataLayer || [];</script>')
        return "\n".join(meta)

    def author(self, a: Article) -> str:
        for prefix in ("Par ", "By "):
            if a.byline.startswith(prefix):
                return a.byline[len(prefix):]
        return a.byline

    def article(self, a: Article, related: list[Article]) -> str:
        parts = [self.breadcrumb(a), '<article class="article">', f"<h1>{esc(a.title)}</h1>"]
        if a.standfirst:
            parts.append(f'<p class="standfirst">{esc(a.standfirst)}</p>')
        parts.append(self.meta_block(a))
        parts.append(self.share(a))
        if a.caption:
            parts.append(f'<figure><img src="{self.home}/img/{a.key}.jpg" alt="">'
                         f"<figcaption>{esc(a.caption)}</figcaption></figure>")
        parts.append('<div class="article-body">')
        parts += [f"<p>{esc(p)}</p>" for p in a.paragraphs]
        if a.credit_line:
            parts.append(f'<p class="credit">{esc(a.credit_line)}</p>')
        parts.append("</div>")
        parts.append(self.after_body(a))
        parts.append("</article>")
        parts += [self.newsletter(a), self.related(a, related), self.comments(a)]
        return "\n".join(p for p in parts if p)

    def meta_block(self, a: Article) -> str:
        lines = []
        if a.byline:
            lines.append(f'<p class="byline">{esc(a.byline)}</p>')
        lines.append(f'<p class="dateline"><time datetime="{a.published}">{esc(self.published_text(a))}</time></p>')
        if a.updated:
            lines.append(f'<p class="dateline">{esc(self.updated_text(a))}</p>')
        return "\n".join(lines)

    def updated_text(self, a: Article) -> str:
        return ""

    def after_body(self, a: Article) -> str:
        return ""

    def url(self, path: str) -> str:
        return self.home + path


class Vigie(Site):
    key, name, home, lang = "levigie-du-matin", "La Vigie du Matin", "https://www.levigie-du-matin.example", "fr"
    sections = [("À la une", "/"), ("Monde", "/monde/"), ("France", "/france/"), ("Économie", "/economie/"),
                ("Culture", "/culture/"), ("Sport", "/sport/"), ("Idées", "/idees/")]

    def header(self, a):
        return ('<header class="site-header">\n'
                '<div class="topbar"><a class="skip" href="#contenu">Aller au contenu</a></div>\n'
                f'<div class="brand"><a href="{self.home}/">La Vigie du Matin</a></div>\n'
                '<form class="search" action="/recherche"><input type="search" name="q" placeholder="Rechercher">'
                '<button type="submit">Rechercher</button></form>\n'
                '<div class="account"><a href="/connexion">Se connecter</a> <a class="cta" href="/abonnement">S\'abonner</a></div>\n'
                f'<nav class="main-nav">{links([(t, self.url(h)) for t, h in self.sections])}</nav>\n'
                "</header>")

    def breadcrumb(self, a):
        crumbs = [("Accueil", self.url("/")), (a.section, self.url("/" + a.url.split("/")[3] + "/"))]
        if a.rubric:
            crumbs.append((a.rubric, a.url.rsplit("/", 1)[0] + "/"))
        trail = " › ".join(f'<a href="{esc(h)}">{esc(t)}</a>' for t, h in crumbs)
        return f'<nav class="breadcrumb">{trail}</nav>'

    def published_text(self, a):
        return "Publié le " + date_fr(a.published_at)

    def updated_text(self, a):
        return "Mis à jour le " + date_fr(dt.datetime.fromisoformat(a.updated))

    def share(self, a):
        return ('<div class="share"><button>Partager sur Facebook</button><button>Partager sur X</button>'
                '<button>Envoyer par e-mail</button><button>Copier le lien</button></div>')

    def after_body(self, a):
        return ('<div class="sticky-teaser"><p class="sticky-title">Lire aussi dans ce dossier</p>'
                f"<p>{esc(teaser(a.paragraphs[0], 150))}</p></div>")

    def newsletter(self, a):
        return ('<aside class="newsletter"><h2>La Matinale de la Vigie</h2>'
                "<p>Chaque matin à 7 heures, l'essentiel de l'actualité dans votre boîte mail.</p>"
                '<form><input type="email" placeholder="Votre adresse e-mail"><button>Je m\'inscris</button></form></aside>')

    def related(self, a, related):
        if not related:
            return ""
        return f'<aside class="related"><h2>À lire aussi</h2>{links([(r.title, r.url) for r in related])}</aside>'

    def comments(self, a):
        n = comment_count(a)
        return (f'<section class="comments"><h2>Commentaires ({n})</h2>'
                "<p>Réagir à cet article</p><p>Cet espace est réservé aux abonnés.</p>"
                '<button>Se connecter pour commenter</button></section>')

    def footer(self, a):
        return ('<footer class="site-footer">'
                f'{links([("Qui sommes-nous ?", "/qui-sommes-nous"), ("Mentions légales", "/mentions-legales"), ("Politique de confidentialité", "/confidentialite"), ("Gérer les cookies", "#cookies"), ("Contact", "/contact")])}'
                "<p>© 2026 La Vigie du Matin - Tous droits réservés</p>"
                '<p><a href="#top">Retour en haut</a></p></footer>')

class Courrier(Site):
    key, name, home, lang = "courrier-estuaire", "Le Courrier de l'Estuaire", "https://www.courrier-estuaire.example", "fr"
    sections = [("Actu", "/actu/"), ("Nantes", "/nantes/"), ("Saint-Nazaire", "/saint-nazaire/"),
                ("France-Monde", "/france-monde/"), ("Économie", "/economie/"), ("Sports", "/sports/"),
                ("Loisirs", "/loisirs/"), ("Avis de décès", "/deces/")]

    def header(self, a):
        return ('<header>\n'
                '<div class="bandeau"><p>Le Courrier de l\'Estuaire</p><p>Édition Nantes - Saint-Nazaire</p></div>\n'
                '<div class="outils"><button>Menu</button><button>Recherche</button>'
                '<a href="/mon-compte">Mon compte</a><a class="abo" href="/offres">Je m\'abonne - 1 € le premier mois</a></div>\n'
                f'<nav>{links([(t, self.url(h)) for t, h in self.sections], "rubriques")}</nav>\n'
                '<div class="flash"><p>Info trafic : consultez l\'état du pont de Saint-Nazaire en direct</p></div>\n'
                "</header>")

    def breadcrumb(self, a):
        label = " / ".join(x for x in (a.section, a.rubric) if x)
        return f'<p class="fil-ariane">{esc(label)}</p>'

    def published_text(self, a):
        d = a.published_at
        return f"Publié le {d.day:02d}/{d.month:02d}/{d.year} à {d.hour:02d}:{d.minute:02d}"

    def updated_text(self, a):
        d = dt.datetime.fromisoformat(a.updated)
        return f"Modifié le {d.day:02d}/{d.month:02d}/{d.year} à {d.hour:02d}:{d.minute:02d}"

    def share(self, a):
        return ('<div class="partage"><button>Partager</button><button>Facebook</button><button>WhatsApp</button>'
                '<button>Imprimer</button></div>')

    def newsletter(self, a):
        return ('<div class="encart-newsletter"><h3>Newsletter : l\'essentiel de l\'Estuaire</h3>'
                "<p>Recevez chaque soir les informations de votre commune.</p>"
                '<form><input type="email" placeholder="Adresse e-mail"><button>Valider</button></form></div>')

    def related(self, a, related):
        if not related:
            return ""
        items = "".join(f'<li><a href="{esc(r.url)}">{esc(r.title)}</a></li>' for r in related)
        return f'<div class="meme-rubrique"><h3>Dans la même rubrique</h3><ul>{items}</ul></div>'

    def comments(self, a):
        n = comment_count(a)
        return (f'<div class="reactions"><h3>Commentaires ({n})</h3>'
                "<p>Les commentaires sont modérés a priori.</p><button>Voir les commentaires</button></div>")

    def footer(self, a):
        return ('<footer>'
                f'{links([("Nous contacter", "/contact"), ("Publicité", "/publicite"), ("CGU", "/cgu"), ("Données personnelles", "/rgpd"), ("Plan du site", "/plan")])}'
                "<p>Le Courrier de l'Estuaire, 12 quai de la Fosse, Nantes</p>"
                "<p>© Le Courrier de l'Estuaire 2026</p>"
                '<p><a href="#haut">Retour en haut de page</a></p></footer>')

    def not_found_title(self, a):
        return "Erreur 404 - Page introuvable"

    def not_found(self, related):
        return ('<div class="erreur">\n<h1>Oups ! Cette page est introuvable</h1>\n'
                "<p>La page que vous recherchez n'existe pas ou a été déplacée.</p>\n"
                "<p>Vérifiez l'adresse saisie ou utilisez le moteur de recherche.</p>\n"
                '<form><input type="search" placeholder="Rechercher sur le site"><button>OK</button></form>\n'
                '<p><a href="/">Retour à la page d\'accueil</a></p>\n</div>\n'
                f'<div class="derniers"><h3>Les derniers articles</h3>{links([(r.title, r.url) for r in related])}</div>')


class SaintLaurent(Site):
    key, name, home = "saint-laurent-express", "Saint-Laurent Express", "https://www.saint-laurent-express.example"
    ui = {
        "fr": dict(search="Rechercher", login="Connexion", sub="S'abonner", lang_switch="English",
                   lang_href="/en/", share="Partager", news_title="L'infolettre du matin",
                   news_text="Les nouvelles de Montréal et d'ailleurs, du lundi au vendredi.",
                   news_btn="M'inscrire", related="À lire aussi", comments="Commentaires",
                   comments_empty="Soyez le premier à réagir.", top="Retour en haut",
                   rights="© 2026 Saint-Laurent Express inc. Tous droits réservés.",
                   footer=[("À propos", "/fr/a-propos"), ("Nous joindre", "/fr/nous-joindre"),
                           ("Conditions d'utilisation", "/fr/conditions"), ("Confidentialité", "/fr/confidentialite")],
                   sections=[("Actualités", "/fr/actualites/"), ("Montréal", "/fr/montreal/"),
                             ("International", "/fr/international/"), ("Affaires", "/fr/affaires/"),
                             ("Arts", "/fr/arts/"), ("Sports", "/fr/sports/")]),
        "en": dict(search="Search", login="Sign in", sub="Subscribe", lang_switch="Français",
                   lang_href="/fr/", share="Share", news_title="The Morning Brief",
                   news_text="Montreal news and beyond, delivered weekdays.",
                   news_btn="Sign up", related="Also read", comments="Comments",
                   comments_empty="Be the first to comment.", top="Back to top",
                   rights="© 2026 Saint-Laurent Express Inc. All rights reserved.",
                   footer=[("About us", "/en/about"), ("Contact us", "/en/contact"),
                           ("Terms of use", "/en/terms"), ("Privacy", "/en/privacy")],
                   sections=[("News", "/en/news/"), ("Montreal", "/en/montreal/"), ("World", "/en/world/"),
                             ("Business", "/en/business/"), ("Arts", "/en/arts/"), ("Sports", "/en/sports/")]),
    }

    def header(self, a):
        u = self.ui[a.lang]
        return ('<header class="masthead">\n'
                f'<div class="brand"><a href="{self.home}/{a.lang}/">Saint-Laurent Express</a></div>\n'
                f'<div class="tools"><a href="{u["lang_href"]}">{u["lang_switch"]}</a>'
                f'<button>{u["search"]}</button><a href="/compte">{u["login"]}</a>'
                f'<a class="btn" href="/abonnement">{u["sub"]}</a></div>\n'
                f'<nav>{links([(t, self.url(h)) for t, h in u["sections"]])}</nav>\n'
                "</header>")

    def breadcrumb(self, a):
        label = " | ".join(x for x in (a.section, a.rubric) if x)
        return f'<div class="kicker"><p>{esc(label)}</p></div>'

    def published_text(self, a):
        if a.lang == "fr":
            return "Publié le " + date_fr(a.published_at, " h ")
        return "Published " + date_en_ca(a.published_at)

    def updated_text(self, a):
        d = dt.datetime.fromisoformat(a.updated)
        return ("Mis à jour le " + date_fr(d, " h ")) if a.lang == "fr" else ("Updated " + date_en_ca(d))

    def share(self, a):
        u = self.ui[a.lang]
        return (f'<div class="social"><p>{u["share"]}</p><ul><li><a href="#">Facebook</a></li>'
                '<li><a href="#">X</a></li><li><a href="#">LinkedIn</a></li>'
                f'<li><a href="#">{"Courriel" if a.lang == "fr" else "Email"}</a></li></ul></div>')

    def newsletter(self, a):
        u = self.ui[a.lang]
        return (f'<aside class="nl"><h2>{u["news_title"]}</h2><p>{u["news_text"]}</p>'
                f'<form><input type="email" placeholder="{"Courriel" if a.lang == "fr" else "Email address"}">'
                f'<button>{u["news_btn"]}</button></form></aside>')

    def related(self, a, related):
        u = self.ui[a.lang]
        if not related:
            return ""
        return f'<aside class="more"><h2>{u["related"]}</h2>{links([(r.title, r.url) for r in related])}</aside>'

    def comments(self, a):
        u = self.ui[a.lang]
        n = comment_count(a)
        tail = f"<p>{u['comments_empty']}</p>" if n == 0 else ""
        return f'<section class="comments"><h2>{u["comments"]} ({n})</h2>{tail}</section>'

    def footer(self, a):
        u = self.ui[a.lang]
        return (f'<footer>{links([(t, self.url(h)) for t, h in u["footer"]])}'
                f'<p>{u["rights"]}</p><p><a href="#haut">{u["top"]}</a></p></footer>')


class Herald(Site):
    key, name, home, lang = "harbourherald", "The Harbour Herald", "https://www.harbourherald.example", "en"
    sections = [("News", "/news"), ("World", "/world"), ("Business", "/business"), ("Politics", "/politics"),
                ("Sport", "/sport"), ("Culture", "/culture"), ("Opinion", "/opinion")]

    def header(self, a):
        return ('<header id="top">\n'
                '<div class="support"><p>Support independent local journalism</p>'
                '<a href="/subscribe">Subscribe</a><a href="/signin">Sign in</a></div>\n'
                '<div class="logo"><a href="/">The Harbour Herald</a></div>\n'
                f'<nav class="pillars">{links([(t, self.url(h)) for t, h in self.sections])}</nav>\n'
                '<form role="search"><input type="search" placeholder="Search the Herald"><button>Search</button></form>\n'
                "</header>")

    def breadcrumb(self, a):
        label = " › ".join(x for x in (a.section, a.rubric) if x)
        return f'<div class="section-label"><p>{esc(label)}</p></div>'

    def published_text(self, a):
        return date_en_uk(a.published_at)

    def updated_text(self, a):
        return "Last modified on " + date_en_uk(dt.datetime.fromisoformat(a.updated))

    def share(self, a):
        return ('<div class="share-bar"><button>Share</button><button>Share on Facebook</button>'
                '<button>Share on X</button><button>Share via Email</button><button>Save for later</button></div>')

    def newsletter(self, a):
        return ('<aside class="signup"><h2>Sign up to Herald Briefing</h2>'
                "<p>Our morning email breaks down the key stories of the day.</p>"
                '<form><input type="email" placeholder="Enter your email address"><button>Sign up</button></form>'
                "<p>Privacy Notice: Newsletters may contain info about charities, online ads, and content funded by outside parties.</p></aside>")

    def related(self, a, related):
        if not related:
            return ""
        items = "".join(f'<li><span class="rank">{i}</span> <a href="{esc(r.url)}">{esc(r.title)}</a></li>'
                        for i, r in enumerate(related, 1))
        return f'<aside class="most-read"><h2>Most read</h2><ol>{items}</ol></aside>'

    def comments(self, a):
        n = comment_count(a)
        if n == 0:
            return ('<section class="comments"><h2>Comments (0)</h2>'
                    "<p>Comments are closed on this article.</p></section>")
        return (f'<section class="comments"><h2>Comments ({n})</h2>'
                "<p>Join the conversation</p><button>Show comments</button></section>")

    def footer(self, a):
        return ('<footer>'
                f'{links([("About us", "/about"), ("Contact us", "/contact"), ("Complaints & corrections", "/corrections"), ("Terms & conditions", "/terms"), ("Privacy policy", "/privacy"), ("Cookie settings", "#cookies")])}'
                '<p><a href="#top">Back to top</a></p>'
                "<p>© 2026 Harbour Herald Media Ltd. All rights reserved.</p></footer>")


SITES = {cls.key: cls() for cls in (Vigie, Courrier, SaintLaurent, Herald)}


def related_for(article: Article, articles: list[Article], count: int = 3) -> list[Article]:
    """List up to ``count`` earlier articles of the same site and language, newest first.

    Only earlier ones, as on a real page at crawl time; a page without a date (an
    error page) lists the newest articles of the site.
    """
    pool = [a for a in articles if a.site == article.site and a.lang == article.lang
            and a.kind == "article" and a.key != article.key
            and (not article.published or a.published_at < article.published_at)]
    pool.sort(key=lambda a: (a.published_at, a.key), reverse=True)
    return pool[:count]


def render_page(article: Article, articles: list[Article]) -> str:
    """Render the full HTML page of one article with its site's template."""
    site = SITES[article.site]
    return site.page(article, related_for(article, articles, 5 if article.site == "harbourherald" else 3))


# --------------------------------------------------------------------------- text dumps

BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "button", "figcaption", "blockquote", "dt", "dd", "td", "th"}
SKIP = {"script", "style", "noscript", "template", "svg", "head"}


def render_dump(page: str) -> str:
    """Render a page as a browser text dump: one block per line, blank lines between blocks."""
    root = lxml.html.document_fromstring(page)
    lines: list[str] = []
    walk(root.body, lines)
    return "\n\n".join(lines) + "\n"


def walk(el, lines: list[str]) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in SKIP or not tag:
        return
    if tag == "input":
        if el.get("placeholder"):
            lines.append(el.get("placeholder"))
        return
    if tag in BLOCKS or not any(isinstance(c.tag, str) and has_block(c) for c in el):
        text = " ".join(el.text_content().split())
        if text:
            lines.append(text)
        return
    for child in el:
        walk(child, lines)


def has_block(el) -> bool:
    return any(isinstance(e.tag, str) and (e.tag in BLOCKS or e.tag == "input") for e in el.iter())


# --------------------------------------------------------------------------- WARC

WARC_NS = uuid.UUID("5b0f4f3e-6c1d-4e55-9a3e-2d7c0b6a1f00")
PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082")


def warc_id(name: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(WARC_NS, name)}>"


def warc_date(article: Article, minutes: int = 47) -> str:
    """The crawl time: a fixed delay after publication, in UTC."""
    d = article.published_at.astimezone(dt.timezone.utc) + dt.timedelta(minutes=minutes)
    return d.strftime("%Y-%m-%dT%H:%M:%SZ")


def fix_headers(record, name: str, date: str):
    record.rec_headers.replace_header("WARC-Record-ID", warc_id(name))
    record.rec_headers.replace_header("WARC-Date", date)
    return record


def write_warc(path: Path, pages: list[tuple[Article, bytes]]) -> None:
    """Write crawl.warc.gz: warcinfo, one request, the HTML responses and a PNG."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    first = pages[0][0]
    info = {"software": "veille data/sample-sources/build.py", "format": "WARC File Format 1.0",
            "description": "Sample crawl of invented news sites for the veille project",
            "isPartOf": "veille-samples", "robots": "obey"}
    writer.write_record(fix_headers(writer.create_warcinfo_record(path.name, info), "warcinfo", warc_date(first, 0)))
    for i, (article, payload) in enumerate(pages):
        if i == 0:
            writer.write_record(request_record(writer, article))
        writer.write_record(response_record(writer, article, payload, "text/html; charset=utf-8", article.url))
        if i == 1:
            writer.write_record(png_record(writer, article))
    path.write_bytes(buf.getvalue())


def request_record(writer, article: Article):
    host = article.url.split("/")[2]
    path = "/" + article.url.split("/", 3)[3]
    headers = StatusAndHeaders(f"GET {path} HTTP/1.1", [
        ("Host", host), ("User-Agent", "veille-samples/0.1 (+https://veille.example/bot)"),
        ("Accept", "text/html,application/xhtml+xml"), ("Accept-Language", "fr,en;q=0.8")], is_http_request=True)
    rec = writer.create_warc_record(article.url, "request", payload=io.BytesIO(b""), length=0, http_headers=headers)
    fix_headers(rec, "request " + article.url, warc_date(article))
    rec.rec_headers.add_header("WARC-Concurrent-To", warc_id("response " + article.url))
    return rec


def response_record(writer, article: Article, payload: bytes, ctype: str, uri: str):
    headers = StatusAndHeaders("200 OK", [
        ("Content-Type", ctype), ("Content-Length", str(len(payload))), ("Server", "nginx"),
        ("Date", http_date(warc_date(article)))], protocol="HTTP/1.1")
    rec = writer.create_warc_record(uri, "response", payload=io.BytesIO(payload), length=len(payload),
                                    http_headers=headers)
    return fix_headers(rec, "response " + uri, warc_date(article))


def png_record(writer, article: Article):
    uri = article.url.split("/", 3)[0] + "//" + article.url.split("/")[2] + "/static/img/logo.png"
    return response_record(writer, article, PNG_1X1, "image/png", uri)


def http_date(warc: str) -> str:
    d = dt.datetime.strptime(warc, "%Y-%m-%dT%H:%M:%SZ")
    return d.strftime("%a, %d %b %Y %H:%M:%S GMT")


# --------------------------------------------------------------------------- main

def write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def build() -> dict[str, int]:
    """Render every output; return how many files or records of each kind were written."""
    articles = load_articles()
    counts = {k: 0 for k in sorted(OUTPUTS)}
    warc_pages: list[tuple[Article, bytes]] = []
    feed: list[str] = []
    for a in articles:
        page = render_page(a, articles)
        payload = page.encode(a.encoding, errors="strict")
        for out in a.outputs:
            counts[out] += 1
            if out == "html":
                write(HERE / "html" / a.site / f"{a.key}.html", payload)
            elif out == "html.gz":
                write(HERE / "html" / a.site / f"{a.key}.html.gz", gzip.compress(payload, mtime=0))
            elif out == "dump":
                write(HERE / "dumps" / a.site / f"{a.key}.txt", render_dump(page).encode("utf-8"))
            elif out == "warc":
                warc_pages.append((a, payload))
            elif out == "jsonl-html":
                feed.append(json.dumps({"url": a.url, "html": page}, ensure_ascii=False))
            elif out == "jsonl-text":
                feed.append(json.dumps({"url": a.url, "text": render_dump(page),
                                        "published": a.published[:10]}, ensure_ascii=False))
    warc_pages.sort(key=lambda p: (p[0].published, p[0].url))
    write_warc(HERE / "crawl.warc.gz", warc_pages)
    (HERE / "feed.jsonl").write_text("\n".join(feed) + "\n", "utf-8")
    return counts


if __name__ == "__main__":
    for kind, n in build().items():
        print(f"{kind:12} {n}")
