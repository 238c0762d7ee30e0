"""The annotate stage: parse an article once, then find its entities, quotes, dates and events.

The article's ``meta["annotations"]`` says which model annotated it, or why none did
(a language without a model still gets its dates and quotes by rule).
"""
from __future__ import annotations

from veille.nlp import dates, entities, events, quotes
from veille.nlp.models import load_model, model_name, model_problem
from veille.nlp.parse import ParseInput, Parsed, parse, parse_many
from veille.records import Article


def annotate(article: Article) -> Article:
    """Add entities, roles, quotes and dates to an article, with offsets into its text."""
    return annotate_parsed(article, parse_article(article))


def annotate_parsed(article: Article, parsed: Parsed) -> Article:
    """Add the annotations found on an article's parse to the article."""
    article.entities = entities.find_entities(parsed)
    article.quotes = quotes.find_quotes(parsed, article.entities)
    article.dates = dates.find_dates(parsed)
    article.events = events.find_events(parsed, article.entities, article.quotes, article.dates)
    article.meta["annotations"] = _provenance(parsed)
    return article


def parse_article(article: Article) -> Parsed:
    """Parse an article's paragraphs with its language's model (if there is one)."""
    nlp = load_model(article.language)
    return parse(article.paragraphs, article.language, article.published, nlp, model_name(article.language),
                 title=article.title)


def annotate_many(articles: list[Article]) -> list[Article]:
    """Annotate several articles as annotate() does, parsing each language's texts in one nlp.pipe call."""
    for article, parsed in zip(articles, parse_articles(articles)):
        annotate_parsed(article, parsed)
    return articles


def parse_articles(articles: list[Article]) -> list[Parsed]:
    """Parse several articles, those of one language together (a worker's batch: one nlp.pipe per language)."""
    parses: dict[int, Parsed] = {}
    for language in dict.fromkeys(article.language for article in articles):
        group = [article for article in articles if article.language == language]
        inputs = [ParseInput(a.paragraphs, a.language, a.published, a.title) for a in group]
        for article, parsed in zip(group, parse_many(inputs, load_model(language), model_name(language))):
            parses[id(article)] = parsed
    return [parses[id(article)] for article in articles]


def _provenance(parsed: Parsed) -> dict[str, str | None]:
    """Say what annotated the article: the model, or why there was none."""
    if parsed.has_model:
        return {"model": parsed.model}
    return {"model": None, "note": f"{model_problem(parsed.language)}: dates and quotes by rule only, no entities"}
