"""Synthetic news corpora for the corpus-pass benchmarks: seeded, day by day, written through the one writer.

The corpus has the shapes the corpus passes look for, without any model: French and English
texts of about 600 words drawn from a word list, about 200 sites, wire stories copied to 2 to 20
sites (some trimmed, some with a local introduction), exact duplicates under another address,
stories (independent articles on one happening, across languages, over up to three days),
entities drawn from Zipf pools of people, organisations and places, with spelling variants
(French and English transliterations, accents dropped) and namesakes, and 0 to 5 PLOVER events
per article whose actors and targets are the article's entities, their evidence a sentence of
the text. Everything an article holds is a function of the seed, its day and its place in the
day, so a later day can carry late wire copies and follow-ups of earlier days' stories.

`write_corpus(path, n)` spreads n articles over DAYS days (loaded column by column, see
load_days); `write_day(path, n, day)` adds one more day of n articles through the store's
writer, which is how the benchmark times an incremental update.
"""
from __future__ import annotations

import functools
import itertools
import random
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib.resources import files

from veille.nlp.entities import entity_id
from veille.records import Article, DateRef, Entity, Event, Mention, Page, Quote, Span, content_id
from veille.store.writer import StoreWriter, _article_row, _page_row, annotation_rows

SEED = 20261130
DAYS = 60  # the corpus spans two months of news, so the passes' time windows see many days
FIRST_DAY = date(2026, 9, 1)
SITE_COUNT = 200
BATCH = 1000  # articles per writer transaction

# Shares of the articles, by what they are. Wire copies and exact duplicates as the task's
# brief sets them (15 % and 2 %); a quarter of the articles report a happening that other
# articles report too; the rest are stories of their own.
COPY_SHARE = 0.15
DUPLICATE_SHARE = 0.02
STORY_SHARE = 0.25
STORY_SIZES = range(2, 7)  # independent articles per happening on its first day
COPY_COUNTS = range(2, 21)  # sites that take one wire story, drawn with weight 1/count
LATE_WIRES = 3  # the previous day's first wire stories, copied again by late sites
PARAGRAPHS = range(5, 8)  # 5 to 7 paragraphs of 80 to 110 words: about 600 words
PARAGRAPH_WORDS = range(80, 111)
AGENCIES = {"fr": ("AFP", "Reuters"), "en": ("Reuters", "AP", "AFP")}
LANGUAGES = ("fr", "en")
FRENCH_SHARE = 0.6

FUNCTION_WORDS = {
    "fr": ("le la les de des du un une et à en dans pour sur par avec que qui est a ont sont au aux ce "
           "cette il elle ils plus pas ne se son sa ses leur été être selon après avant entre contre lors "
           "depuis mais ou donc comme aussi très tout tous deux trois mardi lundi hier mois année").split(),
    "en": ("the of and to in a for on with that is was by at from as it its has have were are be an this "
           "which after before between against during since but or also more not two three Monday Tuesday "
           "yesterday month year said would will could they their").split(),
}
SYLLABLES = {
    "fr": ("ba cha té ment ion eau ou ré con pro gou ver nal lique eur mi sé ral tou pé dé vi ta "
           "ron gna quel ceau fran mon lai rou gé").split(),
    "en": ("ing tion ber ster ward ship ly con ex pro ment al er ow ham ton ley ick ford war cast "
           "light stone mark bri dge sum hold land").split(),
}
VOCABULARY = 6000  # content words per language, drawn with Zipf weights
# Sounds spelled differently in French and English transliteration, as in Choïgou / Shoigu:
# (French, English, alternative English); names alternate consonants and vowels.
VOWELS = (("ou", "u", "oo"), ("ï", "i", "y"), ("é", "e", "e"), ("a", "a", "a"), ("o", "o", "o"),
          ("i", "i", "i"), ("e", "e", "e"), ("ia", "ia", "ya"))
CONSONANTS = (("ch", "sh", "sh"), ("dj", "j", "dj"), ("kh", "kh", "h"), ("k", "k", "k"), ("v", "v", "w"),
              ("m", "m", "m"), ("n", "n", "n"), ("r", "r", "r"), ("s", "s", "s"), ("t", "t", "t"),
              ("l", "l", "l"), ("b", "b", "b"), ("d", "d", "d"), ("g", "g", "g"))
ENDINGS = (("", "", ""), ("", "", ""), ("ov", "ov", "off"), ("n", "n", "n"), ("r", "r", "r"), ("iev", "yev", "iev"))
POOL = {"PER": 4000, "ORG": 800, "LOC": 600}
NAMESAKE_SHARE = 0.03  # persons who bear another person's full name
ALTERNATIVE_SHARE = 0.15  # mentions in another spelling (accents dropped, another transliteration)


@dataclass(slots=True)
class Named:
    """One real-world entity of the synthetic world: its spellings per language and its usual company."""

    kind: str
    forms: dict[str, str]  # language -> spelling
    variants: tuple[str, ...] = ()  # other spellings a writer may use
    home: tuple[int, ...] = ()  # indexes of the place and organisation it usually comes with


@dataclass(slots=True)
class World:
    """The pools every article draws from: vocabularies, sites and entities, with their Zipf weights."""

    words: dict[str, list[str]]
    weights: dict[str, list[float]]  # cumulative, per language
    sites: list[str]
    site_weights: list[float]
    entities: dict[str, list[Named]]
    entity_weights: dict[str, list[float]]
    event_types: list[tuple[str, str]]  # (PLOVER type, CAMEO root)


@dataclass(slots=True)
class Piece:
    """A paragraph under construction: its text and annotations at offsets inside it."""

    text: str = ""
    mentions: list[tuple[int, int, int, str]] = field(default_factory=list)  # (entity slot, start, end, text)
    events: list[tuple[str, int, int | None, int, int]] = field(default_factory=list)  # (type, actor, target, start, end)
    quotes: list[tuple[int, int, int]] = field(default_factory=list)  # (speaker slot, start, end)


@dataclass(slots=True)
class Draft:
    """An article before it has offsets: its paragraphs and the entities its slots refer to."""

    language: str
    title: str
    cast: list[tuple[str, int, str]]  # slot -> (kind, pool index, spelling used)
    pieces: list[Piece]
    event_date: str
    wire: str | None = None


@dataclass(slots=True)
class Tally:
    """How many articles of each kind a run wrote."""

    kinds: Counter = field(default_factory=Counter)
    entities: int = 0
    events: int = 0

    def to_dict(self) -> dict:
        """Return the counts as JSON-ready values."""
        return {"articles": sum(self.kinds.values()), "kinds": dict(self.kinds), "entities": self.entities,
                "events": self.events}


def _zipf(count: int, exponent: float = 1.07) -> list[float]:
    """Return cumulative Zipf weights for ranks 1..count (1.07: a news vocabulary's usual slope)."""
    return list(itertools.accumulate(1 / (rank ** exponent) for rank in range(1, count + 1)))


@functools.cache
def world(seed: int = SEED) -> World:
    """Return the synthetic world of a seed (made once per process)."""
    rng = random.Random(f"{seed}:world")
    words = {language: _vocabulary(rng, language) for language in LANGUAGES}
    sites = [f"{_word(rng, SYLLABLES[LANGUAGES[i % 2]], 2, 3)}{i}.example" for i in range(SITE_COUNT)]
    entities = {kind: [_named(rng, kind) for _ in range(size)] for kind, size in POOL.items()}
    _add_homes(rng, entities)
    _add_namesakes(rng, entities["PER"])
    return World(words, {language: _zipf(len(words[language])) for language in LANGUAGES}, sites,
                 _zipf(SITE_COUNT, 0.8), entities, {kind: _zipf(len(pool)) for kind, pool in entities.items()},
                 _event_types())


def _vocabulary(rng: random.Random, language: str) -> list[str]:
    """Return a language's word list: its function words first (the most frequent), then made-up words."""
    made: dict[str, None] = {}
    while len(made) < VOCABULARY:
        made[_word(rng, SYLLABLES[language], 2, 4)] = None
    return FUNCTION_WORDS[language] + list(made)


def _word(rng: random.Random, syllables: list[str], low: int, high: int) -> str:
    """Return a made-up word of low to high syllables."""
    return "".join(rng.choice(syllables) for _ in range(rng.randint(low, high)))


def _named(rng: random.Random, kind: str) -> Named:
    """Return a new entity: a person's first and last names, or a one- or two-word name."""
    parts = 2 if kind == "PER" else rng.choice((1, 1, 2))
    sounds = [[sound for _ in range(rng.randint(1, 3)) for sound in (rng.choice(CONSONANTS), rng.choice(VOWELS))]
              + [rng.choice(ENDINGS)] for _ in range(parts)]
    fr, en, alternative = (" ".join("".join(s[i] for s in word).capitalize() for word in sounds) for i in range(3))
    variants = tuple(dict.fromkeys(v for v in (alternative, _unaccented(fr)) if v not in (fr, en)))
    return Named(kind, {"fr": fr, "en": en}, variants)


def _unaccented(name: str) -> str:
    """Return a name with its French accents dropped, as some sites print it."""
    return name.translate(str.maketrans("éèêëïîôàç", "eeeeiioac"))


def _add_homes(rng: random.Random, entities: dict[str, list[Named]]) -> None:
    """Give each person a usual place and organisation, drawn like any mention."""
    for person in entities["PER"]:
        person.home = (rng.randrange(len(entities["LOC"])), rng.randrange(len(entities["ORG"])))


def _add_namesakes(rng: random.Random, people: list[Named]) -> None:
    """Give some persons the full name of another, who keeps a home of their own."""
    for index in rng.sample(range(len(people)), int(NAMESAKE_SHARE * len(people))):
        other = people[rng.randrange(len(people))]
        people[index].forms, people[index].variants = dict(other.forms), other.variants


@functools.cache
def _event_types() -> list[tuple[str, str]]:
    """Return the PLOVER event types and their main CAMEO roots, from the annotate stage's data file."""
    data = tomllib.loads(files("veille.nlp").joinpath("data/events.toml").read_text(encoding="utf-8"))
    return [(name, value["cameo"][0]) for name, value in data.items() if isinstance(value, dict) and "cameo" in value]


class Writer:
    """Compose the sentences and paragraphs of drafts from a world, with one random stream."""

    def __init__(self, the_world: World, rng: random.Random):
        self.world, self.rng = the_world, rng

    def words(self, language: str, count: int) -> list[str]:
        """Return count words of a language, drawn with Zipf weights."""
        return self.rng.choices(self.world.words[language], cum_weights=self.world.weights[language], k=count)

    def sentence(self, language: str, low: int = 10, high: int = 22) -> str:
        """Return a sentence of low to high words."""
        words = self.words(language, self.rng.randint(low, high))
        return " ".join(words).capitalize() + "."

    def entity(self, kind: str) -> int:
        """Return the pool index of an entity of a kind, drawn with Zipf weights."""
        pool = self.world.entities[kind]
        return self.rng.choices(range(len(pool)), cum_weights=self.world.entity_weights[kind])[0]

    def spelling(self, kind: str, index: int, language: str) -> str:
        """Return how this article spells an entity: its language's form, sometimes a variant."""
        named = self.world.entities[kind][index]
        if named.variants and self.rng.random() < ALTERNATIVE_SHARE:
            return self.rng.choice(named.variants)
        return named.forms[language]

    def cast(self, language: str, core: list[tuple[str, int]]) -> list[tuple[str, int, str]]:
        """Return an article's entities: the core ones, then its own, persons with their usual company."""
        chosen = list(core)
        for kind, low, high in (("PER", 1, 4), ("ORG", 1, 3), ("LOC", 1, 2)):
            chosen += [(kind, self.entity(kind)) for _ in range(self.rng.randint(low, high))]
        for kind, index in list(chosen):
            if kind == "PER" and self.rng.random() < 0.6:
                place, org = self.world.entities["PER"][index].home
                chosen += [("LOC", place), ("ORG", org)]
        unique = list(dict.fromkeys(chosen))
        return [(kind, index, self.spelling(kind, index, language)) for kind, index in unique]

    def piece(self, language: str, slots: list[int], cast: list, event: tuple | None = None,
              quote: int | None = None) -> Piece:
        """Return a paragraph that names the given slots, states an event and quotes a person."""
        piece, target = Piece(), self.rng.choice(PARAGRAPH_WORDS)
        if event is not None:
            self._event_sentence(piece, language, cast, event)
        for slot in slots:
            self._named_sentence(piece, language, slot, cast)
        if quote is not None:
            start = len(piece.text) + (1 if piece.text else 0)
            self._append(piece, "« " + self.sentence(language, 8, 14) + " »")
            piece.quotes.append((quote, start, len(piece.text)))
        while len(piece.text.split()) < target:
            self._append(piece, self.sentence(language))
        return piece

    def _append(self, piece: Piece, text: str) -> int:
        """Add a sentence to a paragraph; return where it starts."""
        start = len(piece.text) + (1 if piece.text else 0)
        piece.text = f"{piece.text} {text}" if piece.text else text
        return start

    def _named_sentence(self, piece: Piece, language: str, slot: int, cast: list) -> None:
        """Add a sentence that names one entity; persons named again later by surname alone."""
        kind, _, name = cast[slot]
        before, after = self.words(language, self.rng.randint(2, 6)), self.words(language, self.rng.randint(4, 12))
        start = self._append(piece, " ".join(before).capitalize() + " " + name + " " + " ".join(after) + ".")
        offset = start + len(" ".join(before)) + 1
        piece.mentions.append((slot, offset, offset + len(name), name))
        if kind == "PER" and self.rng.random() < 0.5:
            surname = name.split()[-1]
            start = self._append(piece, surname + " " + " ".join(self.words(language, self.rng.randint(6, 14))) + ".")
            piece.mentions.append((slot, start, start + len(surname), surname))

    def _event_sentence(self, piece: Piece, language: str, cast: list, event: tuple[str, int, int | None]) -> None:
        """Add the sentence that states an event: its actor, a verb, its target."""
        kind, actor, target = event
        parts = [cast[actor][2], *self.words(language, self.rng.randint(2, 5))]
        if target is not None:
            parts.append(cast[target][2])
        parts += self.words(language, self.rng.randint(3, 9))
        start = self._append(piece, " ".join(parts) + ".")
        piece.mentions.append((actor, start, start + len(cast[actor][2]), cast[actor][2]))
        if target is not None:
            at = piece.text.index(cast[target][2], start + len(cast[actor][2]))
            piece.mentions.append((target, at, at + len(cast[target][2]), cast[target][2]))
        piece.events.append((kind, actor, target, start, len(piece.text)))

    def draft(self, language: str, core: list[tuple[str, int]], core_event: tuple[str, int, int] | None,
              event_date: str, wire: str | None = None) -> Draft:
        """Return an article on a happening: its core entities and event first, then its own."""
        cast = self.cast(language, core)
        events = [core_event] if core_event else []
        events += [self._event(cast) for _ in range(self.rng.randint(0, 5 - len(events)))]
        count = self.rng.choice(PARAGRAPHS)
        slots: list[list[int]] = [[] for _ in range(count)]
        for slot in range(len(cast)):
            slots[0 if slot < len(core) else self.rng.randrange(count)].append(slot)
        placed: list[list] = [[] for _ in range(count)]
        for number, event in enumerate(events):
            placed[0 if number == 0 and core_event else self.rng.randrange(count)].append(event)
        people = [slot for slot, (kind, _, _) in enumerate(cast) if kind == "PER"]
        speakers = {self.rng.randrange(count): self.rng.choice(people) for _ in range(self.rng.randint(0, 2))}
        pieces = []
        for number in range(count):
            pieces.append(self.piece(language, slots[number], cast, placed[number][0] if placed[number] else None,
                                     speakers.get(number)))
            for event in placed[number][1:]:  # a second event in a paragraph gets a paragraph of its own
                pieces.append(self.piece(language, [], cast, event))
        title = " ".join(self.words(language, self.rng.randint(6, 11))).capitalize()
        return Draft(language, title, cast, pieces, event_date, wire)

    def _event(self, cast: list) -> tuple[str, int, int | None]:
        """Return an event between two of an article's parties (persons, organisations or places)."""
        kind = self.rng.choice(self.world.event_types)[0]
        actor = self.rng.randrange(len(cast))
        others = [slot for slot in range(len(cast)) if slot != actor]
        target = self.rng.choice(others) if others and self.rng.random() < 0.8 else None
        return kind, actor, target


def article(draft: Draft, site: str, url: str, published: str, pieces: list[Piece] | None = None,
            cast: list | None = None, title: str | None = None) -> tuple[Page, Article]:
    """Return the page and article of a draft (or of some of its paragraphs), offsets made."""
    pieces, cast = pieces if pieces is not None else draft.pieces, cast if cast is not None else draft.cast
    title = title or draft.title
    text = "\n\n".join(piece.text for piece in pieces)
    page = Page(source=url, content=f"{url}\n{title}\n\n{text}", format="article", url=url, site=site,
                published=published)
    found = Article(id=page.id, source=url, url=url, site=site, title=title, published=published,
                    published_from="html", language=draft.language, language_score=0.99, wire_source=draft.wire,
                    canonical_url=url, format="article", paragraphs=[piece.text for piece in pieces])
    _annotate(found, pieces, cast, draft.event_date)
    return page, found


def _annotate(found: Article, pieces: list[Piece], cast: list, event_date: str) -> None:
    """Fill an article's entities, quotes, events and dates from its paragraphs' annotations."""
    entities: dict[int, Entity] = {}
    offset = 0
    for piece in pieces:
        for slot, start, end, text in piece.mentions:
            kind, _, name = cast[slot]
            if slot not in entities:
                entities[slot] = Entity(entity_id(kind, name), name, kind)
            entities[slot].mentions.append(Mention(offset + start, offset + end, text))
        for slot, start, end in piece.quotes:
            speaker = entities.get(slot) or Entity(entity_id("PER", cast[slot][2]), cast[slot][2], "PER")
            found.quotes.append(Quote(content_id(f"{offset + start}:{offset + end}"), piece.text[start:end],
                                      offset + start, offset + end, "direct", speaker.name, speaker.id))
        for kind, actor, target, start, end in piece.events:
            found.events.append(_event(kind, entities[actor], entities.get(target) if target is not None else None,
                                       Span(offset + start, offset + end, piece.text[start:end]), cast, event_date))
        offset += len(piece.text) + 2
    found.entities = list(entities.values())
    text = found.text
    for word in ("hier", "yesterday"):
        at = text.find(f" {word} ")
        if at >= 0:
            found.dates.append(DateRef(word, at + 1, at + 1 + len(word), event_date, "day"))


def _event(kind: str, actor: Entity, target: Entity | None, evidence: Span, cast: list, event_date: str) -> Event:
    """Return an event record: its parties, its article's first place and the happening's date."""
    place = next((name for slot_kind, _, name in cast if slot_kind == "LOC"), None)
    return Event(kind, actor.name, target.name if target else None, evidence, actor_entity=actor.id,
                 target_entity=target.id if target else None, place=place, date=event_date,
                 cameo=_cameo(kind))


@functools.cache
def _cameo(kind: str) -> str:
    """Return the CAMEO root of a PLOVER type."""
    return dict(_event_types())[kind]


def day_name(day: int) -> str:
    """Return the ISO date of a corpus day."""
    return (FIRST_DAY + timedelta(days=day)).isoformat()


class Day:
    """One day's articles: late wire copies, wire stories and their copies, stories, singles, duplicates."""

    def __init__(self, count: int, day: int, seed: int):
        self.count, self.day, self.seed = count, day, seed
        self.world = world(seed)
        self.rng = random.Random(f"{seed}:day:{day}:{count}")
        self.made: list[tuple[str, Page, Article]] = []
        self.published = day_name(day)

    def articles(self) -> list[tuple[str, Page, Article]]:
        """Return the day's articles, each with its kind, count of them exactly."""
        copies, stories = round(self.count * COPY_SHARE), round(self.count * STORY_SHARE)
        room = self.count - round(self.count * DUPLICATE_SHARE)
        for k in range(LATE_WIRES):
            self._copies(self.day - 1, k, self._wire(self.day - 1, k), min(1, copies - self._kind("wire copy")), late=True)
        for k in itertools.count():
            left = copies - self._kind("wire copy")
            if left <= 0 or len(self.made) >= room:
                break
            self._wire_story(k, left)
        for k in itertools.count():
            left = min(stories - self._kind("story member"), room - len(self.made))
            if left <= 0:
                break
            self._story(k, left)
        for k in itertools.count():
            if len(self.made) >= room:
                break
            self._single(k)
        while len(self.made) < self.count:
            self._duplicate()
        return self.made

    def _kind(self, kind: str) -> int:
        """Return how many articles of a kind the day has so far."""
        return sum(1 for made, _, _ in self.made if made == kind)

    def _sites(self, count: int, exclude: set[str] = frozenset()) -> list[str]:
        """Return count different sites, drawn with Zipf weights."""
        chosen: dict[str, None] = {}
        while len(chosen) < count:
            site = self.rng.choices(self.world.sites, cum_weights=self.world.site_weights)[0]
            if site not in exclude:
                chosen[site] = None
        return list(chosen)

    def _add(self, kind: str, pair: tuple[Page, Article]) -> None:
        """Keep one made article with its kind."""
        self.made.append((kind, *pair))

    def _wire(self, day: int, k: int) -> tuple[Draft, str]:
        """Return wire story k of a day (the same on every call) and the site that ran it first."""
        rng = random.Random(f"{self.seed}:wire:{day}:{k}")
        language = "fr" if rng.random() < FRENCH_SHARE else "en"
        core, event = happening(self.world, self.seed, day, k)
        draft = Writer(self.world, rng).draft(language, core, event, day_name(day), rng.choice(AGENCIES[language]))
        return draft, rng.choices(self.world.sites, cum_weights=self.world.site_weights)[0]

    def _wire_story(self, k: int, left: int) -> None:
        """Add a wire story run by its first site, and its copies on other sites."""
        draft, site = self._wire(self.day, k)
        self._add("wire original", article(draft, site, f"https://{site}/{self.published}/wire-{k}", self.published))
        weights = [1 / count for count in COPY_COUNTS]
        self._copies(self.day, k, (draft, site), min(left, self.rng.choices(COPY_COUNTS, weights)[0]))

    def _copies(self, day: int, k: int, wire: tuple[Draft, str], count: int, late: bool = False) -> None:
        """Add copies of a wire story: half verbatim, a quarter trimmed, a quarter with a local introduction."""
        draft, first = wire
        for number, site in enumerate(self._sites(count, {first}) if count > 0 else []):
            url = f"https://{site}/{self.published}/wire-{day}-{k}-{number}"
            published = self.published if late or self.rng.random() < 0.7 else day_name(self.day + 1)
            self._add("wire copy", self._copy(draft, site, url, published))

    def _copy(self, draft: Draft, site: str, url: str, published: str) -> tuple[Page, Article]:
        """Return one site's copy of a wire story."""
        roll = self.rng.random()
        if roll < 0.5:
            return article(draft, site, url, published)
        if roll < 0.75:
            return article(draft, site, url, published, pieces=draft.pieces[:self.rng.randint(3, len(draft.pieces) - 1)])
        writer = Writer(self.world, self.rng)
        cast = draft.cast + [("PER", writer.entity("PER"), "")]
        cast[-1] = ("PER", cast[-1][1], writer.spelling("PER", cast[-1][1], draft.language))
        intro = writer.piece(draft.language, [len(cast) - 1], cast)
        title = draft.title if self.rng.random() < 0.5 else writer.sentence(draft.language, 6, 11)[:-1]
        return article(draft, site, url, published, pieces=[intro, *draft.pieces], cast=cast, title=title)

    def _story(self, k: int, left: int) -> None:
        """Add independent articles on one happening: today's, or a follow-up of one of the last two days'."""
        lag = self.rng.choices((0, 1, 2), (0.6, 0.3, 0.1))[0]
        core, event = happening(self.world, self.seed, self.day - lag, k)
        count = min(left, self.rng.choice(STORY_SIZES))
        for number, site in enumerate(self._sites(count)):
            rng = random.Random(f"{self.seed}:story:{self.day}:{k}:{number}")
            language = "fr" if rng.random() < FRENCH_SHARE else "en"
            draft = Writer(self.world, rng).draft(language, core, event, day_name(self.day - lag))
            self._add("story member", article(draft, site, f"https://{site}/{self.published}/story-{k}-{number}",
                                              self.published))

    def _single(self, k: int) -> None:
        """Add an article on a happening no other article reports."""
        rng = random.Random(f"{self.seed}:single:{self.day}:{k}")
        language = "fr" if rng.random() < FRENCH_SHARE else "en"
        draft = Writer(self.world, rng).draft(language, [], None, self.published)
        site = self._sites(1)[0]
        self._add("single", article(draft, site, f"https://{site}/{self.published}/single-{k}", self.published))

    def _duplicate(self) -> None:
        """Add an earlier article of the day again, byte for byte, under another address."""
        _, _, original = self.rng.choice([made for made in self.made if made[0] != "exact duplicate"])
        site = original.site if self.rng.random() < 0.5 else self._sites(1)[0]
        url = f"https://{site}/{self.published}/copy-{len(self.made)}"
        page = Page(source=url, content=f"{url}\n{original.text}", format="article", url=url, site=site,
                    published=original.published)
        copy = Article(**{name: getattr(original, name) for name in Article.__slots__})
        copy.id, copy.source, copy.url, copy.site, copy.canonical_url = page.id, url, url, site, url
        self._add("exact duplicate", (page, copy))


def happening(the_world: World, seed: int, day: int, k: int) -> tuple[list[tuple[str, int]], tuple[str, int, int]]:
    """Return happening k of a day: its core entities (two persons, an organisation, a place) and its event."""
    writer = Writer(the_world, random.Random(f"{seed}:happening:{day}:{k}"))
    core = list(dict.fromkeys([("PER", writer.entity("PER")), ("PER", writer.entity("PER")),
                               ("ORG", writer.entity("ORG")), ("LOC", writer.entity("LOC"))]))
    kind = writer.rng.choice(the_world.event_types)[0]
    return core, (kind, 0, writer.rng.randrange(1, len(core)))


def write_day(path: str, count: int, day: int, *, seed: int = SEED) -> Tally:
    """Add one day of count articles to the store at path; return what was written."""
    return write_days(path, {day: count}, seed=seed)


def write_corpus(path: str, count: int, *, seed: int = SEED, days: int = DAYS) -> Tally:
    """Write count articles spread over days days into the store at path; return what was written."""
    return load_days(path, {day: count // days + (day < count % days) for day in range(days)}, seed=seed)


def write_days(path: str, counts: dict[int, int], *, seed: int = SEED) -> Tally:
    """Write each day's articles through the store's writer, BATCH articles a transaction."""
    tally, pending = Tally(), []
    with StoreWriter(path) as writer:
        for day, count in counts.items():
            for kind, page, found in Day(count, day, seed).articles():
                tally.kinds[kind] += 1
                tally.entities += len(found.entities)
                tally.events += len(found.events)
                pending.append((page, found))
                if len(pending) >= BATCH:
                    writer.write_batch(pending)
                    pending = []
        if pending:
            writer.write_batch(pending)
    return tally


def load_days(path: str, counts: dict[int, int], *, seed: int = SEED) -> Tally:
    """Load each day's articles straight into the store's tables: the writer's rows, column by column.

    The same rows as write_days (made by the writer's own row functions), bound as one list per
    column instead of the writer's multi-row VALUES: on the shared 2-core machine the writer
    took 12 ms an article (55 % of it binding values), so 100k articles took over an hour
    through it and a few minutes this way. The articles are as stored by an ingest without
    its corpus passes; write_days keeps the writer's path for the added days that are timed.
    """
    tally = Tally()
    with StoreWriter(path) as writer:
        for day, count in counts.items():
            made = Day(count, day, seed).articles()
            for start in range(0, len(made), BATCH):
                _load_batch(writer.con, made[start:start + BATCH], tally)
    return tally


def _load_batch(con, made: list[tuple[str, Page, Article]], tally: Tally) -> None:
    """Insert one batch of pages, articles and annotations in one transaction."""
    articles = [found for _, _, found in made]
    tables = {"pages": [_page_row(page, found) for _, page, found in made],
              "articles": [_article_row(found) for found in articles], **annotation_rows(articles)}
    con.begin()
    for table, rows in tables.items():
        if rows:
            columns = [list(column) for column in zip(*rows)]
            selects = ", ".join(f"unnest(${number + 1})" for number in range(len(columns)))
            con.execute(f"INSERT INTO {table} SELECT {selects}", columns)
    con.commit()
    for kind, _, found in made:
        tally.kinds[kind] += 1
        tally.entities += len(found.entities)
        tally.events += len(found.events)
