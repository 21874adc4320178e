-- Runs: the state machine on the API and on direct DML, who may make which move, the
-- workers' functions, leases and the reaper, transfer_dump without secrets, list_runs.
BEGIN;
SELECT plan(71);

CREATE ROLE regress_r_owner LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_r_dev LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_r_guest LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_r_stranger LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_r_worker LOGIN IN ROLE syncmaster_service;
SELECT syncmaster.create_user('regress_r_owner') AS owner_id \gset
SELECT syncmaster.create_user('regress_r_dev') AS dev_id \gset
SELECT syncmaster.create_user('regress_r_guest') AS guest_id \gset
SELECT syncmaster.create_user('regress_r_stranger') AS stranger_id \gset
SELECT syncmaster.create_group('regress_r_team', owner_id => :owner_id) AS team \gset
SELECT syncmaster.add_group_member(:team, :dev_id, 'Developer');
SELECT syncmaster.add_group_member(:team, :guest_id, 'Guest');
SELECT syncmaster.create_connection(:team, 'regress_r_src', 'postgres', '{"host": "src", "database_name": "d"}',
                                    '{"type": "basic", "user": "reader", "password": "R3AD-S3CR3T"}') AS src \gset
SELECT syncmaster.create_connection(:team, 'regress_r_dst', 'postgres', '{"host": "dst", "database_name": "d"}',
                                    '{"type": "basic", "user": "writer", "password": "WR1TE-S3CR3T"}') AS dst \gset
SELECT syncmaster.copy_connection(:src, :team, 'regress_r_copy') AS copy \gset
SELECT syncmaster.create_queue(:team, 'regress r queue') AS queue \gset
SELECT slug FROM syncmaster.queue WHERE id = :queue \gset
SELECT syncmaster.create_transfer(:team, 'regress_r_load', :src, :dst, :queue,
         '{"type": "postgres", "table_name": "a.b"}', '{"type": "postgres", "table_name": "a.c"}') AS t \gset
SELECT syncmaster.create_transfer(:team, 'regress_r_uncredited', :copy, :dst, :queue,
         '{"type": "postgres", "table_name": "a.b"}', '{"type": "postgres", "table_name": "a.c"}') AS u \gset
SET syncmaster.log_url_template = 'https://logs.example.com/{queue}/{transfer_id}/{run_id}';

-- Starting: a Developer's MANUAL run in CREATED, with the transfer as of now and no secret.
SET ROLE regress_r_dev;
SELECT syncmaster.start_run(:t) AS r1 \gset
RESET ROLE;
SELECT results_eq(format('SELECT status::text, type::text, started_at IS NULL, ended_at IS NULL FROM syncmaster.run WHERE id = %s', :r1),
                  $$ VALUES ('CREATED', 'MANUAL', true, true) $$, 'start_run: CREATED, MANUAL, not started');
SELECT is((SELECT transfer_dump->'source_connection'->'auth_data' FROM syncmaster.run WHERE id = :r1),
          '{"type": "basic", "user": "reader"}'::jsonb, 'the dump carries the public part of the credentials');
SELECT is((SELECT transfer_dump->>'name' FROM syncmaster.run WHERE id = :r1), 'regress_r_load', 'and the transfer');
SELECT is((SELECT count(*) FROM syncmaster.run WHERE transfer_dump::text LIKE '%S3CR3T%'), 0::bigint,
          'no secret in any dump');
SELECT ok((SELECT NOT transfer_dump ? 'transformations' AND NOT transfer_dump->'target_connection' ? 'type'
           FROM syncmaster.run WHERE id = :r1), 'SyncMaster''s shape: no transformations, no connection type');

-- Who may start, on the API and by direct DML.
SET ROLE regress_r_guest;
SELECT throws_ok(format('SELECT syncmaster.start_run(%s)', :t), '42501', 'You have no power here', 'a Guest may not start (API)');
SELECT throws_ok(format('INSERT INTO syncmaster.run (transfer_id) VALUES (%s)', :t), '42501', 'You have no power here',
                 'nor by INSERT');
RESET ROLE;
SET ROLE regress_r_stranger;
SELECT throws_ok(format('SELECT syncmaster.start_run(%s)', :t), 'P0002', 'Transfer not found', 'a stranger: no such transfer (API)');
SELECT throws_ok(format('INSERT INTO syncmaster.run (transfer_id) VALUES (%s)', :t), 'P0002', 'Transfer not found',
                 'nor by INSERT');
RESET ROLE;
SET ROLE regress_r_dev;
SELECT throws_ok(format('INSERT INTO syncmaster.run (transfer_id, status) VALUES (%s, %L)', :t, 'STARTED'), '42501',
                 'You have no power here', 'a user''s run starts as CREATED');
SELECT throws_ok(format('INSERT INTO syncmaster.run (transfer_id, type) VALUES (%s, %L)', :t, 'SCHEDULED'), '42501',
                 'You have no power here', 'scheduled runs are the system''s');
SELECT throws_ok(format('SELECT syncmaster.start_run(%s)', :u), '55000', format('Credentials not set for connection %s', :copy),
                 'a connection without credentials: no run (API)');
SELECT throws_ok(format('INSERT INTO syncmaster.run (transfer_id) VALUES (%s)', :u), '55000',
                 format('Credentials not set for connection %s', :copy), 'nor by INSERT');
RESET ROLE;
SELECT is((SELECT count(*) FROM syncmaster.run WHERE transfer_id = :u), 0::bigint, 'and no row was left');

-- The workers' functions are the system's.
SET ROLE regress_r_dev;
SELECT throws_ok(format('SELECT * FROM syncmaster.claim_run(%L)', :'slug'), '42501', 'You have no power here', 'a user claims nothing');
SELECT throws_ok(format('SELECT syncmaster.heartbeat_run(%s)', :r1), '42501', 'You have no power here', 'nor renews leases');
SELECT throws_ok(format('SELECT syncmaster.finish_run(%s, %L)', :r1, 'FINISHED'), '42501', 'You have no power here',
                 'nor finishes runs');
SELECT throws_ok('SELECT syncmaster.reap_stale_runs()', '42501', 'You have no power here', 'nor reaps them');
SELECT throws_ok(format('UPDATE syncmaster.run SET status = %L WHERE id = %s', 'STARTED', :r1), '42501',
                 'You have no power here', 'nor claims by UPDATE');
RESET ROLE;

-- A worker claims: STARTED, started_at, its name, a lease.
SET ROLE regress_r_worker;
SELECT results_eq(format('SELECT id, status::text, worker::text, started_at IS NOT NULL, lease_expires_at > now() FROM syncmaster.claim_run(%L, %L)', :'slug', 'worker-1'),
                  format('VALUES (%s::bigint, %L, %L, true, true)', :r1, 'STARTED', 'worker-1'),
                  'claim_run: the oldest CREATED run, STARTED, with the worker and a lease');
SELECT is_empty(format('SELECT * FROM syncmaster.claim_run(%L, %L)', :'slug', 'worker-2'), 'no free run: no row');
SELECT is(syncmaster.heartbeat_run(:r1), false, 'a heartbeat renews the lease: no stop asked');
RESET ROLE;

-- A user asks a running run to stop; the worker hears it and acknowledges.
SET ROLE regress_r_dev;
SELECT throws_ok(format('UPDATE syncmaster.run SET status = %L WHERE id = %s', 'FINISHED', :r1), '42501',
                 'You have no power here', 'a user may not finish a run');
SELECT throws_ok(format('UPDATE syncmaster.run SET worker = %L WHERE id = %s', 'me', :r1), '42501',
                 'You have no power here', 'nor change anything but a stop');
SELECT throws_ok(format('UPDATE syncmaster.run SET started_at = now() - interval %L WHERE id = %s', '1 day', :r1), '42501',
                 'You have no power here', 'nor the timestamps, which are the database''s');
SELECT lives_ok(format('SELECT syncmaster.stop_run(%s)', :r1), 'stop_run on a STARTED run');
RESET ROLE;
SELECT is((SELECT status::text FROM syncmaster.run WHERE id = :r1), 'SEND_STOP_SIGNAL', 'the worker is asked to stop');
SET ROLE regress_r_worker;
SELECT is(syncmaster.heartbeat_run(:r1), true, 'its next heartbeat says so');
SELECT lives_ok(format('SELECT syncmaster.finish_run(%s, %L)', :r1, 'STOPPED'), 'the worker acknowledges');
RESET ROLE;
SELECT results_eq(format('SELECT status::text, ended_at IS NOT NULL, log_url::text, lease_expires_at IS NULL FROM syncmaster.run WHERE id = %s', :r1),
                  format('VALUES (%L, true, %L, true)', 'STOPPED', format('https://logs.example.com/%s/%s/%s', :'slug', :t, :r1)),
                  'STOPPED, ended, its log_url from the template');
SET ROLE regress_r_dev;
SELECT throws_ok(format('SELECT syncmaster.stop_run(%s)', :r1), '55000', format('Cannot stop run %s. Current status is STOPPED', :r1),
                 'a stopped run cannot be stopped again');
RESET ROLE;
SELECT throws_ok(format('UPDATE syncmaster.run SET status = %L WHERE id = %s', 'STARTED', :r1), '55000',
                 format('Run %s is STOPPED and cannot change', :r1), 'terminal states never change, not even for the system');
SELECT throws_ok(format('SELECT syncmaster.stop_run(%s)', 0), 'P0002', 'Run not found', 'an unknown run');

-- A stop before any claim is STOPPED at once, on the API and by UPDATE.
SET ROLE regress_r_dev;
SELECT syncmaster.start_run(:t) AS r2 \gset
SELECT syncmaster.start_run(:t) AS r3 \gset
SELECT lives_ok(format('SELECT syncmaster.stop_run(%s)', :r2), 'stop_run on a CREATED run');
SELECT lives_ok(format('UPDATE syncmaster.run SET status = %L WHERE id = %s', 'STOPPED', :r3), 'or by UPDATE');
RESET ROLE;
SELECT results_eq(format('SELECT status::text, started_at IS NULL, ended_at IS NOT NULL FROM syncmaster.run WHERE id IN (%s, %s) ORDER BY id', :r2, :r3),
                  $$ VALUES ('STOPPED', true, true), ('STOPPED', true, true) $$, 'STOPPED, never started');

-- The state machine for the system too.
SET ROLE regress_r_dev;
SELECT syncmaster.start_run(:t) AS r4 \gset
RESET ROLE;
SET ROLE regress_r_worker;
SELECT throws_ok(format('SELECT syncmaster.finish_run(%s, %L)', :r4, 'FINISHED'), '55000',
                 format('Cannot change the status of run %s from CREATED to FINISHED', :r4), 'a run that never started cannot finish');
SELECT throws_ok(format('SELECT syncmaster.finish_run(%s, %L)', :r4, 'STARTED'), '22023',
                 'A run finishes as FINISHED, FAILED or STOPPED', 'finish_run takes a terminal status');
SELECT throws_ok(format('SELECT syncmaster.finish_run(%s, %L)', :r4, 'DONE'), '22023',
                 'Input should be one of: CREATED, STARTED, FINISHED, FAILED, SEND_STOP_SIGNAL, STOPPED', 'and a real one');
SELECT is((SELECT id FROM syncmaster.claim_run(:'slug', 'worker-1')), :r4::bigint, 'claimed');
SELECT lives_ok(format('SELECT syncmaster.finish_run(%s, %L, %L)', :r4, 'FINISHED', 'https://elsewhere/log'), 'and finished');
RESET ROLE;
SELECT is((SELECT log_url::text FROM syncmaster.run WHERE id = :r4), 'https://elsewhere/log', 'with the worker''s log_url');
SELECT throws_ok(format('UPDATE syncmaster.run SET transfer_id = %s WHERE id = %s', :u, :r2), '22023',
                 'The transfer of a run cannot change', 'a run keeps its transfer');

-- A worker that vanishes: its lease expires and the reaper fails the run, saying why.
SET ROLE regress_r_dev;
SELECT syncmaster.start_run(:t) AS r5 \gset
RESET ROLE;
SET ROLE regress_r_worker;
SELECT is((SELECT id FROM syncmaster.claim_run(:'slug', 'worker-lost')), :r5::bigint, 'a worker claims and vanishes');
RESET ROLE;
UPDATE syncmaster.run SET lease_expires_at = now() - interval '1 second' WHERE id = :r5;
SET ROLE regress_r_worker;
SELECT is(syncmaster.reap_stale_runs(), 1, 'the reaper fails the run whose lease expired');
SELECT throws_ok(format('SELECT syncmaster.heartbeat_run(%s)', :r5), '55000', format('Run %s is FAILED, not running', :r5),
                 'a late heartbeat learns the run is gone');
RESET ROLE;
SELECT alike((SELECT failure_reason::text FROM syncmaster.run WHERE id = :r5),
            'The lease of worker worker-lost expired at % without a heartbeat', 'the reason is kept');
SELECT throws_ok(format('UPDATE syncmaster.run SET type = %L WHERE id = %s', 'SCHEDULED', :r5), '22023',
                 'The type of a run cannot change', 'a run keeps its type');
SELECT throws_ok(format('UPDATE syncmaster.run SET log_url = %L WHERE id = %s', 'x', :r5), '55000',
                 format('Run %s is FAILED and cannot change', :r5), 'nor does anything of a failed run');

-- list_runs: newest first, SyncMaster's filters, READ on the transfer.
SET ROLE regress_r_guest;
SELECT results_eq(format('SELECT id, status::text, total FROM syncmaster.list_runs(%s)', :t),
                  format('VALUES (%s::bigint, %L, 5::bigint), (%s, %L, 5), (%s, %L, 5), (%s, %L, 5), (%s, %L, 5)',
                         :r5, 'FAILED', :r4, 'FINISHED', :r3, 'STOPPED', :r2, 'STOPPED', :r1, 'STOPPED'),
                  'a Guest lists the runs, newest first, with the total');
SELECT is((SELECT count(*) FROM syncmaster.list_runs(:t, statuses => '{STOPPED}')), 3::bigint, 'by status');
SELECT is((SELECT count(*) FROM syncmaster.list_runs(:t, started_at_since => now() - interval '1 hour')), 3::bigint,
          'a date filter leaves out the runs never started');
SELECT throws_ok(format('SELECT * FROM syncmaster.list_runs(%s, statuses => %L)', :t, '{DONE}'), '22023',
                 'Input should be one of: CREATED, STARTED, FINISHED, FAILED, SEND_STOP_SIGNAL, STOPPED', 'an unknown status');
RESET ROLE;
SET ROLE regress_r_stranger;
SELECT throws_ok(format('SELECT * FROM syncmaster.list_runs(%s)', :t), 'P0002', 'Transfer not found', 'a stranger sees none');
RESET ROLE;
-- The total is kept in run_total by the run table's statement triggers: every insert and delete,
-- one row or many, through the API or not.
SELECT is((SELECT runs FROM syncmaster.run_total WHERE transfer_id = :t), 5::bigint,
          'run_total keeps the count of the transfer''s runs');
INSERT INTO syncmaster.run (transfer_id, transfer_dump) SELECT :t, '{}' FROM generate_series(1, 3);
SELECT is((SELECT DISTINCT total FROM syncmaster.list_runs(:t)), 8::bigint, 'a direct INSERT of three counts them');
DELETE FROM syncmaster.run WHERE transfer_id = :t AND status = 'CREATED';
SELECT is((SELECT DISTINCT total FROM syncmaster.list_runs(:t)), 5::bigint, 'a DELETE uncounts them');
SAVEPOINT before_truncate;
TRUNCATE syncmaster.run;
SELECT is_empty('SELECT * FROM syncmaster.run_total', 'TRUNCATE empties run_total');
ROLLBACK TO SAVEPOINT before_truncate;
SAVEPOINT before_delete;
DELETE FROM syncmaster.transfer WHERE id = :t;
SELECT is_empty(format('SELECT * FROM syncmaster.run_total WHERE transfer_id = %s', :t),
                'a deleted transfer takes its count along');
ROLLBACK TO SAVEPOINT before_delete;
-- A load with the triggers disabled leaves the totals behind; recount_totals() counts them again.
ALTER TABLE syncmaster.run DISABLE TRIGGER count_deleted;
DELETE FROM syncmaster.run WHERE id = :r1;
ALTER TABLE syncmaster.run ENABLE TRIGGER count_deleted;
SELECT syncmaster.recount_totals();
SELECT is((SELECT DISTINCT total FROM syncmaster.list_runs(:t)), 4::bigint,
          'recount_totals() counts the runs again');

-- The workers' functions are plain UPDATEs the run's rules judge: a bare UPDATE by the system
-- gets the worker, lease, reason and log_url the API gives.
SET syncmaster.run_lease = '90s';
SET ROLE regress_r_dev;
SELECT syncmaster.start_run(:t) AS r6 \gset
SELECT syncmaster.start_run(:t) AS r7 \gset
SELECT syncmaster.start_run(:t) AS r8 \gset
RESET ROLE;
SET ROLE regress_r_worker;
SELECT is((SELECT id FROM syncmaster.claim_run(:'slug', 'w-api')), :r6::bigint, 'the API claims a run');
UPDATE syncmaster.run SET status = 'STARTED', worker = 'w-bare' WHERE id IN (:r7, :r8);
RESET ROLE;
SELECT results_eq(format('SELECT id, worker::text, lease_expires_at - started_at FROM syncmaster.run WHERE id IN (%s, %s) ORDER BY id', :r6, :r7),
                  format($$VALUES (%s::bigint, 'w-api', '90s'::interval), (%s, 'w-bare', '90s')$$, :r6, :r7),
                  'a bare UPDATE to STARTED gets the lease a claim gets');
UPDATE syncmaster.run SET lease_expires_at = now() - interval '1 second' WHERE id IN (:r6, :r7, :r8);
SET ROLE regress_r_worker;
SELECT is(syncmaster.heartbeat_run(:r6), false, 'the API renews a lease');
UPDATE syncmaster.run SET status = status WHERE id = :r8;
RESET ROLE;
SELECT is((SELECT count(*) FROM syncmaster.run WHERE id IN (:r6, :r8) AND lease_expires_at > now()), 2::bigint,
          'and so does a bare UPDATE that leaves a running run running (a heartbeat)');
SET ROLE regress_r_worker;
SELECT throws_ok(format('UPDATE syncmaster.run SET status = %L WHERE id = %s', 'CREATED', :r7), '55000',
                 format('Cannot change the status of run %s from STARTED to CREATED', :r7),
                 'a bare UPDATE follows the state machine');
UPDATE syncmaster.run SET status = 'FAILED' WHERE id = :r7;
SELECT syncmaster.finish_run(:r6, 'FINISHED');
UPDATE syncmaster.run SET status = 'FINISHED' WHERE id = :r8;
RESET ROLE;
SELECT alike((SELECT failure_reason::text FROM syncmaster.run WHERE id = :r7),
             'The lease of worker w-bare expired at % without a heartbeat',
             'a bare UPDATE failing a run whose lease expired gets the reaper''s reason');
SELECT results_eq(format('SELECT id, lease_expires_at IS NULL, ended_at IS NOT NULL, log_url::text FROM syncmaster.run WHERE id IN (%s, %s, %s) ORDER BY id',
                         :r6, :r7, :r8),
                  format($$VALUES (%s::bigint, true, true, %L), (%s, true, true, %L), (%s, true, true, %L)$$,
                         :r6, format('https://logs.example.com/%s/%s/%s', :'slug', :t, :r6),
                         :r7, format('https://logs.example.com/%s/%s/%s', :'slug', :t, :r7),
                         :r8, format('https://logs.example.com/%s/%s/%s', :'slug', :t, :r8)),
                  'ended by finish_run or by a bare UPDATE: no lease, ended_at, the log_url of the template');
SELECT is((SELECT failure_reason FROM syncmaster.run WHERE id = :r8), NULL, 'a run that finishes has no failure reason');
RESET syncmaster.run_lease;

-- A scheduled run goes through the same path.
SELECT is(syncmaster.fire_scheduled_transfer(:t), NULL, 'an unscheduled transfer fires nothing');
SET ROLE regress_r_worker;
SELECT throws_ok(format('INSERT INTO syncmaster.run (transfer_id, type) VALUES (%s, %L)', :t, 'SCHEDULED'), '55000',
                 format('Transfer %s is not scheduled', :t), 'nor does a bare INSERT of a SCHEDULED run');
RESET ROLE;
SELECT throws_ok('SELECT syncmaster.fire_scheduled_transfer(NULL)', '22023', 'transfer_id is required',
                 'and no transfer at all is an error, not a silent NULL');

SELECT * FROM finish();
ROLLBACK;
