-- No tenant-wide locks. PostgreSQL lets any role with UPDATE or DELETE on a table LOCK it in any
-- mode, and every user holds those on the extension's tables: one LOCK TABLE would stop every
-- tenant and the workers. The library refuses LOCK TABLE on them, directly, through a view of the
-- user's own, and inside a function, to all but their owner and superusers. Row locks follow the
-- UPDATE policies: a Guest locks nothing, a stranger sees nothing to lock, a Developer locks only
-- the rows it may change. (Workers and a Developer's lock: test/isolation/specs/tenant_row_locks.)
BEGIN;
SELECT plan(22);

CREATE ROLE regress_l_owner LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_l_guest LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_l_dev LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_l_stranger LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_l_nobody LOGIN;
INSERT INTO syncmaster."user" (id, username) VALUES
    (701, 'regress_l_owner'), (702, 'regress_l_guest'), (703, 'regress_l_dev'), (704, 'regress_l_stranger');
INSERT INTO syncmaster."group" (id, name, owner_id) VALUES (7001, 'regress_l_team', 701);
INSERT INTO syncmaster.user_group VALUES (702, 7001, 'Guest'), (703, 7001, 'Developer');
INSERT INTO syncmaster.connection (id, group_id, type, name, data)
VALUES (7101, 7001, 'postgres', 'regress_l_pg', '{"host": "h", "database_name": "d"}');
INSERT INTO syncmaster.queue (id, group_id, name) VALUES (7201, 7001, 'regress l queue');

-- LOCK TABLE, in every mode that could stop others, as a user of the group and as a stranger.
SET ROLE regress_l_dev;
SELECT throws_ok(format('LOCK TABLE syncmaster.%I IN %s MODE', t, m), '42501', 'You have no power here',
                 format('a Developer may not LOCK TABLE syncmaster.%s IN %s MODE', t, m))
FROM (VALUES ('run', 'ACCESS EXCLUSIVE'), ('connection', 'EXCLUSIVE'), ('transfer', 'SHARE'),
             ('queue', 'SHARE ROW EXCLUSIVE'), ('user_group', 'ROW EXCLUSIVE'), ('user', 'ROW SHARE'),
             ('group', 'ACCESS SHARE')) v (t, m);
RESET ROLE;
SET ROLE regress_l_stranger;
SELECT throws_ok('LOCK TABLE syncmaster.run', '42501', 'You have no power here',
                 'a user of no group may not lock the runs of every tenant');
-- Through a view of its own: LOCK TABLE on a view locks the tables below it.
CREATE TEMP VIEW my_runs AS SELECT r.id FROM syncmaster.run r JOIN syncmaster.transfer t ON t.id = r.transfer_id;
SELECT throws_ok('LOCK TABLE my_runs IN ACCESS EXCLUSIVE MODE', '42501', 'You have no power here',
                 'nor through a view of its own');
CREATE TEMP VIEW my_view_of_a_view AS SELECT * FROM my_runs WHERE id IN (SELECT id FROM syncmaster.queue);
SELECT throws_ok('LOCK TABLE my_view_of_a_view', '42501', 'You have no power here',
                 'nor through a view of a view');
-- Inside a function: PL/pgSQL runs LOCK TABLE through the same hook.
CREATE FUNCTION pg_temp.lock_all() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE syncmaster.transfer IN ACCESS EXCLUSIVE MODE;
END
$$;
SELECT throws_ok('SELECT pg_temp.lock_all()', '42501', 'You have no power here',
                 'nor inside a function');
-- Its own tables it locks as it likes.
CREATE TEMP TABLE mine (id int);
SELECT lives_ok('LOCK TABLE mine IN ACCESS EXCLUSIVE MODE', 'a user locks its own tables');
RESET ROLE;
SELECT lives_ok('LOCK TABLE syncmaster.run IN SHARE MODE', 'a superuser (here the owner) may lock them');

-- Row locks: the Guest is refused, the stranger sees nothing, the Developer locks what it may change.
SET ROLE regress_l_guest;
SELECT is((SELECT count(*)::int FROM syncmaster.connection), 1, 'the Guest reads the connection');
SELECT throws_ok('SELECT id FROM syncmaster.connection FOR UPDATE', '42501', 'You have no power here',
                 'but may not lock it FOR UPDATE');
SELECT throws_ok('SELECT id FROM syncmaster.connection FOR KEY SHARE', '42501', 'You have no power here',
                 'nor FOR KEY SHARE');
SELECT throws_ok('SELECT id FROM syncmaster.queue FOR SHARE', '42501', 'You have no power here',
                 'nor a queue FOR SHARE');
SELECT throws_ok($$ UPDATE syncmaster.connection SET description = 'x' $$, '42501', 'You have no power here',
                 'nor change it (the same refusal)');
RESET ROLE;
SET ROLE regress_l_stranger;
SELECT is((SELECT count(*)::int FROM (SELECT id FROM syncmaster.connection FOR UPDATE) l), 0,
          'a stranger sees nothing to lock');
RESET ROLE;
SET ROLE regress_l_dev;
SELECT is((SELECT count(*)::int FROM (SELECT id FROM syncmaster.connection FOR NO KEY UPDATE) l), 1,
          'a Developer locks the connection it may change');
SELECT throws_ok('SELECT id FROM syncmaster.queue FOR UPDATE', '42501', 'You have no power here',
                 'but not the queue (a Developer only reads queues)');
RESET ROLE;

-- A role with no privilege at all is refused by PostgreSQL before anything else.
SET ROLE regress_l_nobody;
SELECT throws_ok('LOCK TABLE syncmaster.run', '42501', 'permission denied for schema syncmaster',
                 'a role outside syncmaster_user does not even see the schema');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
