-- A shop's record of giving (issue 28): the years it gave before the app existed, as a worker
-- entered them (one row a year: a second entry of a year replaces it). Years the app counts
-- come from the allocations; core's `shop_record` never adds a year twice.
CREATE TABLE shop_years (
    shop_id     TEXT NOT NULL REFERENCES users(id),
    year        INTEGER NOT NULL CHECK (year BETWEEN 1990 AND 9999),
    units       INTEGER NOT NULL CHECK (units BETWEEN 1 AND 100000),
    wishes      INTEGER NOT NULL CHECK (wishes BETWEEN 0 AND units),
    note        TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL REFERENCES users(id),
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (shop_id, year)
);
-- A shop's public thank-you page (/shops/{id}) is shown only once the shop opts in.
ALTER TABLE users ADD COLUMN shop_page_public INTEGER NOT NULL DEFAULT 0
    CHECK (shop_page_public IN (0, 1));
