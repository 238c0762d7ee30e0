"""The store's tables, as numbered migrations applied in order; the version is kept in the file."""
from __future__ import annotations

import duckdb

# Each entry moves the schema from version i to i + 1. Never edit a released entry: append.
MIGRATIONS: list[str] = [
    # pages.content_gzip: the page's raw bytes, gzip-compressed (news HTML shrinks about 5x,
    # and so do the store's size and the writer's memory); pages.size is the raw size.
    """
    CREATE TABLE pages (
        id VARCHAR PRIMARY KEY, source VARCHAR, format VARCHAR, url VARCHAR, site VARCHAR,
        fetched VARCHAR, size BIGINT, content_gzip BLOB, status VARCHAR,
        ingested_at TIMESTAMP DEFAULT current_timestamp);
    CREATE TABLE articles (
        id VARCHAR PRIMARY KEY, source VARCHAR, url VARCHAR, site VARCHAR, section VARCHAR,
        title VARCHAR, byline VARCHAR, published VARCHAR, published_from VARCHAR,
        language VARCHAR, language_score DOUBLE, wire_source VARCHAR, canonical_url VARCHAR,
        format VARCHAR, paragraphs VARCHAR[], text VARCHAR, removed JSON, meta JSON,
        ingested_at TIMESTAMP DEFAULT current_timestamp);
    CREATE TABLE rejects (
        key VARCHAR PRIMARY KEY, page_id VARCHAR, source VARCHAR, site VARCHAR,
        reason VARCHAR, error VARCHAR, rejected_at TIMESTAMP DEFAULT current_timestamp);
    CREATE TABLE site_pages (site VARCHAR PRIMARY KEY, pages BIGINT);
    CREATE TABLE site_lines (site VARCHAR, key VARCHAR, line VARCHAR, pages BIGINT,
        PRIMARY KEY (site, key));
    CREATE TABLE entities (article_id VARCHAR, entity_id VARCHAR, name VARCHAR, type VARCHAR, data JSON);
    CREATE TABLE quotes (article_id VARCHAR, start INTEGER, "end" INTEGER, speaker VARCHAR, data JSON);
    CREATE TABLE dates (article_id VARCHAR, start INTEGER, "end" INTEGER, resolved VARCHAR, data JSON);
    CREATE TABLE events (article_id VARCHAR, type VARCHAR, actor VARCHAR, target VARCHAR, data JSON);
    """,
    # The lines learned as each site's boilerplate: seen on at least 3 of the site's pages
    # and on at least half of them. 3 so that one story and its update never teach a line;
    # half so that a footer on most pages is learned while a recurring "Related:" link is not.
    """
    CREATE VIEW site_boilerplate AS
    SELECT l.site, l.key, l.line, l.pages, p.pages AS site_pages
    FROM site_lines l JOIN site_pages p USING (site)
    WHERE l.pages >= 3 AND l.pages >= 0.5 * p.pages;
    """,
    # The annotations, one row per thing, each with offsets into its article's text.
    # Replaces the placeholder tables of migration 1, which nothing had written to. No keys:
    # a batch writes an article's annotations with the article, so the article's key
    # already makes them unique, and an index per table would cost memory for nothing.
    """
    DROP TABLE entities; DROP TABLE quotes; DROP TABLE dates; DROP TABLE events;
    CREATE TABLE entities (
        article_id VARCHAR, entity_id VARCHAR, name VARCHAR, type VARCHAR, roles VARCHAR[],
        attributes JSON, mention_count INTEGER);
    CREATE TABLE mentions (
        article_id VARCHAR, entity_id VARCHAR, start INTEGER, "end" INTEGER, text VARCHAR,
        kind VARCHAR);
    CREATE TABLE quotes (
        article_id VARCHAR, quote_id VARCHAR, start INTEGER, "end" INTEGER, text VARCHAR,
        kind VARCHAR, speaker VARCHAR, speaker_entity VARCHAR, cue VARCHAR, via VARCHAR,
        speaker_start INTEGER, speaker_end INTEGER);
    CREATE TABLE dates (
        article_id VARCHAR, start INTEGER, "end" INTEGER, text VARCHAR, resolved VARCHAR,
        granularity VARCHAR);
    CREATE TABLE events (
        article_id VARCHAR, event_id VARCHAR, type VARCHAR, actor VARCHAR, actor_entity VARCHAR,
        target VARCHAR, target_entity VARCHAR, place VARCHAR, date VARCHAR,
        evidence_start INTEGER, evidence_end INTEGER, evidence_text VARCHAR,
        negated BOOLEAN, reported_by VARCHAR);
    """,
    # Events say apart what is only possible or planned from what happened, and carry the
    # CAMEO root code of their type for users who compare with GDELT.
    """
    ALTER TABLE events ADD COLUMN hypothetical BOOLEAN DEFAULT false;
    ALTER TABLE events ADD COLUMN cameo VARCHAR;
    """,
    # The corpus passes (veille.corpus): what each has seen, and what it found across articles.
    # A pass works only on the articles it has not seen (corpus_seen), so an ingest updates the
    # groups without recomputing the corpus; `veille rebuild` empties these tables and starts over.
    # The duplicates' LSH index is kept as band keys (lsh_bands): an article's candidates are
    # the articles sharing one of its band keys, found by a join that never loads the index.
    # page_copies: a page seen again byte for byte under another source or URL (same id, so
    # stored once), kept so that an exact duplicate group can list every copy.
    """
    CREATE TABLE corpus_seen (pass VARCHAR, article_id VARCHAR, PRIMARY KEY (pass, article_id));
    CREATE TABLE page_copies (page_id VARCHAR, source VARCHAR, url VARCHAR, site VARCHAR,
        seen_at TIMESTAMP DEFAULT current_timestamp);
    CREATE TABLE text_signatures (
        article_id VARCHAR PRIMARY KEY, text_hash VARCHAR, shingles INTEGER, minhash UINTEGER[]);
    CREATE TABLE lsh_bands (band SMALLINT, key UBIGINT, article_id VARCHAR);
    CREATE TABLE duplicate_groups (
        group_id VARCHAR PRIMARY KEY, kind VARCHAR, agency VARCHAR, representative VARCHAR,
        earliest VARCHAR, sites INTEGER, members INTEGER);
    CREATE TABLE duplicate_members (
        group_id VARCHAR, article_id VARCHAR PRIMARY KEY, similarity DOUBLE, relation VARCHAR);
    CREATE TABLE canonical_entities (
        canonical_id VARCHAR PRIMARY KEY, name VARCHAR, type VARCHAR, key VARCHAR, data JSON);
    CREATE TABLE entity_links (
        article_id VARCHAR, entity_id VARCHAR, canonical_id VARCHAR, score DOUBLE,
        PRIMARY KEY (article_id, entity_id));
    CREATE TABLE story_members (story_id VARCHAR, article_id VARCHAR PRIMARY KEY, score DOUBLE);
    CREATE TABLE event_members (
        merged_id VARCHAR, article_id VARCHAR, event_id VARCHAR, PRIMARY KEY (article_id, event_id));
    """,
    # Stories and merged events keep what a later article is compared with, so that it is never
    # read again from the annotation tables: story_keys holds each article's entity keys (kind
    # 'entity', weight = salience x rarity when the article was taken in, unit length per
    # article) and event signatures (kind 'event'), rows written in publication order so that a
    # window on `published` skips most of the file; story_key_counts holds how many articles
    # hold each key (the rarity's counts). merged_events holds each merged event's signature
    # (type, canonical sides, flags), its own date and its first report's publication day.
    """
    CREATE TABLE story_keys (published DATE, article_id VARCHAR, kind VARCHAR, key VARCHAR, weight DOUBLE);
    CREATE TABLE story_key_counts (key VARCHAR PRIMARY KEY, articles INTEGER);
    CREATE TABLE merged_events (
        merged_id VARCHAR PRIMARY KEY, signature VARCHAR, date VARCHAR, published DATE);
    """,
    # Names across articles (veille.corpus.names): the blocking keys of each canonical entity
    # (a person's surname skeleton, the alias-resolved key of a place or organisation), so that
    # a new entity's candidates come from a join on its own keys, never from a scan of them all.
    """
    CREATE TABLE name_blocks (block VARCHAR, canonical_id VARCHAR);
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    """Return the schema version of an open store (0 for an empty file)."""
    con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER)")
    row = con.execute("SELECT max(version) FROM schema_version").fetchone()
    return row[0] or 0


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply the migrations the store lacks, each in its own transaction; return the version."""
    version = current_version(con)
    for number in range(version, SCHEMA_VERSION):
        con.begin()
        con.execute(MIGRATIONS[number])
        con.execute("INSERT INTO schema_version VALUES (?)", [number + 1])
        con.commit()
    return SCHEMA_VERSION
