-- pg_syncmaster 0.1.0 → 0.2.0. Each change of the schema or of a function's SQL definition since
-- 0.1.0 comes here as well as in its part of src/sql: ./sandbox test installs 0.1.0, updates it,
-- and compares the result with a fresh install object by object (test/upgrade/).
\echo Use "ALTER EXTENSION pg_syncmaster UPDATE TO '0.2.0'" to load this file. \quit

-- list_connections() pages from an index in name order (BENCHMARKS.md, P4). CREATE INDEX blocks
-- writes to connection while it builds: a second or so per million connections.
DROP INDEX syncmaster.ix__connection__group_id;
-- A group's connections in name order (SyncMaster has (group_id) alone): list_connections() takes
-- a page straight from it, and it serves every lookup by group_id as well.
CREATE INDEX ix__connection__group_id_name ON syncmaster.connection (group_id, name);
CREATE OR REPLACE FUNCTION syncmaster.list_connections(group_id bigint, types varchar[] DEFAULT NULL,
                                            search text DEFAULT NULL, page integer DEFAULT 1,
                                            page_size integer DEFAULT 20)
RETURNS TABLE (id bigint, name varchar, description varchar, type varchar, data jsonb,
               total bigint)
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    q tsquery;
BEGIN
    PERFORM syncmaster.authorize('group', 'read', list_connections.group_id);
    PERFORM syncmaster.check_page(page, page_size);
    PERFORM syncmaster.check_input('list', 'search', search);
    q := CASE WHEN coalesce(search, '') <> '' THEN syncmaster.search_query(search) END;
    PERFORM syncmaster.check_input('connection', 'type', t) FROM unnest(types) t;
    IF q IS NULL THEN
        -- The page in name order from ix__connection__group_id_name and the total counted apart:
        -- a count(*) OVER () would read and sort every row of the group to return 20.
        RETURN QUERY
        SELECT c.id, c.name, c.description, c.type, c.data,
               (SELECT count(*) FROM syncmaster.connection n
                WHERE n.group_id = list_connections.group_id AND (types IS NULL OR n.type = ANY (types)))
        FROM syncmaster.connection c
        WHERE c.group_id = list_connections.group_id AND (types IS NULL OR c.type = ANY (types))
        ORDER BY c.name
        LIMIT page_size OFFSET (page - 1)::bigint * page_size;
        RETURN;
    END IF;
    -- @@ is not leakproof: the group filter is spelled out.
    RETURN QUERY
    SELECT c.id, c.name, c.description, c.type, c.data, count(*) OVER ()
    FROM syncmaster.connection c
    WHERE c.group_id = list_connections.group_id
      AND (types IS NULL OR c.type = ANY (types))
      AND c.search_vector @@ q
    ORDER BY ts_rank(c.search_vector, q) DESC, c.name
    LIMIT page_size OFFSET (page - 1)::bigint * page_size;
END
$$;
