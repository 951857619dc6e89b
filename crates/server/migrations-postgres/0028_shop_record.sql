-- PostgreSQL twin of migrations/0028_shop_record.sql: a shop's past years of giving, and
-- whether its thank-you page is public.
CREATE TABLE shop_years (
    shop_id     TEXT COLLATE "C" NOT NULL REFERENCES users(id),
    year        BIGINT NOT NULL CHECK (year BETWEEN 1990 AND 9999),
    units       BIGINT NOT NULL CHECK (units BETWEEN 1 AND 100000),
    wishes      BIGINT NOT NULL CHECK (wishes BETWEEN 0 AND units),
    note        TEXT NOT NULL DEFAULT '',
    recorded_by TEXT COLLATE "C" NOT NULL REFERENCES users(id),
    recorded_at TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (shop_id, year)
);
ALTER TABLE users ADD COLUMN shop_page_public BIGINT NOT NULL DEFAULT 0
    CHECK (shop_page_public IN (0, 1));
