"""Wire credits in paragraphs already cut by an extractor: "(AFP)", "— Reuters", "PARIS (Reuters) -"."""
from __future__ import annotations

from veille.clean.lines import load_lexicon, parse_credit, parse_dateline
from veille.records import Article, Removed

# Credit lines close the article (or, rarely, open it right under the title): look at
# this many paragraphs at each end.
CREDIT_REACH = 3


def lift_wire_credit(article: Article) -> Article:
    """Move a credit-line paragraph into wire_source (reason credit_line), or read the dateline."""
    lexicon = load_lexicon()
    paragraphs = article.paragraphs
    ends = sorted(set(range(min(CREDIT_REACH, len(paragraphs))))
                  | set(range(max(0, len(paragraphs) - CREDIT_REACH), len(paragraphs))))
    for index in reversed(ends):
        agency = parse_credit(paragraphs[index], lexicon)
        if agency:
            article.wire_source = article.wire_source or agency
            article.removed.append(Removed(paragraphs[index], "credit_line"))
            article.paragraphs = paragraphs[:index] + paragraphs[index + 1:]
            return article
    for paragraph in paragraphs[:2]:  # the dateline opens the first paragraph, maybe after a standfirst
        if agency := parse_dateline(paragraph, lexicon):
            article.wire_source = article.wire_source or agency
            break
    return article
