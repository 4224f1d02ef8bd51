-- Search indexes that answer incremental linking's questions ("which mentions of this name, of
-- this first-level unit, which incidents, which waves meet these days?") from the index alone and
-- without scanning years of history. Most windows are short (a day, the fortnight before an
-- undated report, a wave of a week): those are found through (key, day_min) within a bounded
-- look-back of 40 days (`vigil_store` SHORT_SPAN_DAYS); the few longer ones (a month, a year) have
-- partial indexes of their own, searched by their last day, so that no window is ever missed
-- whatever its length.
DROP INDEX mentions_name;
DROP INDEX mentions_admin;
CREATE INDEX mentions_name ON mentions (name_key, day_min, day_max) WHERE name_key IS NOT NULL;
CREATE INDEX mentions_name_long ON mentions (name_key, day_max)
    WHERE name_key IS NOT NULL AND day_max - day_min > 40;
CREATE INDEX mentions_admin ON mentions (admin_key, day_min, day_max, coarse)
    WHERE admin_key IS NOT NULL;
CREATE INDEX mentions_admin_long ON mentions (admin_key, day_max, coarse)
    WHERE admin_key IS NOT NULL AND day_max - day_min > 40;

DROP INDEX incidents_days;
DROP INDEX incidents_waves;
CREATE INDEX incidents_days ON incidents (day_min, day_max);
CREATE INDEX incidents_days_long ON incidents (day_max) WHERE day_max - day_min > 40;
CREATE INDEX incidents_waves ON incidents (day_min, day_max) WHERE aggregate = 1;
CREATE INDEX incidents_waves_long ON incidents (day_max)
    WHERE aggregate = 1 AND day_max - day_min > 40;
