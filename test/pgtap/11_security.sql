-- Security (issue "the key hidden, revocations, ids, audit, bad input"): ids belong to the
-- database; JSON numbers are kept exactly or refused naming the field; error texts are cut at a
-- character boundary; every text argument of the API is checked against its bound before any row
-- is written; usernames are ones a login role can have. Each rule on the API and on direct DML.
-- (The key: sql/03_key_hidden.sql and test/preload; revocations: the isolation spec
-- revocation_in_transaction; the audit that survives a rollback: 12_audit.sql.)
BEGIN;
SELECT plan(84);

CREATE ROLE regress_sec_owner LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_sec_dev LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_sec_root LOGIN IN ROLE syncmaster_user;
SELECT syncmaster.create_user('regress_sec_owner') AS owner_id \gset
SELECT syncmaster.create_user('regress_sec_dev') AS dev_id \gset
SELECT syncmaster.create_user('regress_sec_root', is_superuser => true) AS root_id \gset
SELECT syncmaster.create_group('regress_sec_team', owner_id => :owner_id) AS team \gset
SELECT syncmaster.add_group_member(:team, :dev_id, 'Developer');
SELECT syncmaster.create_queue(:team, 'regress_sec_queue') AS queue \gset
SET ROLE regress_sec_dev;
SELECT syncmaster.create_connection(:team, 'regress_sec_pg', 'postgres', '{"host": "pg", "database_name": "db"}',
                                    '{"type": "basic", "user": "u", "password": "p"}') AS conn \gset
RESET ROLE;
INSERT INTO syncmaster.transfer (group_id, name, source_connection_id, target_connection_id, queue_id,
                                 source_params, target_params)
VALUES (:team, 'regress_sec_transfer', :conn, :conn, :queue, '{"type": "postgres", "table_name": "a.b"}',
        '{"type": "postgres", "table_name": "a.c"}') RETURNING id AS transfer \gset

------------------------------------------------------------------------------------------------
-- 3. Ids belong to the database: a user can neither choose an id nor change one.
------------------------------------------------------------------------------------------------
SET ROLE regress_sec_dev;
SELECT throws_ok(format($$ INSERT INTO syncmaster.connection (id, group_id, type, name, data)
                           VALUES (%s, %s, 'sftp', 'regress_sec_ahead', '{"host": "h"}') $$,
                        :conn + 1000, :team),
                 '42501', 'permission denied for table connection',
                 'a Developer cannot insert a connection with an id of its choosing');
SELECT throws_ok(format($$ UPDATE syncmaster.connection SET id = id + 1000 WHERE id = %s $$, :conn),
                 '42501', 'permission denied for table connection', 'nor change a connection''s id');
SELECT throws_ok(format($$ INSERT INTO syncmaster."group" (id, name, owner_id)
                           VALUES (%s, 'regress_sec_g', %s) $$, :team + 1000, :dev_id),
                 '42501', 'permission denied for table group', 'nor a group''s');
SELECT throws_ok(format($$ UPDATE syncmaster."group" SET id = id + 1000 WHERE id = %s $$, :team),
                 '42501', 'permission denied for table group', 'nor change one');
SELECT throws_ok(format($$ INSERT INTO syncmaster.transfer (id, group_id, name, source_connection_id,
                           target_connection_id, queue_id) VALUES (%s, %s, 'regress_sec_t2', %s, %s, %s) $$,
                        :transfer + 1000, :team, :conn, :conn, :queue),
                 '42501', 'permission denied for table transfer', 'nor a transfer''s');
SELECT throws_ok(format($$ INSERT INTO syncmaster.run (id, transfer_id) VALUES (%s, %s) $$,
                        :transfer + 1000, :transfer),
                 '42501', 'permission denied for table run', 'nor a run''s');
SELECT throws_ok(format($$ UPDATE syncmaster.run SET id = 1 WHERE transfer_id = %s $$, :transfer),
                 '42501', 'permission denied for table run', 'nor change a run''s id');
RESET ROLE;
SET ROLE regress_sec_owner;
SELECT throws_ok(format($$ INSERT INTO syncmaster.queue (id, group_id, name, slug)
                           VALUES (%s, %s, 'regress_sec_q2', 'x') $$, :queue + 1000, :team),
                 '42501', 'permission denied for table queue', 'the owner cannot choose a queue''s id');
RESET ROLE;
SET ROLE regress_sec_root;
SELECT throws_ok($$ INSERT INTO syncmaster."user" (id, username) VALUES (999999, 'regress_sec_x') $$,
                 '42501', 'permission denied for table user',
                 'a syncmaster superuser cannot choose a user''s id either');
SELECT throws_ok(format($$ UPDATE syncmaster."user" SET id = 999999 WHERE id = %s $$, :dev_id),
                 '42501', 'permission denied for table user', 'nor change one');
RESET ROLE;
-- The API takes no ids, and what users write with the ids the sequences give still works.
SET ROLE regress_sec_dev;
SELECT lives_ok(format($$ INSERT INTO syncmaster.connection (group_id, type, name, data)
                          VALUES (%s, 'sftp', 'regress_sec_direct', '{"host": "h"}') $$, :team),
                'a Developer inserts a connection with the id the sequence gives');
SELECT lives_ok(format($$ UPDATE syncmaster.connection SET description = 'd' WHERE id = %s $$, :conn),
                'and updates its other columns');
SELECT isnt(syncmaster.create_connection(:team, 'regress_sec_api', 'sftp', '{"host": "h"}',
                                         '{"type": "basic", "user": "u", "password": "p"}'), NULL::bigint,
            'the API creates with the sequence''s ids');
RESET ROLE;
-- The system (here a PostgreSQL superuser) may: migrations and restores.
SELECT lives_ok(format($$ INSERT INTO syncmaster.connection (id, group_id, type, name, data)
                          VALUES (%s, %s, 'sftp', 'regress_sec_migrated', '{"host": "h"}') $$,
                       :conn + 5000, :team),
                'the system inserts a connection with its own id');

------------------------------------------------------------------------------------------------
-- 5. JSON numbers are kept exactly or refused naming the field, never an internal error.
------------------------------------------------------------------------------------------------
SET ROLE regress_sec_dev;
SELECT throws_ok(format($$ SELECT syncmaster.create_connection(%s, 'regress_sec_n1', 'postgres',
                           '{"host": "pg", "database_name": "db", "port": 1e400}', '{"type": "basic", "user": "u", "password": "p"}') $$, :team),
                 '22023', 'connection data: field "port" must be a number that a 64-bit integer or a double holds exactly',
                 'a port beyond double range: 22023 naming the field (API)');
SELECT throws_ok(format($$ INSERT INTO syncmaster.connection (group_id, type, name, data)
                           VALUES (%s, 'postgres', 'regress_sec_n1', '{"host": "pg", "database_name": "db", "port": 1e400}') $$, :team),
                 '22023', 'connection data: field "port" must be a number that a 64-bit integer or a double holds exactly',
                 'the same on direct DML');
SELECT throws_ok(format($$ SELECT syncmaster.create_connection(%s, 'regress_sec_n2', 'postgres',
                           '{"host": "pg", "database_name": "db", "additional_params": {"big": 12345678901234567890123}}',
                           '{"type": "basic", "user": "u", "password": "p"}') $$, :team),
                 '22023', 'connection data: field "additional_params.big" must be a number that a 64-bit integer or a double holds exactly',
                 'an integer a double would round is refused, not rewritten (API)');
SELECT throws_ok(format($$ INSERT INTO syncmaster.connection (group_id, type, name, data)
                           VALUES (%s, 'postgres', 'regress_sec_n2', '{"host": "pg", "database_name": "db", "additional_params": {"x": [1, -1e309]}}') $$, :team),
                 '22023', 'connection data: field "additional_params.x[1]" must be a number that a 64-bit integer or a double holds exactly',
                 'the same on direct DML, inside an array');
SELECT throws_ok(format($$ SELECT syncmaster.create_connection(%s, 'regress_sec_n3', 'postgres',
                           '{"host": "pg", "database_name": "db"}', '{"type": "basic", "user": "u", "password": 1e400}') $$, :team),
                 '22023', 'auth_data: field "password" must be a number that a 64-bit integer or a double holds exactly',
                 'in credentials too');
SELECT syncmaster.create_connection(:team, 'regress_sec_n4', 'postgres',
           '{"host": "pg", "database_name": "db", "additional_params": {"big": 9223372036854775807, "f": 0.1, "e": 1.5e300}}',
           '{"type": "basic", "user": "u", "password": "p"}') AS exact \gset
SELECT is((SELECT data->'additional_params' FROM syncmaster.connection WHERE id = :exact),
          '{"big": 9223372036854775807, "f": 0.1, "e": 1.5e300}'::jsonb,
          'numbers a 64-bit integer or a double holds are kept as written');
RESET ROLE;

------------------------------------------------------------------------------------------------
-- 6. Error texts are cut at a character boundary.
------------------------------------------------------------------------------------------------
CREATE FUNCTION pg_temp.error_text(call text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    message text;
BEGIN
    EXECUTE call;
    RETURN NULL;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS message = MESSAGE_TEXT;
    RETURN message;
END
$$;
SELECT ok(octet_length(pg_temp.error_text($$ SELECT syncmaster.authorize(repeat('é', 600), 'read', 1) $$)) <= 1023,
          'a long error text is cut');
SELECT is(convert(convert_to(pg_temp.error_text($$ SELECT syncmaster.authorize(repeat('é', 600), 'read', 1) $$), 'UTF8'),
                  'UTF8', 'LATIN1'),
          convert_to('unknown entity "' || repeat('é', 503), 'LATIN1'),
          'before the character that does not fit: the text is valid and converts to LATIN1');

------------------------------------------------------------------------------------------------
-- 7. Bad input to the API: 22023 naming the field, never the table's raw 23502/23514/22001, and
-- nothing written. One row per call, run by the system.
------------------------------------------------------------------------------------------------
CREATE TEMP TABLE bad_input (call text, message text);
INSERT INTO bad_input VALUES
    ('create_user(NULL)', 'username is required'),
    ('create_user('''')', 'username is required'),
    ('create_user(repeat(''u'', 64))', 'username must have at most 63 bytes'),
    ('create_user(repeat(''é'', 32))', 'username must have at most 63 bytes'),
    ('create_user(repeat(''u'', 1000000))', 'username must have at most 63 bytes'),
    ('create_user(''regress_sec_n'', email => repeat(''e'', 257))', 'user email must have at most 256 characters'),
    ('create_user(''regress_sec_n'', first_name => repeat(''e'', 257))', 'user first_name must have at most 256 characters'),
    ('create_user(''regress_sec_n'', last_name => repeat(''e'', 257))', 'user last_name must have at most 256 characters'),
    ('create_user(''regress_sec_n'', middle_name => repeat(''e'', 257))', 'user middle_name must have at most 256 characters'),
    ('create_group(NULL, owner_id => :owner_id)', 'group name is required'),
    ('create_group(''xy'', owner_id => :owner_id)', 'group name must have 3 to 128 characters'),
    ('create_group(repeat(''g'', 129), owner_id => :owner_id)', 'group name must have 3 to 128 characters'),
    ('create_group(''regress_sec_g'', repeat(''d'', 513), :owner_id)', 'group description must have at most 512 characters'),
    ('update_group(:team, ''xy'')', 'group name must have 3 to 128 characters'),
    ('update_group(:team, repeat(''g'', 129))', 'group name must have 3 to 128 characters'),
    ('update_group(:team, NULL, repeat(''d'', 513))', 'group description must have at most 512 characters'),
    ('add_group_member(:team, :root_id, repeat(''r'', 300))', 'Input should be one of: Maintainer, Developer, Guest'),
    ('set_member_role(:team, :dev_id, repeat(''r'', 300))', 'Input should be one of: Maintainer, Developer, Guest'),
    ('create_connection(:team, NULL, ''sftp'', ''{"host": "h"}'', ''{"type": "basic", "user": "u", "password": "p"}'')', 'connection name is required'),
    ('create_connection(:team, ''xy'', ''sftp'', ''{"host": "h"}'', ''{"type": "basic", "user": "u", "password": "p"}'')', 'connection name must have 3 to 128 characters'),
    ('create_connection(:team, repeat(''c'', 129), ''sftp'', ''{"host": "h"}'', ''{"type": "basic", "user": "u", "password": "p"}'')', 'connection name must have 3 to 128 characters'),
    ('create_connection(:team, ''regress_sec_c'', repeat(''t'', 40), ''{"host": "h"}'', ''{"type": "basic", "user": "u", "password": "p"}'')', 'unknown connection type "' || repeat('t', 40) || '"'),
    ('create_connection(:team, ''regress_sec_c'', NULL, ''{"host": "h"}'', ''{"type": "basic", "user": "u", "password": "p"}'')', 'connection type is required'),
    ('create_connection(:team, ''regress_sec_c'', ''sftp'', ''{"host": "h"}'', ''{"type": "basic", "user": "u", "password": "p"}'', repeat(''d'', 513))', 'connection description must have at most 512 characters'),
    ('update_connection(:conn, repeat(''c'', 129), ''postgres'', ''{"host": "pg", "database_name": "db"}'')', 'connection name must have 3 to 128 characters'),
    ('update_connection(:conn, ''regress_sec_pg'', repeat(''t'', 33), ''{"host": "pg", "database_name": "db"}'')', 'unknown connection type "' || repeat('t', 33) || '"'),
    ('update_connection(:conn, ''regress_sec_pg'', ''postgres'', ''{"host": "pg", "database_name": "db"}'', NULL, repeat(''d'', 513))', 'connection description must have at most 512 characters'),
    ('copy_connection(:conn, :team, repeat(''c'', 129))', 'connection name must have 3 to 128 characters'),
    ('copy_connection(:conn, :team, ''xy'')', 'connection name must have 3 to 128 characters'),
    ('create_queue(:team, NULL)', 'queue name is required'),
    ('create_queue(:team, repeat(''q'', 129))', 'queue name must have 3 to 128 characters'),
    ('create_queue(:team, ''regress_sec_q'', repeat(''d'', 513))', 'queue description must have at most 512 characters'),
    ('update_queue(:queue, repeat(''q'', 129))', 'queue name must have 3 to 128 characters'),
    ('update_queue(:queue, ''regress_sec_queue'', repeat(''d'', 513))', 'queue description must have at most 512 characters'),
    ('list_users(repeat(''w '', 100000))', 'search must have at most 256 characters'),
    ('list_groups(repeat(''w '', 100000))', 'search must have at most 256 characters'),
    ('list_connections(:team, NULL, repeat(''w '', 100000))', 'search must have at most 256 characters'),
    ('list_queues(:team, repeat(''w '', 100000))', 'search must have at most 256 characters'),
    ('create_user(''syncmaster_user'')', 'username "syncmaster_user" is reserved'),
    ('create_user(''syncmaster_service'')', 'username "syncmaster_service" is reserved'),
    ('create_user(''pg_monitor'')', 'username "pg_monitor" is reserved');
UPDATE bad_input SET call = replace(replace(replace(replace(replace(replace(call,
    ':owner_id', :'owner_id'), ':team', :'team'), ':root_id', :'root_id'), ':dev_id', :'dev_id'),
    ':conn', :'conn'), ':queue', :'queue');
CREATE TEMP TABLE counts_before AS
    SELECT (SELECT count(*) FROM syncmaster."user") AS users, (SELECT count(*) FROM syncmaster."group") AS groups,
           (SELECT count(*) FROM syncmaster.user_group) AS members, (SELECT count(*) FROM syncmaster.connection) AS connections,
           (SELECT count(*) FROM syncmaster.queue) AS queues,
           (SELECT string_agg(concat_ws('|', id, name, description, owner_id), ',' ORDER BY id) FROM syncmaster."group") AS group_rows,
           (SELECT string_agg(concat_ws('|', id, name, type, description, data), ',' ORDER BY id) FROM syncmaster.connection) AS connection_rows,
           (SELECT string_agg(concat_ws('|', user_id, group_id, role), ',' ORDER BY user_id, group_id) FROM syncmaster.user_group) AS member_rows,
           (SELECT string_agg(concat_ws('|', id, name, description), ',' ORDER BY id) FROM syncmaster.queue) AS queue_rows;
SELECT throws_ok('SELECT * FROM syncmaster.' || call, '22023', message, call) FROM bad_input ORDER BY call;
SELECT is((SELECT row(c.*)::text FROM counts_before c),
          (SELECT row((SELECT count(*) FROM syncmaster."user"), (SELECT count(*) FROM syncmaster."group"),
                      (SELECT count(*) FROM syncmaster.user_group), (SELECT count(*) FROM syncmaster.connection),
                      (SELECT count(*) FROM syncmaster.queue),
                      (SELECT string_agg(concat_ws('|', id, name, description, owner_id), ',' ORDER BY id) FROM syncmaster."group"),
                      (SELECT string_agg(concat_ws('|', id, name, type, description, data), ',' ORDER BY id) FROM syncmaster.connection),
                      (SELECT string_agg(concat_ws('|', user_id, group_id, role), ',' ORDER BY user_id, group_id) FROM syncmaster.user_group),
                      (SELECT string_agg(concat_ws('|', id, name, description), ',' ORDER BY id) FROM syncmaster.queue))::text),
          'none of the refused calls changed anything');
-- A page past the end of the integer range is a page past the end: empty, not an overflow.
SELECT is((SELECT count(*) FROM syncmaster.list_users(page => 2147483647)), 0::bigint,
          'list_users: a page far past the end is empty');
SELECT is((SELECT count(*) FROM syncmaster.list_groups(page => 2147483647, page_size => 50)), 0::bigint,
          'list_groups: the same');
SELECT is((SELECT count(*) FROM syncmaster.list_group_members(:team, 2147483647, 50)), 0::bigint,
          'list_group_members: the same');
SELECT is((SELECT count(*) FROM syncmaster.list_connections(:team, page => 2147483647, page_size => 50)), 0::bigint,
          'list_connections: the same');
SELECT is((SELECT count(*) FROM syncmaster.list_queues(:team, page => 2147483647, page_size => 50)), 0::bigint,
          'list_queues: the same');
-- The same bounds on direct DML, where the column type does not answer first.
SELECT throws_ok(format($$ INSERT INTO syncmaster."group" (name, owner_id) VALUES (NULL, %s) $$, :owner_id),
                 '22023', 'group name is required', 'a group without a name (direct DML)');
SELECT throws_ok(format($$ INSERT INTO syncmaster."group" (name, owner_id) VALUES ('xy', %s) $$, :owner_id),
                 '22023', 'group name must have 3 to 128 characters', 'a 2-character group name (direct DML)');
SELECT throws_ok(format($$ UPDATE syncmaster."group" SET name = 'xy' WHERE id = %s $$, :team),
                 '22023', 'group name must have 3 to 128 characters', 'renamed to 2 characters (direct DML)');
SELECT throws_ok($$ INSERT INTO syncmaster."user" (username) VALUES ('') $$,
                 '22023', 'username is required', 'an empty username (direct DML)');
SELECT throws_ok(format($$ INSERT INTO syncmaster.connection (group_id, type, name, data)
                           VALUES (%s, 'sftp', 'xy', '{"host": "h"}') $$, :team),
                 '22023', 'connection name must have 3 to 128 characters', 'a 2-character connection name (direct DML)');
SELECT throws_ok(format($$ INSERT INTO syncmaster.queue (group_id, name, slug) VALUES (%s, 'xy', 'x') $$, :team),
                 '22023', 'queue name must have 3 to 128 characters', 'a 2-character queue name (direct DML)');

------------------------------------------------------------------------------------------------
-- 8. A username is one a login role can have, and no group role's.
------------------------------------------------------------------------------------------------
CREATE ROLE regress_sec_team_role NOLOGIN;
GRANT regress_sec_team_role TO regress_sec_dev;
SELECT throws_ok($$ SELECT syncmaster.create_user('regress_sec_team_role') $$, '22023',
                 'username "regress_sec_team_role" names a role that cannot log in',
                 'a user may not be named like a role that cannot log in (API)');
SELECT throws_ok($$ INSERT INTO syncmaster."user" (username) VALUES ('regress_sec_team_role') $$, '22023',
                 'username "regress_sec_team_role" names a role that cannot log in', 'nor by direct DML');
SELECT throws_ok($$ INSERT INTO syncmaster."user" (username) VALUES ('syncmaster_service') $$, '22023',
                 'username "syncmaster_service" is reserved', 'a shared role''s name is reserved (direct DML)');
SELECT throws_ok(format($$ UPDATE syncmaster."user" SET username = 'syncmaster_user' WHERE id = %s $$, :dev_id),
                 '22023', 'username "syncmaster_user" is reserved', 'nor may a user be renamed so');
SELECT throws_ok($$ INSERT INTO syncmaster."user" (username) VALUES (repeat('u', 64)) $$, '22023',
                 'username must have at most 63 bytes', 'a username longer than a role name (direct DML)');
SELECT lives_ok($$ SELECT syncmaster.create_user('regress_sec_not_yet_a_role') $$,
                'a username no role has yet is fine');
-- Should a role that cannot log in get a user's name later, it does not act as that user: its
-- members could SET ROLE to it.
CREATE ROLE regress_sec_not_yet_a_role NOLOGIN IN ROLE syncmaster_user;
GRANT regress_sec_not_yet_a_role TO regress_sec_dev;
SET ROLE regress_sec_not_yet_a_role;
SELECT throws_ok($$ SELECT * FROM syncmaster.whoami() $$, '28000', 'Not authenticated',
                 'a role that cannot log in acts as nobody');
SELECT throws_ok($$ SELECT count(*) FROM syncmaster.connection $$, '28000', 'Not authenticated',
                 'and reads nothing');
RESET ROLE;
SET ROLE syncmaster_user;
SELECT throws_ok($$ SELECT * FROM syncmaster.whoami() $$, '28000', 'Not authenticated',
                 'nor does the shared role itself');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
