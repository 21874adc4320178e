-- Included by bench scripts (psql -v schema=... -v lib=...): schema.time_query(query, runs), the
-- p50 and p95 in ms of `runs` executions of a query (each after one warming run), in a PL/pgSQL
-- loop: no client round trip.
CREATE FUNCTION :"schema".time_query(query text, runs int, OUT p50_ms float8, OUT p95_ms float8)
    LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz;
    samples float8[] := '{}';
BEGIN
    EXECUTE 'SELECT count(*) FROM (' || query || ') q';
    FOR i IN 1 .. runs LOOP
        t0 := clock_timestamp();
        EXECUTE 'SELECT count(*) FROM (' || query || ') q';
        samples := samples || extract(epoch FROM clock_timestamp() - t0) * 1000;
    END LOOP;
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY s), percentile_cont(0.95) WITHIN GROUP (ORDER BY s)
    INTO p50_ms, p95_ms FROM unnest(samples) s;
END $$;
GRANT EXECUTE ON FUNCTION :"schema".time_query(text, int) TO PUBLIC;
