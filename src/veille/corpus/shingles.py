"""Text fingerprints for the duplicates pass (normalised text, word shingles, MinHash, LSH band keys) and when two say copies.

Two copies of a story compare by their word shingles (runs of SHINGLE_WORDS words of the
normalised text). A MinHash signature estimates the Jaccard similarity J of two shingle
sets; with the sets' sizes it also gives their overlap, |A∩B| = J(|A| + |B|) / (1 + J),
hence how much of the smaller copy the larger one contains. The signature is cut into
BANDS bands of ROWS values; two texts sharing one band's values are candidates.
"""
from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
from collections.abc import Sequence

import ftfy
from ftfy.badness import is_bad
from rensa import RMinHash

from veille.records import content_id

# 5 words: long enough that two unrelated articles of one language share almost no shingle
# (function-word runs such as "l'un des plus" are shorter), short enough that a sentence
# edited in one place keeps most of its shingles. The eval (eval/duplicates.py) compares 3 to 7.
SHINGLE_WORDS = 5
PERMUTATIONS = 128
SEED = 20261130  # fixed: signatures stored in the table must stay comparable across runs
# 32 bands of 4 rows: two texts become candidates with probability 1 - (1 - J^4)^32, which is
# 0.56 at J = 0.4, 0.87 at J = 0.5, 0.99 at J = 0.6 and 2e-4 at J = 0.05; a copy trimmed to
# half of its paragraphs (J = 0.5) is still found, unrelated articles almost never meet.
BANDS = 32
ROWS = PERMUTATIONS // BANDS
# A long paragraph shared word for word is a candidate too, kept in lsh_bands as band number
# PARAGRAPH_BAND: a copy trimmed to its first quarter shares J = 0.25 with the full text,
# which the bands find one time in eight (eval/duplicates.py, trim_25), but it shares its
# paragraphs. 20 words: a sentence or two, longer than a stock line ("Read more", a byline).
PARAGRAPH_BAND = BANDS
PARAGRAPH_WORDS = 20

# Thresholds, chosen on the controlled copies of eval/duplicates.py (figures and curves in
# docs/quality.md, "Duplicates and syndication"). A pair is kept at J >= NEAR: every value
# from 0.3 to 0.9 keeps pair precision at 1.000 there; 0.5 stays well above the closest pair
# of different pages (J 0.27, a page whose introduction is a paragraph of the other) for a
# group F1 of 0.977 (0.983 at 0.3).
NEAR = 0.5
# Or when CONTAINED of the smaller text's shingles are in the larger (a copy trimmed to its
# first paragraphs, or given a local introduction). Chosen on the groups, not the pairs: a
# false pair joins two whole groups, so 0.7 keeps 99.9% precise pairs but 0.922 precise
# groups; 0.9 gives the best group F1 (0.977: precision 0.976, recall 0.978).
CONTAINED = 0.9
# ... and only when the smaller text has MIN_CONTAINED shingles or more (about two short
# paragraphs): below that, what is contained is a quote or a stock sentence more than a copy;
# 20 would gain 0.7% recall on the eval's groups.
MIN_CONTAINED = 40
_FTFY = ftfy.TextFixerConfig(unescape_html=False, explain=False)
# Punctuation, symbols and the underscore fold to spaces: quotes, dashes and apostrophes of
# every typography alike ("c’est", "c'est" and "c est" are one text).
_NOT_WORD = re.compile(r"[\W_]+")
_BLANK_LINE = re.compile(r"\n\s*\n")


def normalise(text: str) -> str:
    """Return text as copies of one story share it: mojibake fixed, NFKC, casefolded, punctuation and spaces folded."""
    return " ".join(normalised_paragraphs(text))


def normalised_paragraphs(text: str) -> list[str]:
    """Return the normalised paragraphs of a text (paragraphs are separated by blank lines), empty ones left out."""
    if not text.isascii() and is_bad(text):  # ftfy's own test for mojibake; a third of fix_text's time
        text = ftfy.fix_text(text, config=_FTFY)
    text = unicodedata.normalize("NFKC", text).casefold()
    folded = (" ".join(_NOT_WORD.sub(" ", paragraph).split()) for paragraph in _BLANK_LINE.split(text))
    return [paragraph for paragraph in folded if paragraph]


def text_hash(normalised: str) -> str:
    """Return the hash of a normalised text: equal hashes are exact duplicates."""
    return content_id(normalised)


def shingles(normalised: str, size: int = SHINGLE_WORDS) -> set[str]:
    """Return the distinct runs of `size` words of a normalised text (the whole text if it is shorter)."""
    words = normalised.split()
    if len(words) <= size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def signature(shingle_set: set[str]) -> list[int]:
    """Return the MinHash signature (PERMUTATIONS unsigned 32-bit values) of a shingle set."""
    minhash = RMinHash(num_perm=PERMUTATIONS, seed=SEED)
    minhash.update(sorted(shingle_set))
    return minhash.digest()


def band_keys(minhash: Sequence[int]) -> list[int]:
    """Return the LSH key of each band of a signature: a 64-bit hash of its ROWS values."""
    keys = []
    for band in range(BANDS):
        values = struct.pack(f"<{ROWS}I", *minhash[band * ROWS:(band + 1) * ROWS])
        keys.append(_key(values))
    return keys


def paragraph_keys(paragraphs: list[str]) -> list[int]:
    """Return the 64-bit hashes of the normalised paragraphs of PARAGRAPH_WORDS words or more."""
    return sorted({_key(paragraph.encode("utf-8")) for paragraph in paragraphs
                   if paragraph.count(" ") + 1 >= PARAGRAPH_WORDS})


def _key(data: bytes) -> int:
    """Return a 64-bit hash of some bytes."""
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


def similarity(first: Sequence[int], second: Sequence[int]) -> float:
    """Return the Jaccard similarity two signatures estimate: the share of equal values."""
    return sum(a == b for a, b in zip(first, second)) / len(first)


def overlap(jaccard: float, size_a: int, size_b: int) -> float:
    """Return |A∩B| from J = |A∩B| / |A∪B| and the sizes: J(|A| + |B|) / (1 + J)."""
    return jaccard * (size_a + size_b) / (1 + jaccard)


def containment(jaccard: float, size_a: int, size_b: int) -> float:
    """Return the share of the smaller set found in the larger, from J and the two sizes (at most 1)."""
    smaller = min(size_a, size_b)
    return min(1.0, overlap(jaccard, size_a, size_b) / smaller) if smaller else 0.0


def link(exact: bool, jaccard: float, size_a: int, size_b: int, *, near: float = NEAR,
         contained: float = CONTAINED, min_contained: int = MIN_CONTAINED) -> str | None:
    """Say how two texts are copies (exact, near, contained) from their hashes, J and sizes; None if not."""
    if exact:
        return "exact"
    if jaccard >= near:
        return "near"
    if min(size_a, size_b) >= min_contained and containment(jaccard, size_a, size_b) >= contained:
        return "contained"
    return None
