-- hotpath workspace schema, version 1 (SQLite). Keep in step with ../postgresql/V1__workspace.sql.
-- JSON columns are TEXT holding the exact text hotpath wrote, so evidence keeps its key order.
-- created_at is ISO-8601 UTC with nine fraction digits: sorting the text sorts the instants.

CREATE TABLE runs (
    seq            INTEGER PRIMARY KEY,
    id             TEXT    NOT NULL UNIQUE,
    name           TEXT    NOT NULL,
    created_at     TEXT    NOT NULL,
    notes          TEXT    NOT NULL,
    artifact_count INTEGER NOT NULL,
    info_count     INTEGER NOT NULL,
    warning_count  INTEGER NOT NULL,
    critical_count INTEGER NOT NULL
);
CREATE INDEX runs_by_created ON runs (created_at, seq);
CREATE INDEX runs_by_name ON runs (name, created_at, seq);

CREATE TABLE artifacts (
    run_id        TEXT    NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    ordinal       INTEGER NOT NULL,
    path          TEXT    NOT NULL,
    artifact_type TEXT    NOT NULL,
    size_bytes    INTEGER NOT NULL,
    sha256        TEXT,
    attributes    TEXT    NOT NULL,
    PRIMARY KEY (run_id, ordinal)
);

CREATE TABLE findings (
    run_id         TEXT    NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    ordinal        INTEGER NOT NULL,
    rule_id        TEXT    NOT NULL,
    severity       TEXT    NOT NULL,
    category       TEXT    NOT NULL,
    title          TEXT    NOT NULL,
    summary        TEXT    NOT NULL,
    evidence       TEXT    NOT NULL,
    recommendation TEXT    NOT NULL,
    sources        TEXT    NOT NULL,
    PRIMARY KEY (run_id, ordinal)
);

CREATE TABLE summaries (
    run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    kind   TEXT NOT NULL,
    body   TEXT NOT NULL,
    PRIMARY KEY (run_id, kind)
);
