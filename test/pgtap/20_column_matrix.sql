-- The column matrix: every column of every table × UPDATE, and every table × INSERT and DELETE,
-- × every actor (the system, a syncmaster superuser, the group's owner, a Maintainer, a Developer,
-- a Guest, a user of no group), each reached through SET ROLE and through an application's
-- session naming it. The expected outcome of each case is computed, not written down: from
-- syncmaster.column_rights() (the declaration the rules triggers apply) and the permission table
-- (who may see, change, create and delete each table's rows). It replaces no other test: it is the
-- proof that the declaration is what runs. Each case runs in a subtransaction rolled back.
--
-- auth_data, credential_access and the kept totals (user_total, run_total) have no privilege for
-- any role but their owner (auth_data: and the system): every user is refused by PostgreSQL
-- itself, and only the extension's own functions and triggers (as the owner) write them.
BEGIN;

CREATE ROLE regress_x_root LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_x_owner LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_x_maint LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_x_dev LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_x_guest LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_x_stranger LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_x_svc LOGIN IN ROLE syncmaster_service;
CREATE ROLE regress_x_app LOGIN IN ROLE syncmaster_app;

-- The fixture, made by the system, with fixed ids where a case names a row.
INSERT INTO syncmaster."user" (id, username, is_superuser) VALUES
    (951, 'regress_x_root', true), (952, 'regress_x_owner', false), (953, 'regress_x_maint', false),
    (954, 'regress_x_dev', false), (955, 'regress_x_guest', false), (956, 'regress_x_stranger', false),
    (957, 'regress_x_spare', false);
INSERT INTO syncmaster."group" (id, name, owner_id) VALUES
    (9501, 'regress_x_team', 952), (9502, 'regress_x_elsewhere', 956), (9503, 'regress_x_second', 952);
INSERT INTO syncmaster.user_group (user_id, group_id, role) VALUES
    (953, 9501, 'Maintainer'), (954, 9501, 'Developer'), (955, 9501, 'Guest');
SELECT syncmaster.create_connection(9501, 'regress_x_used', 'postgres', '{"host": "h", "database_name": "d"}',
         '{"type": "basic", "user": "u", "password": "p"}') AS used \gset
SELECT syncmaster.create_connection(9501, 'regress_x_free', 'postgres', '{"host": "h", "database_name": "d"}',
         '{"type": "basic", "user": "u", "password": "p"}') AS free \gset
SELECT syncmaster.create_queue(9501, 'regress x queue') AS queue \gset
SELECT syncmaster.create_queue(9501, 'regress x spare queue') AS queue2 \gset
SELECT syncmaster.create_transfer(9501, 'regress_x_transfer', :used, :used, :queue,
         '{"type": "postgres", "table_name": "a.b"}', '{"type": "postgres", "table_name": "a.c"}',
         schedule => '@daily') AS transfer \gset
SELECT syncmaster.create_transfer(9501, 'regress_x_other', :used, :used, :queue,
         '{"type": "postgres", "table_name": "a.b"}', '{"type": "postgres", "table_name": "a.c"}') AS transfer2 \gset
SELECT syncmaster.start_run(:transfer) AS run \gset

-- The actors: who each is, and its standing in group 9501 (the level of the permission table:
-- 0 none, 1 read, 2 write, 3 delete; 4 marks the owner, 5 a superuser or the system).
CREATE TEMP TABLE actors (ord int, actor text, role_name text, username text, standing int);
INSERT INTO actors VALUES
    (1, 'system', NULL, NULL, 5), (2, 'superuser', 'regress_x_root', 'regress_x_root', 5),
    (3, 'owner', 'regress_x_owner', 'regress_x_owner', 4), (4, 'Maintainer', 'regress_x_maint', 'regress_x_maint', 3),
    (5, 'Developer', 'regress_x_dev', 'regress_x_dev', 2), (6, 'Guest', 'regress_x_guest', 'regress_x_guest', 1),
    (7, 'non-member', 'regress_x_stranger', 'regress_x_stranger', 0);

-- The row each table's UPDATE and DELETE aim at, and a new value for each column that the
-- table's rules accept from whoever may change it.
CREATE TEMP TABLE targets (tbl text, key text, delete_key text);
INSERT INTO targets VALUES
    ('user', 'id = 954', 'id = 957'),
    ('group', 'id = 9501', 'id = 9501'),
    ('user_group', 'user_id = 955 AND group_id = 9501', 'user_id = 955 AND group_id = 9501'),
    ('connection', format('id = %s', :free), format('id = %s', :free)),
    ('queue', format('id = %s', :queue), format('id = %s', :queue2)),
    ('transfer', format('id = %s', :transfer), format('id = %s', :transfer2)),
    ('run', format('id = %s', :run), format('id = %s', :run)),
    ('auth_data', format('connection_id = %s', :free), format('connection_id = %s', :free)),
    ('credential_access', 'id = 1', 'id = 1'),
    ('user_total', 'one', 'one'), ('run_total', format('transfer_id = %s', :transfer), format('transfer_id = %s', :transfer));
CREATE TEMP TABLE new_values (tbl text, col text, val text);
INSERT INTO new_values VALUES
    ('user', 'id', '99999'), ('user', 'username', $$'regress_x_renamed'$$),
    ('user', 'email', $$'x@example.com'$$), ('user', 'first_name', $$'X'$$),
    ('user', 'last_name', $$'X'$$), ('user', 'middle_name', $$'X'$$),
    ('user', 'is_superuser', 'true'), ('user', 'is_active', 'false'),
    ('group', 'id', '99999'), ('group', 'name', $$'regress_x_renamed'$$),
    ('group', 'description', $$'changed'$$), ('group', 'owner_id', '953'),
    ('user_group', 'user_id', '957'), ('user_group', 'group_id', '9503'),
    ('user_group', 'role', $$'Developer'$$),
    ('connection', 'id', '99999'), ('connection', 'group_id', '9503'), ('connection', 'type', $$'mysql'$$),
    ('connection', 'name', $$'regress_x_renamed'$$), ('connection', 'description', $$'changed'$$),
    ('connection', 'data', $$'{"host": "other", "database_name": "d", "port": 5432, "additional_params": {}}'$$),
    ('queue', 'id', '99999'), ('queue', 'name', $$'regress x renamed'$$), ('queue', 'slug', $$'other'$$),
    ('queue', 'group_id', '9503'), ('queue', 'description', $$'changed'$$),
    ('transfer', 'id', '99999'), ('transfer', 'group_id', '9503'), ('transfer', 'name', $$'regress_x_renamed'$$),
    ('transfer', 'description', $$'changed'$$),
    ('transfer', 'source_connection_id', :'free'), ('transfer', 'target_connection_id', :'free'),
    ('transfer', 'queue_id', :'queue2'),
    ('transfer', 'source_params', $$'{"type": "postgres", "table_name": "x.y"}'$$),
    ('transfer', 'target_params', $$'{"type": "postgres", "table_name": "x.z"}'$$),
    ('transfer', 'strategy_params', $$'{"type": "incremental", "increment_by": "id"}'$$),
    ('transfer', 'transformations', $$'[{"type": "dataframe_rows_filter", "filters": [{"type": "is_null", "field": "a"}]}]'$$),
    ('transfer', 'resources', $$'{"max_parallel_tasks": 2, "cpu_cores_per_task": 1, "ram_bytes_per_task": 1073741824}'$$),
    ('transfer', 'is_scheduled', 'true'), ('transfer', 'schedule', $$'@hourly'$$),
    ('run', 'id', '99999'), ('run', 'transfer_id', :'transfer2'), ('run', 'started_at', $$'2001-01-01'$$),
    ('run', 'ended_at', $$'2001-01-01'$$), ('run', 'status', $$'STOPPED'$$), ('run', 'type', $$'SCHEDULED'$$),
    ('run', 'log_url', $$'http://forged'$$), ('run', 'transfer_dump', $$'{"forged": true}'$$),
    ('run', 'worker', $$'forged'$$), ('run', 'lease_expires_at', $$'2999-01-01'$$),
    ('run', 'failure_reason', $$'forged'$$), ('run', 'queue_id', :'queue2'),
    ('auth_data', 'connection_id', :'used'), ('auth_data', 'value', $$'forged'$$),
    ('credential_access', 'id', '99999'), ('credential_access', 'connection_id', '0'),
    ('credential_access', 'session_role', $$'forged'$$), ('credential_access', 'current_role_name', $$'forged'$$),
    ('user_total', 'one', 'true'), ('user_total', 'users', '0'), ('user_total', 'active', '0'),
    ('run_total', 'transfer_id', :'transfer2'), ('run_total', 'runs', '0');
-- The columns every table shares get the same forgeries.
INSERT INTO new_values
SELECT r.table_name, r.column_name,
       CASE r.column_name WHEN 'search_vector' THEN $$to_tsvector('simple', 'forged')$$ ELSE $$'2001-01-01'$$ END
FROM syncmaster.column_rights() r
WHERE r.column_name IN ('created_at', 'updated_at', 'search_vector', 'accessed_at');

-- Who sees, and who may change, a table's target row: the permission table of the README.
CREATE FUNCTION pg_temp.sees(tbl text, standing int) RETURNS boolean LANGUAGE sql AS $$
    SELECT CASE WHEN tbl = 'user' THEN true ELSE standing > 0 END $$;
CREATE FUNCTION pg_temp.may_change(tbl text, a actors) RETURNS boolean LANGUAGE sql AS $$
    SELECT CASE tbl
        WHEN 'user' THEN a.standing = 5 OR a.actor = 'Developer'  -- the Developer's own row
        WHEN 'group' THEN a.standing >= 4
        WHEN 'user_group' THEN a.standing >= 4
        WHEN 'queue' THEN a.standing >= 3
        ELSE a.standing >= 2 END $$;

-- What an UPDATE of one column should do: computed from its declared right.
CREATE FUNCTION pg_temp.expected_update(tbl text, col text, on_insert text, on_update text,
                                        refusal text, a actors, path text)
    RETURNS text LANGUAGE sql AS $$
    SELECT CASE
        WHEN tbl IN ('auth_data', 'credential_access', 'user_total', 'run_total') AND a.actor <> 'system'
            THEN format('42501 permission denied for table %s', tbl)
        -- ids: no role but superusers (the system reached without SET ROLE) holds the privilege
        WHEN on_insert = 'key' AND NOT (a.actor = 'system' AND path = 'role')
            THEN format('42501 permission denied for table %s', tbl)
        WHEN tbl IN ('auth_data', 'credential_access', 'user_total', 'run_total') THEN NULL  -- the owner's functions only
        WHEN NOT pg_temp.sees(tbl, a.standing) THEN 'ok 0'
        WHEN NOT pg_temp.may_change(tbl, a) THEN '42501 You have no power here'
        WHEN on_update = 'immutable' THEN '22023 ' || refusal
        WHEN on_update = 'moved' AND a.actor <> 'system' THEN '22023 ' || refusal
        WHEN on_update = 'superuser' AND a.standing < 5 THEN '42501 You have no power here'
        WHEN on_update = 'system' AND a.actor <> 'system' THEN '42501 You have no power here'
        -- a run's rules let a user only ask it to stop: an UPDATE that does not is refused
        WHEN tbl = 'run' AND col <> 'status' AND a.actor <> 'system' THEN '42501 You have no power here'
        -- a run holds a lease only while it runs: the target run is CREATED, so its rules clear
        -- the lease the system writes
        WHEN tbl = 'run' AND col = 'lease_expires_at' THEN 'ok kept'
        -- updated_at is stamped by touch_updated_at and search_vector by the search trigger,
        -- whoever writes them
        WHEN on_update = 'stamped' AND (a.actor <> 'system' OR col IN ('updated_at', 'search_vector'))
            THEN 'ok kept'
        ELSE 'ok changed' END $$;

-- Takes on an actor for the rest of the current subtransaction.
CREATE FUNCTION pg_temp.become(a actors, path text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF a.role_name IS NULL THEN
        IF path = 'app' THEN
            PERFORM set_config('role', 'regress_x_svc', true);
        END IF;
    ELSIF path = 'role' THEN
        PERFORM set_config('role', a.role_name, true);
    ELSE
        PERFORM set_config('role', 'regress_x_app', true);
        PERFORM set_config('syncmaster.acting_user', a.username, true);
    END IF;
END
$$;

-- Runs a statement as an actor and rolls it back: 'ok ' and its one value, or the refusal.
CREATE FUNCTION pg_temp.outcome(a actors, path text, statement text) RETURNS text
    LANGUAGE plpgsql AS $$
DECLARE
    result text;
    code text;
    message text;
BEGIN
    BEGIN
        PERFORM pg_temp.become(a, path);
        EXECUTE statement INTO result;
        RAISE EXCEPTION USING ERRCODE = 'SMOK0', MESSAGE = result;
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS code = RETURNED_SQLSTATE, message = MESSAGE_TEXT;
    END;
    IF code = 'SMOK0' THEN
        RETURN 'ok ' || message;
    END IF;
    RETURN code || ' ' || message;
END
$$;

-- Runs an UPDATE of one column as an actor and rolls it back: 'ok 0' when it reached no row,
-- 'ok changed' when the column holds the new value, 'ok kept' when it holds the old one, else the
-- refusal.
CREATE FUNCTION pg_temp.try_update(tbl text, col text, val text, a actors, path text)
    RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    key text := (SELECT t.key FROM targets t WHERE t.tbl = try_update.tbl);
    before text;
BEGIN
    EXECUTE format('SELECT %I::text FROM syncmaster.%I WHERE %s', col, tbl, key) INTO before;
    RETURN pg_temp.outcome(a, path, format(
        'WITH u AS (UPDATE syncmaster.%I SET %I = %s WHERE %s RETURNING %I::text AS v) '
        'SELECT coalesce((SELECT CASE WHEN v IS NOT DISTINCT FROM %L THEN ''changed'' '
        'WHEN v IS NOT DISTINCT FROM %L THEN ''kept'' ELSE ''other: '' || v END FROM u), ''0'')',
        tbl, col, val, key, col, pg_temp.stored_text(tbl, col, val), before));
END
$$;


-- INSERT: one row of each table with every stamped column forged. The system's values stand (a
-- restore), but for the search vector, which the database always computes; a user's are replaced.
CREATE TEMP TABLE insert_rows (tbl text, cols text, vals text);
INSERT INTO insert_rows VALUES
    ('user', 'username', $$'regress_x_fresh'$$),
    ('group', 'name, owner_id', $$'regress_x_fresh', {me}$$),
    ('user_group', 'user_id, group_id, role', $$957, 9501, 'Guest'$$),
    ('connection', 'group_id, type, name, data', $$9501, 'postgres', 'regress_x_fresh', '{"host": "h", "database_name": "d"}'$$),
    ('queue', 'group_id, name', $$9501, 'regress x fresh'$$),
    ('transfer', 'group_id, name, source_connection_id, target_connection_id, queue_id, source_params, target_params',
     format($$9501, 'regress_x_fresh', %s, %s, %s, '{"type": "postgres", "table_name": "a.b"}', '{"type": "postgres", "table_name": "a.c"}'$$, :used, :used, :queue)),
    ('run', 'transfer_id', :'transfer');

-- Who may create a row of each table (in group 9501): NULL when the actor may.
CREATE FUNCTION pg_temp.insert_refusal(tbl text, a actors) RETURNS text LANGUAGE sql AS $$
    SELECT CASE
        WHEN tbl = 'user' THEN CASE WHEN a.standing < 5 THEN '42501 You have no power here' END
        WHEN tbl = 'group' THEN NULL  -- any active user, who becomes its owner
        WHEN a.standing = 0 THEN CASE tbl WHEN 'run' THEN 'P0002 Transfer not found'
                                          ELSE 'P0002 Group not found' END
        WHEN tbl = 'user_group' AND a.standing < 4 THEN '42501 You have no power here'
        WHEN tbl = 'queue' AND a.standing < 3 THEN '42501 You have no power here'
        WHEN a.standing < 2 THEN '42501 You have no power here'
        END $$;

-- What an INSERT with forged stamped columns should do: the system keeps all it sends but the
-- search vector, and a run's lease (the forged run is CREATED, and holds no lease until it runs);
-- a user keeps none.
CREATE FUNCTION pg_temp.expected_insert(tbl text, a actors) RETURNS text LANGUAGE sql AS $$
    SELECT coalesce(pg_temp.insert_refusal(tbl, a),
        format('ok %s of %s forged kept',
               CASE WHEN a.actor = 'system'
                    THEN count(*) FILTER (WHERE c.column_name NOT IN ('search_vector', 'lease_expires_at'))
                    ELSE 0 END, count(*)))
    FROM syncmaster.column_rights() c WHERE c.table_name = tbl AND c.on_insert = 'stamped' $$;

-- The text of a forged value as the column stores it.
CREATE FUNCTION pg_temp.stored_text(tbl text, col text, val text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    out text;
BEGIN
    EXECUTE format('SELECT (%s)::%s::text', val,
                   (SELECT format_type(atttypid, atttypmod) FROM pg_attribute
                    WHERE attrelid = format('syncmaster.%I', tbl)::regclass AND attname = col)) INTO out;
    RETURN out;
END
$$;

-- Inserts the table's row, its stamped columns forged, as an actor, and rolls it back: 'ok K of N
-- forged kept', or the refusal.
CREATE FUNCTION pg_temp.try_insert(tbl text, a actors, path text) RETURNS text
    LANGUAGE plpgsql AS $$
DECLARE
    r insert_rows;
    cols text[];
    vals text[];
    wanted text[];
    me text;
BEGIN
    SELECT * INTO r FROM insert_rows i WHERE i.tbl = try_insert.tbl;
    SELECT coalesce(array_agg(c.column_name ORDER BY c.column_name), '{}'),
           coalesce(array_agg(v.val ORDER BY c.column_name), '{}'),
           coalesce(array_agg(pg_temp.stored_text(try_insert.tbl, c.column_name, v.val) ORDER BY c.column_name), '{}')
    INTO cols, vals, wanted
    FROM syncmaster.column_rights() c JOIN new_values v ON v.tbl = c.table_name AND v.col = c.column_name
    WHERE c.table_name = try_insert.tbl AND c.on_insert = 'stamped';
    me := coalesce((SELECT id::text FROM syncmaster."user" WHERE username = a.username), '952');
    RETURN pg_temp.outcome(a, path, format(
        'WITH i AS (INSERT INTO syncmaster.%I (%s) VALUES (%s) RETURNING ARRAY[%s]::text[] AS got) '
        'SELECT format(''%%s of %%s forged kept'', (SELECT count(*) FROM i, unnest(i.got, %L::text[]) u (g, w) '
        'WHERE g IS NOT DISTINCT FROM w), %s) FROM i',
        tbl, concat_ws(', ', r.cols, nullif(array_to_string(cols, ', '), '')),
        concat_ws(', ', replace(r.vals, '{me}', me), nullif(array_to_string(vals, ', '), '')),
        (SELECT string_agg(format('%I::text', c), ', ') FROM unnest(cols) c), wanted,
        cardinality(cols)));
END
$$;

-- DELETE of each table's delete target, as an actor, rolled back: 'ok N' rows, or the refusal.
CREATE FUNCTION pg_temp.try_delete(tbl text, a actors, path text) RETURNS text
    LANGUAGE plpgsql AS $$
BEGIN
    RETURN pg_temp.outcome(a, path, format(
        'WITH d AS (DELETE FROM syncmaster.%I WHERE %s RETURNING 1) SELECT count(*) FROM d',
        tbl, (SELECT t.delete_key FROM targets t WHERE t.tbl = try_delete.tbl)));
END
$$;

-- Who may delete each table's delete target: users and groups are a superuser's, a membership the
-- owner's or the member's own (955, the Guest, leaving), the rest needs DELETE in the group.
CREATE FUNCTION pg_temp.expected_delete(tbl text, a actors) RETURNS text LANGUAGE sql AS $$
    SELECT CASE
        WHEN tbl IN ('auth_data', 'credential_access', 'user_total', 'run_total') THEN
            CASE WHEN a.actor = 'system' THEN NULL ELSE format('42501 permission denied for table %s', tbl) END
        WHEN tbl = 'user' THEN CASE WHEN a.standing < 5 THEN '42501 You have no power here' ELSE 'ok 1' END
        WHEN a.standing = 0 THEN 'ok 0'
        WHEN tbl = 'group' THEN CASE WHEN a.standing < 5 THEN '42501 You have no power here' ELSE 'ok 1' END
        WHEN tbl = 'user_group' THEN CASE WHEN a.standing >= 4 OR a.actor = 'Guest' THEN 'ok 1'
                                          ELSE '42501 You have no power here' END
        WHEN a.standing < 3 THEN '42501 You have no power here'
        ELSE 'ok 1' END $$;

CREATE TEMP TABLE update_cases AS
SELECT r.table_name AS tbl, r.column_name AS col, r.on_insert, r.on_update, r.refusal, v.val
FROM syncmaster.column_rights() r JOIN new_values v ON v.tbl = r.table_name AND v.col = r.column_name;

SELECT plan(3
    + (SELECT count(*)::int FROM update_cases c CROSS JOIN actors a
       CROSS JOIN (VALUES ('role'), ('app')) p (path)
       WHERE pg_temp.expected_update(c.tbl, c.col, c.on_insert, c.on_update, c.refusal, a, p.path) IS NOT NULL)
    + (SELECT count(*)::int FROM insert_rows) * 7 * 2
    + (SELECT count(*)::int FROM targets t CROSS JOIN actors a
       WHERE pg_temp.expected_delete(t.tbl, a) IS NOT NULL) * 2);

SELECT is((SELECT count(*)::int FROM syncmaster.column_rights() r
           WHERE NOT EXISTS (SELECT FROM new_values v WHERE v.tbl = r.table_name AND v.col = r.column_name)),
          0, 'every declared column has a case');
SELECT is((SELECT count(DISTINCT on_update)::int FROM update_cases), 6,
          'the cases cover every right an UPDATE can meet');
SELECT cmp_ok((SELECT count(*)::int FROM update_cases), '>=', 77, 'every column of every table');

SELECT is(pg_temp.try_update(c.tbl, c.col, c.val, a, p.path),
          pg_temp.expected_update(c.tbl, c.col, c.on_insert, c.on_update, c.refusal, a, p.path),
          format('UPDATE %s.%s (%s) as %s through %s', c.tbl, c.col, c.on_update, a.actor,
                 CASE p.path WHEN 'role' THEN 'SET ROLE' ELSE 'an application' END))
FROM update_cases c
CROSS JOIN actors a
CROSS JOIN (VALUES ('role'), ('app')) p (path)
WHERE pg_temp.expected_update(c.tbl, c.col, c.on_insert, c.on_update, c.refusal, a, p.path) IS NOT NULL
ORDER BY c.tbl, c.col, p.path DESC, a.ord;

SELECT is(pg_temp.try_insert(i.tbl, a, p.path), pg_temp.expected_insert(i.tbl, a),
          format('INSERT %s, its stamped columns forged, as %s through %s', i.tbl, a.actor,
                 CASE p.path WHEN 'role' THEN 'SET ROLE' ELSE 'an application' END))
FROM insert_rows i
CROSS JOIN actors a
CROSS JOIN (VALUES ('role'), ('app')) p (path)
ORDER BY i.tbl, p.path DESC, a.ord;

SELECT is(pg_temp.try_delete(t.tbl, a, p.path), pg_temp.expected_delete(t.tbl, a),
          format('DELETE %s as %s through %s', t.tbl, a.actor,
                 CASE p.path WHEN 'role' THEN 'SET ROLE' ELSE 'an application' END))
FROM targets t
CROSS JOIN actors a
CROSS JOIN (VALUES ('role'), ('app')) p (path)
WHERE pg_temp.expected_delete(t.tbl, a) IS NOT NULL
ORDER BY t.tbl, p.path DESC, a.ord;

SELECT * FROM finish();
ROLLBACK;
