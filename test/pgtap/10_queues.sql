-- Queues: slugs fixed at creation, printable names unique per
-- group once normalized, DELETE level to write, no delete while transfers use one.
BEGIN;
SELECT plan(28);

CREATE ROLE regress_q_maint LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_q_dev LOGIN IN ROLE syncmaster_user;
INSERT INTO syncmaster."user" (id, username) VALUES (401, 'regress_q_owner'), (402, 'regress_q_maint'),
                                                     (403, 'regress_q_dev');
INSERT INTO syncmaster."group" (id, name, owner_id) VALUES (4001, 'regress_q_team', 401);
INSERT INTO syncmaster.user_group VALUES (402, 4001, 'Maintainer'), (403, 4001, 'Developer');

SET ROLE regress_q_maint;
SELECT isnt(syncmaster.create_queue(4001, 'Nightly ETL!', 'loads'), NULL, 'a Maintainer creates a queue');
SELECT is((SELECT slug::text FROM syncmaster.queue WHERE name = 'Nightly ETL!'), '4001-nightly_etl',
          'its slug: {group_id}-{normalized name}');
SELECT lives_ok($$ INSERT INTO syncmaster.queue (group_id, name, slug) VALUES (4001, 'Hourly', 'whatever-i-like') $$,
                'INSERT of a queue');
SELECT is((SELECT slug::text FROM syncmaster.queue WHERE name = 'Hourly'), '4001-hourly',
          'gets the computed slug, whatever it said');
RESET ROLE;
INSERT INTO syncmaster.queue (group_id, name, slug) VALUES (4001, 'Restored', '4001-first_name');
SELECT is((SELECT slug::text FROM syncmaster.queue WHERE name = 'Restored'), '4001-first_name',
          'the system (a restore, a move from SyncMaster) keeps the slug it brings');
DELETE FROM syncmaster.queue WHERE name = 'Restored';
SET ROLE regress_q_maint;
SELECT throws_ok($$ SELECT syncmaster.create_queue(4001, 'nightly-etl') $$, '23505',
                 'The queue name already exists in the target group, please specify a new one',
                 'a name that normalizes the same is taken, API');
SELECT throws_ok($$ INSERT INTO syncmaster.queue (group_id, name) VALUES (4001, 'NIGHTLY etl') $$, '23505',
                 'The queue name already exists in the target group, please specify a new one',
                 'and through INSERT');
SELECT throws_ok($$ SELECT syncmaster.create_queue(4001, 'очередь') $$, '22023',
                 'queue name must be printable ASCII (from space to ~)', 'names are printable ASCII, API');
SELECT throws_ok($$ INSERT INTO syncmaster.queue (group_id, name) VALUES (4001, E'tab\there') $$, '22023',
                 'queue name must be printable ASCII (from space to ~)', 'and through INSERT');
SELECT throws_ok($$ SELECT syncmaster.create_queue(4001, 'ab') $$, '22023',
                 'queue name must have 3 to 128 characters', 'at least 3 characters');
SELECT throws_ok($$ SELECT syncmaster.create_queue(4001, repeat('q', 129)) $$, '22023',
                 'queue name must have 3 to 128 characters', 'at most 128 (the API checks before the column would)');

-- Renames keep the slug; a taken normalized name is refused; the slug and group never change.
SELECT lives_ok($$ SELECT syncmaster.update_queue((SELECT id FROM syncmaster.queue WHERE name = 'Hourly'), 'Every hour') $$,
                'a rename');
SELECT is((SELECT slug::text FROM syncmaster.queue WHERE name = 'Every hour'), '4001-hourly',
          'keeps the slug');
SELECT throws_ok($$ SELECT syncmaster.update_queue((SELECT id FROM syncmaster.queue WHERE name = 'Every hour'), 'Nightly  ETL') $$,
                 '23505', 'The queue name already exists in the target group, please specify a new one',
                 'a rename to a taken normalized name, API');
SELECT throws_ok($$ UPDATE syncmaster.queue SET name = 'nightly_etl' WHERE name = 'Every hour' $$,
                 '23505', 'The queue name already exists in the target group, please specify a new one',
                 'and through UPDATE');
SELECT throws_ok($$ UPDATE syncmaster.queue SET slug = '4001-mine' WHERE name = 'Every hour' $$,
                 '22023', 'The slug of a queue cannot change', 'the slug is fixed');
SELECT throws_ok($$ SELECT syncmaster.create_queue(4001, 'Hourly') $$, '23505',
                 'The queue name already exists in the target group, please specify a new one',
                 'a new queue may not take the slug a renamed one kept');
RESET ROLE;
INSERT INTO syncmaster."group" (id, name, owner_id) VALUES (4002, 'regress_q_elsewhere', 402);
SET ROLE regress_q_maint;
SELECT throws_ok($$ UPDATE syncmaster.queue SET group_id = 4002 WHERE name = 'Every hour' $$,
                 '22023', 'A queue cannot move to another group', 'nor the group');
SELECT lives_ok($$ SELECT syncmaster.create_queue(4002, 'Nightly ETL!') $$,
                'the same name in another group is fine');
RESET ROLE;

-- Developers read queues, no more.
SET ROLE regress_q_dev;
SELECT is((SELECT count(*)::int FROM syncmaster.list_queues(4001)), 2, 'a Developer lists the queues');
SELECT throws_ok($$ SELECT syncmaster.create_queue(4001, 'mine') $$, '42501', 'You have no power here',
                 'but may not create one');
SELECT throws_ok($$ SELECT syncmaster.update_queue((SELECT id FROM syncmaster.queue WHERE name = 'Every hour'), 'mine') $$,
                 '42501', 'You have no power here', 'nor rename one');
RESET ROLE;

-- A queue a transfer uses cannot be deleted.
INSERT INTO syncmaster.connection (id, group_id, type, name, data) VALUES (4101, 4001, 'sftp', 'regress_q_c', '{"host": "h"}');
INSERT INTO syncmaster.transfer (group_id, name, source_connection_id, target_connection_id, queue_id,
                                 source_params, target_params)
SELECT 4001, 'regress_q_t' || n, 4101, 4101, (SELECT id FROM syncmaster.queue WHERE name = 'Nightly ETL!' AND group_id = 4001),
       '{"type": "sftp", "directory_path": "/in", "file_format": {"type": "csv"}}',
       '{"type": "sftp", "directory_path": "/out", "file_format": {"type": "csv"}}'
FROM generate_series(1, 3) n;
SET ROLE regress_q_maint;
SELECT throws_ok($$ SELECT syncmaster.delete_queue((SELECT id FROM syncmaster.queue WHERE name = 'Nightly ETL!' AND group_id = 4001)) $$,
                 '55000', 'The queue has an associated transfers(s). Number of the linked transfers: 3', 'API');
SELECT throws_ok($$ DELETE FROM syncmaster.queue WHERE name = 'Nightly ETL!' AND group_id = 4001 $$,
                 '55000', 'The queue has an associated transfers(s). Number of the linked transfers: 3', 'SQL');
SELECT throws_ok($$ DELETE FROM syncmaster.connection WHERE id = 4101 $$, '55000',
                 'The connection has an associated transfers. Number of the connected transfers: 3',
                 'a transfer from a connection to itself counts once');
SELECT lives_ok($$ SELECT syncmaster.delete_queue((SELECT id FROM syncmaster.queue WHERE name = 'Every hour')) $$,
                'an unused queue is deleted');
SELECT results_eq($$ SELECT name::text, slug::text FROM syncmaster.list_queues(4001) $$,
                  $$ VALUES ('Nightly ETL!', '4001-nightly_etl') $$, 'list_queues');
RESET ROLE;
-- Deleting the group still cascades through its transfers and queues.
SELECT lives_ok($$ DELETE FROM syncmaster."group" WHERE id = 4001 $$,
                'deleting the group takes its queues, connections and transfers along');

SELECT * FROM finish();
ROLLBACK;
