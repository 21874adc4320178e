-- Column rights: every column of every table is declared (who may write it on INSERT and on
-- UPDATE), and the declaration is what the rules triggers apply. The reproducers of a tenant
-- moving a connection with its credentials into its own group, and of forged history (a run that
-- jumps the queue with an old created_at, a CREATED run carrying an ended_at that survives its
-- claim, a worker or a lease set by a user).
BEGIN;
SELECT plan(33);

-- Every column of every table of the schema has a declaration, and nothing is declared that the
-- tables do not have: a column added without one fails here.
SELECT set_eq(
    $$ SELECT c.table_name::text, c.column_name::text FROM information_schema.columns c
       JOIN information_schema.tables t USING (table_schema, table_name)
       WHERE c.table_schema = 'syncmaster' AND t.table_type = 'BASE TABLE' $$,
    $$ SELECT table_name, column_name FROM syncmaster.column_rights() $$,
    'every column of every table is declared, and only those');
SELECT is_empty(
    $$ SELECT table_name, column_name FROM syncmaster.column_rights()
       WHERE on_insert NOT IN ('user', 'stamped', 'key')
          OR on_update NOT IN ('user', 'superuser', 'system', 'stamped', 'immutable', 'moved') $$,
    'each declaration is one of the known rights');
SELECT results_eq(
    $$ SELECT column_name, on_insert, on_update FROM syncmaster.column_rights()
       WHERE table_name = 'run' AND column_name IN ('created_at', 'ended_at', 'worker', 'status')
       ORDER BY column_name $$,
    $$ VALUES ('created_at', 'stamped', 'stamped'), ('ended_at', 'stamped', 'system'),
              ('status', 'user', 'user'), ('worker', 'stamped', 'system') $$,
    'column_rights() shows the declaration: a run''s times and worker are the database''s');

CREATE ROLE regress_k_owner LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_k_dev LOGIN IN ROLE syncmaster_user;
SELECT syncmaster.create_user('regress_k_owner') AS owner_id \gset
SELECT syncmaster.create_user('regress_k_dev') AS dev_id \gset
SELECT syncmaster.create_group('regress_k_victim', owner_id => :owner_id) AS victim \gset
SELECT syncmaster.create_group('regress_k_own', owner_id => :dev_id) AS own \gset
SELECT syncmaster.add_group_member(:victim, :dev_id, 'Developer');
SELECT syncmaster.create_connection(:victim, 'regress_k_pg', 'postgres',
         '{"host": "h", "database_name": "d"}',
         '{"type": "basic", "user": "u", "password": "S3CR3T"}') AS pg \gset
SELECT syncmaster.create_queue(:victim, 'regress k queue') AS queue \gset
SELECT syncmaster.create_transfer(:victim, 'regress_k_t', :pg, :pg, :queue,
         '{"type": "postgres", "table_name": "a.b"}', '{"type": "postgres", "table_name": "a.c"}') AS t \gset
SELECT slug AS queue_slug FROM syncmaster.queue WHERE id = :queue \gset

-- Finding 1: a Developer moves a connection, sealed credentials and all, into a group it owns.
SET ROLE regress_k_dev;
SELECT throws_ok(format($$ UPDATE syncmaster.connection SET group_id = %s WHERE id = %s $$, :own, :pg),
                 '22023', 'A connection cannot move to another group',
                 'a Developer may not move a connection into a group it owns');
SELECT throws_ok(format($$ UPDATE syncmaster.connection SET group_id = %s, name = 'regress_k_stolen' WHERE id = %s $$, :own, :pg),
                 '22023', 'A connection cannot move to another group',
                 'nor with another change beside it');
RESET ROLE;
SELECT is((SELECT group_id FROM syncmaster.connection WHERE id = :pg), :victim::bigint,
          'the connection stays in its group');
SET ROLE regress_k_owner;
SELECT throws_ok(format($$ UPDATE syncmaster.connection SET group_id = %s WHERE id = %s $$, :own, :pg),
                 '22023', 'A connection cannot move to another group',
                 'nor may the owner of the group (a copy moves it: copy_connection(..., remove_source))');
RESET ROLE;
SELECT throws_ok(format($$ UPDATE syncmaster.connection SET group_id = %s WHERE id = %s $$, :own, :pg),
                 '55000', 'The connection has an associated transfers. Number of the connected transfers: 1',
                 'the system may not move one a transfer uses either');

-- Finding 2: forged history. A Developer's run gets the database's times, no worker, no lease,
-- no log and no reason, whatever it sends.
SET ROLE regress_k_dev;
SELECT lives_ok(format($$
    INSERT INTO syncmaster.run (transfer_id, created_at, updated_at, started_at, ended_at, worker,
                                lease_expires_at, log_url, failure_reason)
    VALUES (%s, '1970-01-01', '1970-01-01', '1970-01-01', '1970-01-02', 'forged-worker',
            '2999-01-01', 'http://forged', 'forged reason') $$, :t),
    'a Developer inserts a run with forged columns: the row is accepted');
RESET ROLE;
SELECT id AS forged FROM syncmaster.run WHERE transfer_id = :t \gset
SELECT results_eq(
    format($$ SELECT created_at = now(), updated_at = now(), started_at, ended_at, worker,
                     lease_expires_at, log_url, failure_reason, status
              FROM syncmaster.run WHERE id = %s $$, :forged),
    $$ VALUES (true, true, NULL::timestamptz, NULL::timestamptz, NULL::varchar,
               NULL::timestamptz, NULL::varchar, NULL::varchar, 'CREATED'::varchar) $$,
    'its times are now(); worker, lease, log_url, failure_reason and ended_at are empty');
SELECT is((SELECT transfer_dump->>'name' FROM syncmaster.run WHERE id = :forged), 'regress_k_t',
          'its transfer_dump is the database''s');
SET ROLE regress_k_dev;
SELECT lives_ok(format($$ INSERT INTO syncmaster.run (transfer_id, transfer_dump, queue_id)
                          VALUES (%s, '{"name": "forged"}', 0) $$, :t),
                'a run with a forged dump and queue is accepted');
RESET ROLE;
SELECT results_eq(
    format($$ SELECT transfer_dump->>'name', queue_id FROM syncmaster.run
              WHERE transfer_id = %s AND id <> %s $$, :t, :forged),
    format($$ VALUES ('regress_k_t'::text, %s::bigint) $$, :queue),
    'and gets the real ones');
DELETE FROM syncmaster.run WHERE transfer_id = :t AND id <> :forged;

-- It takes its place in the queue as of now, and nothing forged survives the claim.
SELECT results_eq(format($$ SELECT id, worker, ended_at FROM syncmaster.claim_run(%L, 'w1') $$, :'queue_slug'),
                  format($$ VALUES (%s::bigint, 'w1'::varchar, NULL::timestamptz) $$, :forged),
                  'the claim records the real worker and no end');

-- On UPDATE a user changes no time, worker, lease, log or reason of a run.
SET ROLE regress_k_dev;
SELECT throws_ok(format($$ UPDATE syncmaster.run SET worker = 'me' WHERE id = %s $$, :forged),
                 '42501', 'You have no power here', 'a Developer may not change a run''s worker');
SELECT throws_ok(format($$ UPDATE syncmaster.run SET lease_expires_at = '2999-01-01' WHERE id = %s $$, :forged),
                 '42501', 'You have no power here', 'nor its lease');
SELECT throws_ok(format($$ UPDATE syncmaster.run SET ended_at = now() WHERE id = %s $$, :forged),
                 '42501', 'You have no power here', 'nor its end');
SELECT throws_ok(format($$ UPDATE syncmaster.run SET log_url = 'x', failure_reason = 'y' WHERE id = %s $$, :forged),
                 '42501', 'You have no power here', 'nor its log and reason');
SELECT throws_ok(format($$ UPDATE syncmaster.run SET transfer_dump = '{}' WHERE id = %s $$, :forged),
                 '42501', 'You have no power here', 'nor its dump');
SELECT lives_ok(format($$ UPDATE syncmaster.run SET created_at = '1970-01-01', status = 'SEND_STOP_SIGNAL' WHERE id = %s $$, :forged),
                'asking a run to stop with a created_at beside it is accepted');
RESET ROLE;
SELECT results_eq(format($$ SELECT created_at > '2000-01-01', status FROM syncmaster.run WHERE id = %s $$, :forged),
                  $$ VALUES (true, 'SEND_STOP_SIGNAL'::varchar) $$,
                  'the stop is taken and created_at stays the database''s');
SELECT throws_ok(format($$ UPDATE syncmaster.run SET transfer_id = 0 WHERE id = %s $$, :forged),
                 '22023', 'The transfer of a run cannot change', 'not even the system moves a run');
SELECT throws_ok(format($$ UPDATE syncmaster.run SET id = -1 WHERE id = %s $$, :forged),
                 '22023', 'run.id cannot change', 'nor renumbers it');

-- The system's values stand: a restore keeps when its rows were made.
SELECT lives_ok(format($$ UPDATE syncmaster.run SET log_url = 'http://log', status = 'STOPPED' WHERE id = %s $$, :forged),
                'the system (a worker) writes the log and the status');
INSERT INTO syncmaster.run (transfer_id, status, created_at, started_at, ended_at, worker)
VALUES (:t, 'FINISHED', '2020-01-01', '2020-01-01 00:01', '2020-01-01 00:02', 'old-worker')
RETURNING id AS restored \gset
SELECT results_eq(format($$ SELECT created_at, started_at, ended_at, worker FROM syncmaster.run WHERE id = %s $$, :restored),
                  $$ VALUES ('2020-01-01'::timestamptz, '2020-01-01 00:01'::timestamptz,
                             '2020-01-01 00:02'::timestamptz, 'old-worker'::varchar) $$,
                  'a run the system inserts keeps its times and worker (a restore)');

-- Transfers, connections, queues and groups: their times and search vectors are the database's.
SET ROLE regress_k_dev;
SELECT lives_ok(format($$
    INSERT INTO syncmaster.transfer (group_id, name, source_connection_id, target_connection_id,
                                     queue_id, source_params, target_params, created_at, updated_at)
    VALUES (%s, 'regress_k_old', %s, %s, %s, '{"type": "postgres", "table_name": "a.b"}',
            '{"type": "postgres", "table_name": "a.c"}', '1970-01-01', '1970-01-01') $$,
    :victim, :pg, :pg, :queue), 'a Developer inserts a transfer with forged times');
SELECT lives_ok(format($$ UPDATE syncmaster.transfer SET created_at = '1970-01-01' WHERE id = %s $$, :t),
                'and updates one''s created_at');
SELECT lives_ok(format($$ UPDATE syncmaster.connection SET search_vector = to_tsvector('simple', 'forged') WHERE id = %s $$, :pg),
                'and a connection''s search vector');
RESET ROLE;
SELECT results_eq(
    format($$ SELECT bool_and(created_at > '2000-01-01' AND updated_at > '2000-01-01')
              FROM syncmaster.transfer WHERE group_id = %s $$, :victim),
    $$ VALUES (true) $$, 'the transfers keep the database''s times');
SELECT is((SELECT search_vector @@ to_tsquery('simple', 'forged') FROM syncmaster.connection WHERE id = :pg),
          false, 'the connection keeps the search vector of its name');
SELECT is((SELECT search_vector @@ to_tsquery('simple', 'regress_k_pg') FROM syncmaster.connection WHERE id = :pg),
          true, 'which still finds it');

-- A queue's slug and group, a transfer's group: never, for anyone.
SELECT throws_ok(format($$ UPDATE syncmaster.queue SET group_id = %s WHERE id = %s $$, :own, :queue),
                 '22023', 'A queue cannot move to another group', 'the system may not move a queue');
SELECT throws_ok(format($$ UPDATE syncmaster.transfer SET group_id = %s WHERE id = %s $$, :own, :t),
                 '22023', 'A transfer cannot move to another group', 'nor a transfer');

SELECT * FROM finish();
ROLLBACK;
