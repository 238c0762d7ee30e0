"""Duplicate and syndication quality: controlled copies of the dev pages, scored pair by pair.

Built at run time, deterministically (seed SEED), from the article texts of the dev sets under
``<shared>/data/dev`` (never copied into the repo): the gold bodies of the
article-extraction-benchmark, the PolNeAR articles, the French news gold, the trafilatura-eval
pages (their text as trafilatura extracts it) and the HIPE French newspaper pages (cut into
paragraphs of about 60 words: the OCR has none). Each text with 3 paragraphs and 100 words or
more is an original (a text found in two sets is kept once); each original gets one copy per edit:

- ``trim_75``, ``trim_50``, ``trim_25``: its first 3/4, 1/2, 1/4 of paragraphs (at least one);
- ``intro``: a paragraph of another page put first (a local introduction);
- ``intro_trim``: a paragraph of another page first, then the first 2/3 of the paragraphs;
- ``boilerplate``: navigation lines before and a footer after, from one of three site
  templates in the text's language (so that copies of different pages share them);
- ``mojibake_cp1252``, ``mojibake_latin1``: the UTF-8 bytes read as cp1252 (undefined bytes
  replaced, which ftfy cannot always undo) or as Latin-1;
- ``typography``: straight and curly quotes swapped, dashes and non-breaking spaces
  changed, lines re-wrapped, spaces doubled.

Gold: two texts are copies when they come from the same original. Every pair of the corpus is
scored (originals against each other too, which includes same-topic pages: PolNeAR's 2016
campaign articles, several per story), as the pass decides: a pair must share an LSH band
key, a long paragraph or its text hash, then pass ``shingles.link``. Printed: recall per edit (original and
copy linked) with the false pairs involving a copy of that edit, overall pair P/R/F1 at the
chosen thresholds and at others (the curve behind the choice), shingle sizes 3 to 7, the
closest pairs of different originals, and the groups the pass itself builds (run through
``veille.corpus.passes`` on a scratch store in chunks, so that groups are also joined and merged).
"""
from __future__ import annotations

import gzip
import json
import random
import re
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from veille.corpus import duplicates, passes, shingles
from veille.store.connect import open_store

SEED = 20261130
EDITS = ("trim_75", "trim_50", "trim_25", "intro", "intro_trim", "boilerplate", "mojibake_cp1252",
         "mojibake_latin1", "typography")
NEAR_CURVE = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)
CONTAINED_CURVE = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.01)
MIN_CONTAINED_CURVE = (10, 20, 40, 80, 160)
SHINGLE_SIZES = (3, 4, 5, 7)
TEMPLATES = {
    "en": [["Home", "World", "Politics", "Business", "Sport", "Opinion", "Sign in", "Subscribe"],
           ["Skip to main content", "Menu", "Search", "News", "Local", "Weather", "Share on Facebook",
            "Share on Twitter"],
           ["Most read", "Latest news", "Newsletter", "Follow us", "Advertisement"]],
    "fr": [["Accueil", "International", "Politique", "Économie", "Sport", "Opinions", "Se connecter",
            "S'abonner"],
           ["Aller au contenu principal", "Menu", "Rechercher", "Actualités", "Régions", "Météo",
            "Partager sur Facebook", "Partager sur Twitter"],
           ["Les plus lus", "Dernières actualités", "Newsletter", "Suivez-nous", "Publicité"]]}
FOOTERS = {"en": ["© 2026 The Daily Example. All rights reserved.", "Terms of use | Privacy policy | Cookies",
                  "Sign up to our newsletter for the day's top stories, every morning."],
           "fr": ["© 2026 Le Quotidien Exemple. Tous droits réservés.",
                  "Mentions légales | Politique de confidentialité | Cookies",
                  "Inscrivez-vous à notre newsletter pour recevoir l'essentiel de l'actualité chaque matin."]}


@dataclass(slots=True)
class Text:
    """One text of the scratch corpus: an original or an edited copy of one."""

    id: str
    origin: int
    edit: str  # "original" or one of EDITS
    language: str
    paragraphs: list[str]

    @property
    def text(self) -> str:
        """Return the paragraphs joined by blank lines, as articles.text is."""
        return "\n\n".join(self.paragraphs)


# Loading the dev texts

def load_originals(dev: Path) -> list[tuple[str, list[str]]]:
    """Return (language, paragraphs) for every dev text with 3 paragraphs and 100 words or more."""
    texts = [*_benchmark(dev), *_polnear(dev), *_french_gold(dev), *_trafilatura(dev), *_hipe(dev)]
    texts = [(lang, paras) for lang, paras in texts if len(paras) >= 3 and sum(len(p.split()) for p in paras) >= 100]
    return distinct(texts)


def distinct(texts: list[tuple[str, list[str]]]) -> list[tuple[str, list[str]]]:
    """Keep each text once: a page found in two dev sets (the French gold's pages are trafilatura-eval
    pages) is dropped when half of its 5-word shingles, counted exactly, are in a text kept before it."""
    kept, seen = [], []
    for lang, paragraphs in texts:
        own = shingles.shingles(shingles.normalise("\n\n".join(paragraphs)))
        if not any(len(own & other) >= 0.5 * min(len(own), len(other)) for other in seen):
            kept.append((lang, paragraphs))
            seen.append(own)
    return kept


def _jsonl(path: Path) -> list[dict]:
    """Return the records of a JSON Lines file, or none if it is absent."""
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _paragraphs(text: str) -> list[str]:
    """Return the non-empty lines of a text, stripped."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def _benchmark(dev: Path):
    """Yield the article-extraction-benchmark's gold bodies (English for most)."""
    for row in _jsonl(dev / "article-extraction-benchmark" / "ground-truth.jsonl"):
        lang = "fr" if (row.get("html_lang_attr") or "").startswith("fr") else "en"
        yield lang, _paragraphs(row["articleBody"])


def _polnear(dev: Path):
    """Yield the PolNeAR articles (English, the 2016 campaign: several articles per story)."""
    for row in _jsonl(dev / "polnear-attribution-en" / "dev.jsonl"):
        yield "en", _paragraphs(row["text"])


def _french_gold(dev: Path):
    """Yield the French news gold texts."""
    for row in _jsonl(dev / "french-news-gold" / "gold.jsonl"):
        yield "fr", _paragraphs(row["text"])


def _trafilatura(dev: Path):
    """Yield the trafilatura-eval pages' main text as trafilatura extracts it."""
    import trafilatura

    root = dev / "trafilatura-eval"
    for row in _jsonl(root / "annotations.jsonl"):
        path = root / row["html_file"]
        if path.is_file():
            text = trafilatura.extract(path.read_text(encoding="utf-8", errors="replace")) or ""
            yield row.get("lang", "en"), _paragraphs(text)


def _hipe(dev: Path):
    """Yield the HIPE French newspaper pages cut into paragraphs of about 60 words at sentence ends."""
    for row in _jsonl(dev / "hipe2022-ner-fr" / "newseye-fr-test.jsonl"):
        paragraphs, current = [], []
        for sentence in re.split(r"(?<=[.!?])\s+", row["text"]):
            current.append(sentence)
            if sum(len(s.split()) for s in current) >= 60:
                paragraphs.append(" ".join(current))
                current = []
        if current:
            paragraphs.append(" ".join(current))
        yield "fr", paragraphs


# Building the copies

def build_corpus(originals: list[tuple[str, list[str]]], rng: random.Random) -> list[Text]:
    """Return the originals and one copy of each per edit."""
    corpus = []
    for number, (lang, paragraphs) in enumerate(originals):
        corpus.append(Text(f"o{number}", number, "original", lang, paragraphs))
        for edit in EDITS:
            corpus.append(Text(f"o{number}-{edit}", number, edit, lang, edit_copy(edit, lang, paragraphs,
                                                                                   originals, number, rng)))
    return corpus


def edit_copy(edit: str, lang: str, paragraphs: list[str], originals: list, number: int,
              rng: random.Random) -> list[str]:
    """Return the paragraphs of one edited copy."""
    keep = lambda share: paragraphs[:max(1, round(share * len(paragraphs)))]  # noqa: E731
    if edit.startswith("trim_"):
        return keep(int(edit[5:]) / 100)
    if edit == "intro":
        return [_foreign_paragraph(originals, number, rng), *paragraphs]
    if edit == "intro_trim":
        return [_foreign_paragraph(originals, number, rng), *keep(2 / 3)]
    if edit == "boilerplate":
        template = rng.randrange(3)
        return [*TEMPLATES[lang][template], *paragraphs, *FOOTERS[lang][:template + 1]]
    if edit.startswith("mojibake_"):
        codec = edit.split("_")[1]
        return [p.encode("utf-8").decode(codec, errors="replace") for p in paragraphs]
    return [_retype(p, rng) for p in paragraphs]


def _foreign_paragraph(originals: list, number: int, rng: random.Random) -> str:
    """Return the longest of three paragraphs drawn from another original (a local introduction)."""
    other = rng.choice([i for i in range(len(originals)) if i != number])
    drawn = [rng.choice(originals[other][1]) for _ in range(3)]
    return max(drawn, key=len)


def _retype(paragraph: str, rng: random.Random) -> str:
    """Return a paragraph with its typography changed and its lines re-wrapped."""
    swaps = {"’": "'", "'": "’", "“": '"', "”": '"', "«\u00a0": "« ", "—": "-", " - ": " – ", ", ": ",  "}
    for old, new in swaps.items():
        paragraph = paragraph.replace(old, new)
    words = paragraph.split(" ")
    width = rng.randrange(8, 15)
    return "\n".join(" ".join(words[i:i + width]) for i in range(0, len(words), width))


# Scoring

@dataclass(slots=True)
class Fingerprints:
    """The corpus's hashes, shingle counts, signatures and band keys, in corpus order."""

    hashes: list[str]
    sizes: np.ndarray
    signatures: np.ndarray
    bands: list[list[int]]
    paragraphs: list[list[int]]


def fingerprint(corpus: list[Text], size: int) -> Fingerprints:
    """Return the fingerprints of every text with shingles of `size` words."""
    hashes, sizes, signatures, bands, paragraphs = [], [], [], [], []
    for text in corpus:
        normalised_paragraphs = shingles.normalised_paragraphs(text.text)
        normalised = " ".join(normalised_paragraphs)
        shingle_set = shingles.shingles(normalised, size)
        signature = shingles.signature(shingle_set)
        hashes.append(shingles.text_hash(normalised))
        sizes.append(len(shingle_set))
        signatures.append(signature)
        bands.append(shingles.band_keys(signature) if len(shingle_set) >= duplicates.MIN_INDEXED else [])
        paragraphs.append(shingles.paragraph_keys(normalised_paragraphs))
    return Fingerprints(hashes, np.array(sizes), np.array(signatures, dtype=np.uint32), bands, paragraphs)


def candidate_pairs(prints: Fingerprints) -> list[tuple[int, int, bool, float]]:
    """Return the pairs the pass would verify: sharing a band key, a long paragraph or the text hash, with their J."""
    index: dict[tuple, list[int]] = {}
    for i, keys in enumerate(prints.bands):
        for band, key in enumerate(keys):
            index.setdefault((band, key), []).append(i)
    for i, keys in enumerate(prints.paragraphs):
        for key in keys:
            index.setdefault(("paragraph", key), []).append(i)
    for key in [key for key in index if key[0] == "paragraph" and len(index[key]) > duplicates.MAX_SHARED_PARAGRAPH]:
        del index[key]
    for i, text_hash in enumerate(prints.hashes):
        index.setdefault(("hash", text_hash), []).append(i)
    pairs = {(a, b) for members in index.values() for x, a in enumerate(members) for b in members[x + 1:]}
    return [(a, b, prints.hashes[a] == prints.hashes[b],
             float((prints.signatures[a] == prints.signatures[b]).mean())) for a, b in sorted(pairs)]


def gold_pairs(corpus: list[Text]) -> set[tuple[int, int]]:
    """Return every pair of texts (by index) that come from the same original."""
    by_origin: dict[int, list[int]] = {}
    for i, text in enumerate(corpus):
        by_origin.setdefault(text.origin, []).append(i)
    return {(a, b) for members in by_origin.values() for x, a in enumerate(members) for b in members[x + 1:]}


def linked(candidates, prints: Fingerprints, **thresholds) -> set[tuple[int, int]]:
    """Return the candidate pairs that shingles.link keeps at these thresholds."""
    return {(a, b) for a, b, exact, j in candidates
            if shingles.link(exact, j, int(prints.sizes[a]), int(prints.sizes[b]), **thresholds)}


def grouped(found: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Return the pairs that end in one group when the found pairs are joined transitively, as the pass does."""
    groups = duplicates.components([(str(a), str(b)) for a, b in found])
    return {(min(a, b), max(a, b)) for group in groups for a in map(int, group) for b in map(int, group) if a != b}


def prf(found: set, gold: set) -> tuple[float, float, float]:
    """Return precision, recall and F1 of found pairs against gold pairs."""
    hits = len(found & gold)
    p = hits / len(found) if found else 1.0
    r = hits / len(gold) if gold else 1.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def per_edit_rows(corpus: list[Text], found: set, gold: set) -> list[tuple]:
    """Return, per edit: the original-copy pairs, their recall linked and grouped, and the false links holding such a copy."""
    rows = []
    together = grouped(found)
    for edit in EDITS:
        copies = {i for i, text in enumerate(corpus) if text.edit == edit}
        target = {(a, b) for a, b in gold if b in copies and corpus[a].edit == "original"}
        false = {(a, b) for a, b in found - gold if a in copies or b in copies}
        hits = len(found & target)
        precision = hits / (hits + len(false)) if hits + len(false) else 1.0
        in_groups = len(together & target) / len(target) if target else 1.0
        rows.append((edit, len(target), hits / len(target) if target else 1.0, precision, len(false), in_groups))
    return rows


def closest_negatives(corpus: list[Text], candidates, prints: Fingerprints, limit: int = 5) -> list[tuple]:
    """Return the candidate pairs of different originals with the highest J (same-topic pages among them)."""
    different = [(j, shingles.containment(j, int(prints.sizes[a]), int(prints.sizes[b])), corpus[a].id, corpus[b].id)
                 for a, b, _, j in candidates if corpus[a].origin != corpus[b].origin]
    return sorted(different, reverse=True)[:limit]


def closest_originals(corpus: list[Text], prints: Fingerprints) -> tuple[float, str, str]:
    """Return the highest J over all pairs of different originals (candidates or not), and the pair."""
    index = [i for i, text in enumerate(corpus) if text.edit == "original"]
    signatures = prints.signatures[index]
    best = (0.0, "", "")
    for x in range(len(index) - 1):
        similar = (signatures[x + 1:] == signatures[x]).mean(axis=1)
        y = int(similar.argmax())
        best = max(best, (float(similar[y]), corpus[index[x]].id, corpus[index[x + 1 + y]].id))
    return best


def run_pass(corpus: list[Text]) -> tuple[set[tuple[int, int]], float]:
    """Run the duplicates pass itself over the corpus on a scratch store; return the grouped pairs and seconds."""
    position = {text.id: i for i, text in enumerate(corpus)}
    with tempfile.TemporaryDirectory() as folder:
        con = open_store(str(Path(folder) / "eval.duckdb"))
        order = list(range(len(corpus)))
        random.Random(SEED).shuffle(order)  # copies before or after their original, across chunks
        con.execute("INSERT INTO articles (id, site, published, text) SELECT unnest(?::VARCHAR[]), "
                    "unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[])",
                    [[corpus[i].id for i in order], [f"site{i % 7}" for i in order],
                     [f"2026-11-{1 + n * 28 // len(order):02d}" for n in range(len(order))],
                     [corpus[i].text for i in order]])
        start = time.perf_counter()
        saved = passes.PASSES
        passes.PASSES = ["veille.corpus.duplicates"]
        try:
            passes.run_passes(con, chunk=500)
        finally:
            passes.PASSES = saved
        seconds = time.perf_counter() - start
        rows = con.execute("SELECT group_id, article_id FROM duplicate_members").fetchall()
        con.close()
    groups: dict[str, list[int]] = {}
    for group, article in rows:
        groups.setdefault(group, []).append(position[article])
    return {(min(a, b), max(a, b)) for members in groups.values() for x, a in enumerate(members)
            for b in members[x + 1:]}, seconds


# Printing

def run(shared: Path, console: Console, failures: int = 0) -> None:
    """Build the controlled copies, score the pairs and the pass's groups, print the tables."""
    dev = Path(shared) / "data" / "dev"
    originals = load_originals(dev)
    if not originals:
        console.print(f"[yellow]skipped duplicates: no dev texts under {dev} (pass --shared PATH)[/yellow]")
        return
    corpus = build_corpus(originals, random.Random(SEED))
    gold = gold_pairs(corpus)
    languages = Counter(lang for lang, _ in originals)
    console.print(f"\n[bold]Duplicates[/]: {len(originals)} originals ({dict(languages)}), {len(corpus)} texts, "
                  f"{len(gold)} copy pairs, {len(corpus) * (len(corpus) - 1) // 2 - len(gold)} other pairs")
    prints = fingerprint(corpus, shingles.SHINGLE_WORDS)
    candidates = candidate_pairs(prints)
    found = linked(candidates, prints)
    print_edits(console, corpus, found, gold)
    print_curves(console, candidates, prints, gold)
    print_sizes(console, corpus, gold)
    print_negatives(console, closest_negatives(corpus, candidates, prints, max(5, failures)))
    j, a, b = closest_originals(corpus, prints)
    console.print(f"Different originals, all pairs (same-topic pages among them): the highest J is {j:.3f} ({a}, {b})")
    in_groups, seconds = run_pass(corpus)
    p, r, f1 = prf(in_groups, gold)
    same = "the same pairs as" if in_groups == grouped(found) else "NOT the same pairs as"
    console.print(f"The pass's groups (chunks of 500, shuffled order): pair precision {p:.3f}, recall {r:.3f}, "
                  f"F1 {f1:.3f}, {same} the linked pairs joined at once; {seconds:.1f} s for {len(corpus)} texts")


def print_edits(console: Console, corpus: list[Text], found: set, gold: set) -> None:
    """Print recall and precision per edit at the chosen thresholds, and overall."""
    table = Table(title=f"Pairs at NEAR {shingles.NEAR}, CONTAINED {shingles.CONTAINED}, "
                        f"MIN_CONTAINED {shingles.MIN_CONTAINED}, {shingles.SHINGLE_WORDS}-word shingles")
    for column in ("edit", "pairs", "recall", "precision", "false links", "recall grouped"):
        table.add_column(column, justify="left" if column == "edit" else "right")
    for edit, count, recall, precision, false, in_groups in per_edit_rows(corpus, found, gold):
        table.add_row(edit, str(count), f"{recall:.3f}", f"{precision:.3f}", str(false), f"{in_groups:.3f}")
    p, r, f1 = prf(found, gold)
    table.add_row("all pairs (copies of one original)", str(len(gold)), f"{r:.3f}", f"{p:.3f}",
                  f"{len(found - gold)} (F1 {f1:.3f})", f"{prf(grouped(found), gold)[1]:.3f}")
    console.print(table)


def print_curves(console: Console, candidates, prints: Fingerprints, gold: set) -> None:
    """Print overall pair P/R/F1 as each threshold moves with the others at their chosen values."""
    table = Table(title="Threshold curves, pairs linked and pairs grouped (the others at their chosen values; "
                        "1.01 = off)")
    for column in ("threshold", "value", "linked P", "R", "F1", "grouped P", "R ", "F1 "):
        table.add_column(column, justify="left" if column == "threshold" else "right")
    for name, values in (("near", NEAR_CURVE), ("contained", CONTAINED_CURVE), ("min_contained", MIN_CONTAINED_CURVE)):
        for value in values:
            found = linked(candidates, prints, **{name: value})
            figures = [*prf(found, gold), *prf(grouped(found), gold)]
            table.add_row(name, str(value), *(f"{figure:.3f}" for figure in figures))
    console.print(table)


def print_sizes(console: Console, corpus: list[Text], gold: set) -> None:
    """Print overall pair P/R/F1 for other shingle sizes, thresholds unchanged."""
    table = Table(title="Shingle size (words)")
    for column in ("words", "precision", "recall", "F1"):
        table.add_column(column, justify="right")
    for size in SHINGLE_SIZES:
        prints = fingerprint(corpus, size)
        p, r, f1 = prf(linked(candidate_pairs(prints), prints), gold)
        table.add_row(str(size), f"{p:.3f}", f"{r:.3f}", f"{f1:.3f}")
    console.print(table)


def print_negatives(console: Console, closest: list[tuple]) -> None:
    """Print the candidate pairs of different originals that come closest to a link."""
    table = Table(title="Closest pairs of different originals (candidates only)")
    for column in ("J", "containment", "a", "b"):
        table.add_column(column, justify="right" if column in ("J", "containment") else "left")
    for j, contained, a, b in closest:
        table.add_row(f"{j:.3f}", f"{contained:.3f}", a, b)
    console.print(table)
