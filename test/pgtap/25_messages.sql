-- Refusals that say how to do it right: an unknown field lists the fields allowed there; a queue
-- name that only normalizes like another says which queue has the slug; claim_run given a queue's
-- name says it takes the slug, and which; a copy whose connection name is taken points at the
-- argument that names it. The message stays SyncMaster's; the detail and hint say the rest. Each
-- through the API and, where a table takes the same input, through the table.
BEGIN;
SELECT plan(12);

-- SQLSTATE, message, detail and hint of the error a statement raises.
CREATE FUNCTION pg_temp.error_of(statement text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    state text; message text; detail text; hint text;
BEGIN
    EXECUTE statement;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
                            detail = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
    RETURN concat_ws(' | ', state, message, NULLIF(detail, ''), NULLIF(hint, ''));
END
$$;

CREATE ROLE regress_ms_owner LOGIN IN ROLE syncmaster_user;
SELECT syncmaster.create_user('regress_ms_owner') AS owner \gset
SELECT syncmaster.create_group('regress_ms_team', owner_id => :owner) AS team \gset
SELECT syncmaster.create_group('regress_ms_other', owner_id => :owner) AS other \gset
SET ROLE regress_ms_owner;
SELECT syncmaster.create_connection(:team, 'regress_ms_pg', 'postgres', '{"host": "h", "database_name": "d"}',
                                    '{"type": "basic", "user": "u", "password": "p"}') AS pg \gset
SELECT syncmaster.create_queue(:team, 'Nightly ETL') AS queue \gset
SELECT syncmaster.create_queue(:other, 'Other queue') AS other_queue \gset
SELECT syncmaster.create_transfer(:team, 'regress_ms_t', :pg, :pg, :queue,
         '{"type": "postgres", "table_name": "a.b"}', '{"type": "postgres", "table_name": "a.c"}') AS t \gset

SELECT is(pg_temp.error_of(format($$SELECT syncmaster.create_connection(%s, 'regress_ms_x', 'postgres',
            '{"host": "h", "database_name": "d", "hots": "h"}', '{"type": "basic", "user": "u", "password": "p"}')$$, :team)),
          '22023 | connection data: unknown field "hots" | The fields of connection data here: host, port, database_name, additional_params.',
          'an unknown field of connection data lists the fields, API');
SELECT is(pg_temp.error_of(format($$INSERT INTO syncmaster.connection (group_id, type, name, data)
            VALUES (%s, 'postgres', 'regress_ms_x', '{"host": "h", "database_name": "d", "hots": "h"}')$$, :team)),
          '22023 | connection data: unknown field "hots" | The fields of connection data here: host, port, database_name, additional_params.',
          'and through INSERT');
SELECT is(pg_temp.error_of(format($$SELECT syncmaster.create_connection(%s, 'regress_ms_x', 'postgres',
            '{"host": "h", "database_name": "d"}', '{"type": "basic", "user": "u", "pasword": "p"}')$$, :team)),
          '22023 | auth_data: unknown field "pasword" | The fields of auth_data here: type, user, password.',
          'an unknown field of the credentials lists theirs');
SELECT is(pg_temp.error_of(format($$SELECT syncmaster.create_transfer(%s, 'regress_ms_t2', %s, %s, %s,
            '{"type": "postgres", "table_name": "a.b"}', '{"type": "postgres", "table_name": "a.c"}',
            strategy_params => '{"type": "full", "increment_by": "id"}')$$, :team, :pg, :pg, :queue)),
          '22023 | strategy_params: unknown field "increment_by" | The fields of strategy_params here: type.',
          'an unknown field of a transfer parameter lists the fields, API');
SELECT is(pg_temp.error_of(format($$UPDATE syncmaster.transfer SET resources = '{"gpus": 1}' WHERE id = %s$$, :t)),
          '22023 | resources: unknown field "gpus" | The fields of resources here: max_parallel_tasks, cpu_cores_per_task, ram_bytes_per_task.',
          'and through UPDATE');

SELECT is(pg_temp.error_of(format($$SELECT syncmaster.create_queue(%s, 'nightly-etl')$$, :team)),
          format('23505 | The queue name already exists in the target group, please specify a new one | "nightly-etl" and the queue "Nightly ETL" normalize to the same slug "%s-nightly_etl".', :team),
          'a queue name that normalizes like another says which, API');
SELECT is(pg_temp.error_of(format($$INSERT INTO syncmaster.queue (group_id, name) VALUES (%s, 'NIGHTLY  etl')$$, :team)),
          format('23505 | The queue name already exists in the target group, please specify a new one | "NIGHTLY  etl" and the queue "Nightly ETL" normalize to the same slug "%s-nightly_etl".', :team),
          'and through INSERT');
SELECT lives_ok(format($$SELECT syncmaster.update_queue(%s, 'Renamed')$$, :queue), 'a renamed queue keeps its slug');
SELECT is(pg_temp.error_of(format($$SELECT syncmaster.create_queue(%s, 'Nightly ETL')$$, :team)),
          format('23505 | The queue name already exists in the target group, please specify a new one | The queue "Renamed" keeps the slug "%s-nightly_etl" it was created with (a renamed queue keeps its slug).', :team),
          'so its old name is refused, saying why');
RESET ROLE;

SELECT is(pg_temp.error_of($$SELECT * FROM syncmaster.claim_run('Other queue', 'w')$$),
          format('P0002 | Queue not found | No queue has the slug "Other queue"; a queue of that name has the slug %s-other_queue. | claim_run() takes a queue''s slug (syncmaster.queue.slug, {group_id}-{name normalized}), not its name.', :other),
          'claim_run given a queue''s name says it takes the slug, and which');
SELECT is(pg_temp.error_of($$SELECT * FROM syncmaster.claim_run('no-such-queue', 'w')$$),
          'P0002 | Queue not found | No queue has the slug "no-such-queue". | claim_run() takes a queue''s slug (syncmaster.queue.slug, {group_id}-{name normalized}), not its name.',
          'and for a slug nobody has, only that');

SET ROLE regress_ms_owner;
SELECT syncmaster.create_connection(:other, 'regress_ms_pg', 'postgres', '{"host": "h", "database_name": "d"}',
                                    '{"type": "basic", "user": "u", "password": "p"}') AS taken \gset
SELECT is(pg_temp.error_of(format('SELECT syncmaster.copy_transfer(%s, %s, %s)', :t, :other, :other_queue)),
          format('23505 | The connection name already exists in the target group, please specify a new one | The group %s has a connection named "regress_ms_pg" already. | Name the copy with new_source_connection_name.', :other),
          'a copy whose connection name is taken points at new_source_connection_name');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
