-- The C++/PostgreSQL boundary, probed through the library's self-test symbols,
-- which the extension script does not expose: this file creates SQL functions for them in its own
-- transaction. Each C++ error reaches the client with its SQLSTATE, message, detail and hint; a
-- PostgreSQL error crossing C++ frames runs their destructors and keeps its own SQLSTATE; the
-- session goes on working after each.
BEGIN;
SELECT plan(22);

CREATE SCHEMA selftest;
CREATE FUNCTION selftest.raise(kind text) RETURNS text
    LANGUAGE c STRICT AS 'pg_syncmaster_probes', 'syncmaster_selftest_raise';
CREATE FUNCTION selftest.destructor_runs() RETURNS int
    LANGUAGE c STRICT AS 'pg_syncmaster_probes', 'syncmaster_selftest_destructor_runs';

-- What the client sees of an error: SQLSTATE, message, detail, hint; and how many C++
-- destructors ran on the way out.
CREATE FUNCTION selftest.caught(kind text, OUT code text, OUT message text, OUT detail text,
                                OUT hint text, OUT destructors int)
    LANGUAGE plpgsql AS $$
DECLARE
    before int := selftest.destructor_runs();
BEGIN
    BEGIN
        PERFORM selftest.raise(kind);
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS code = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
                                detail = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
    END;
    destructors := selftest.destructor_runs() - before;
END
$$;

SELECT is(selftest.raise('none'), 'ok', 'a call that throws nothing returns its value');

SELECT results_eq($$ SELECT code, message, detail, hint FROM selftest.caught('domain') $$,
                  $$ VALUES ('22023', 'selftest: a domain error', 'The detail travels.', 'So does the hint.') $$,
                  'a core::Error becomes an ERROR with its SQLSTATE, message, detail and hint');
SELECT is((SELECT destructors FROM selftest.caught('domain')), 1,
          'the frame the core::Error left ran its destructor');

SELECT results_eq($$ SELECT code, message FROM selftest.caught('postgres') $$,
                  $$ VALUES ('22012', 'division by zero') $$,
                  'a PostgreSQL error under the reverse guard surfaces with its own SQLSTATE and message');
SELECT is((SELECT destructors FROM selftest.caught('postgres')), 2,
          'both C++ frames it crossed ran their destructors');

SELECT results_eq($$ SELECT code, message, detail FROM selftest.caught('bad_alloc') $$,
                  $$ VALUES ('53200', 'out of memory', 'A C++ allocation failed in syncmaster_selftest_raise.') $$,
                  'a failed C++ allocation (std::bad_alloc) becomes 53200 out of memory');
SELECT is((SELECT destructors FROM selftest.caught('bad_alloc')), 1, 'and unwinds its frame');

SELECT results_eq($$ SELECT code, message FROM selftest.caught('std') $$,
                  $$ VALUES ('XX000', 'internal error in syncmaster_selftest_raise: selftest: a std::logic_error') $$,
                  'any other std::exception becomes XX000 naming the function');
SELECT results_eq($$ SELECT code, message FROM selftest.caught('unknown') $$,
                  $$ VALUES ('XX000', 'internal error in syncmaster_selftest_raise: an exception of unknown type') $$,
                  'an exception of no std type becomes XX000 too');
SELECT results_eq($$ SELECT code, length(message) FROM selftest.caught('long_message') $$,
                  $$ VALUES ('22023', 1023) $$,
                  'a message longer than the report buffer is cut, not overflowed');
SELECT results_eq($$ SELECT code, message FROM selftest.caught('no such kind') $$,
                  $$ VALUES ('22023', 'selftest: unknown kind "no such kind"') $$,
                  'an unknown kind is itself a clear error');

SELECT throws_ok($$ SELECT selftest.raise('domain') $$, '22023', 'selftest: a domain error',
                 'throws_ok sees the same error');
SELECT throws_ok($$ SELECT selftest.raise('postgres') $$, '22012', 'division by zero',
                 'and the PostgreSQL one');
SELECT throws_ok($$ SELECT selftest.raise('bad_alloc') $$, '53200', 'out of memory',
                 'and out of memory');
SELECT is(selftest.raise('none'), 'ok', 'after all that, the session still works');

-- Errors from the triggers and functions of the extension travel the same way.
CREATE TEMP TABLE checked (x integer CHECK (x > 0), updated_at timestamptz);
CREATE TRIGGER updated_at BEFORE UPDATE ON checked
    FOR EACH ROW EXECUTE FUNCTION syncmaster.touch_updated_at();
INSERT INTO checked VALUES (1, NULL);
SELECT throws_ok($$ UPDATE checked SET x = -1 $$, '23514', NULL,
                 'a CHECK violation after the C++ trigger ran is PostgreSQL''s own error');
SELECT throws_ok($$ SELECT syncmaster.touch_updated_at() $$, '39P01',
                 'syncmaster.touch_updated_at must be called as a trigger',
                 'a trigger function called directly refuses');
CREATE TABLE selftest.no_updated_at (id int);
CREATE TRIGGER t BEFORE UPDATE ON selftest.no_updated_at
    FOR EACH ROW EXECUTE FUNCTION syncmaster.touch_updated_at();
INSERT INTO selftest.no_updated_at VALUES (1);
SELECT throws_ok($$ UPDATE selftest.no_updated_at SET id = 2 $$, '42703',
                 'column "updated_at" of relation "no_updated_at" does not exist',
                 'a PostgreSQL error raised inside a C++ trigger keeps its SQLSTATE');
CREATE TRIGGER t_after AFTER INSERT ON selftest.no_updated_at
    FOR EACH ROW EXECUTE FUNCTION syncmaster.user_rules();
SELECT throws_ok($$ INSERT INTO selftest.no_updated_at VALUES (3) $$, '39P01',
                 'syncmaster.user_rules must be fired BEFORE, FOR EACH ROW',
                 'a trigger attached the wrong way says so');
SELECT is((SELECT count(*)::int FROM selftest.no_updated_at), 1, 'and changed nothing');

-- An error outside any subtransaction aborts the transaction, and the next one works: shown in a
-- savepoint here, at top level in sql/01_first_look.sql.
SAVEPOINT before_error;
SELECT throws_ok($$ SELECT selftest.raise('std') $$, 'XX000', NULL, 'an internal error');
ROLLBACK TO SAVEPOINT before_error;
SELECT is(selftest.raise('none'), 'ok', 'the rolled-back savepoint leaves a working session');

SELECT * FROM finish();
ROLLBACK;
