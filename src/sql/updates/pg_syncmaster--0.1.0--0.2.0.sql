-- pg_syncmaster 0.1.0 → 0.2.0. Each change of the schema or of a function's SQL definition since
-- 0.1.0 comes here as well as in its part of src/sql: ./sandbox test installs 0.1.0, updates it,
-- and compares the result with a fresh install object by object (test/upgrade/). 0.2.0 changed
-- only the library (the triggers read each row once), so nothing is to be done in SQL yet.
\echo Use "ALTER EXTENSION pg_syncmaster UPDATE TO '0.2.0'" to load this file. \quit
