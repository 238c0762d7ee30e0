"""Wire credits in paragraphs already cut by an extractor: "(AFP)", "— Reuters", "PARIS (Reuters) -"."""
from __future__ import annotations

from veille.clean.lines import find_wire_credit, load_lexicon
from veille.records import Article, Removed

# Credit lines close the article (or, rarely, open it right under the title): look at
# this many paragraphs at each end.
CREDIT_REACH = 3


def lift_wire_credit(article: Article) -> Article:
    """Move a credit-line paragraph into wire_source (reason credit_line), or read the dateline."""
    paragraphs = article.paragraphs
    ends = sorted(set(range(min(CREDIT_REACH, len(paragraphs))))
                  | set(range(max(0, len(paragraphs) - CREDIT_REACH), len(paragraphs))))
    # The last paragraphs first; the dateline opens the first paragraph, maybe after a standfirst.
    agency, index = find_wire_credit(((i, paragraphs[i]) for i in reversed(ends)), paragraphs[:2], load_lexicon())
    if index is not None:
        article.removed.append(Removed(paragraphs[index], "credit_line"))
        article.paragraphs = paragraphs[:index] + paragraphs[index + 1:]
    article.wire_source = article.wire_source or agency
    return article
