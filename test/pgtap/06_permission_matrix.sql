-- The permission matrix (README, Permissions): every actor (system, superuser, owner, Maintainer,
-- Developer, Guest, non-member, inactive, unknown) × every action, through the API function where
-- there is one and through direct SQL, each actor reached both through SET ROLE and through an
-- application's session (syncmaster_app) naming it in syncmaster.acting_user (the system through a
-- syncmaster_service session, which names nobody). Each case runs in its own
-- subtransaction and is rolled back, so every case starts from the same fixture. An outcome is
-- "ok <result>" (for DML, the number of rows it touched: row-level security hides rows from
-- non-members, so their DML touches none) or "<SQLSTATE> <message>".
BEGIN;

CREATE ROLE regress_m_root LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_m_owner LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_m_maint LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_m_dev LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_m_guest LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_m_stranger LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_m_sleepy LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_m_unknown LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_m_svc LOGIN IN ROLE syncmaster_service;
CREATE ROLE regress_m_app LOGIN IN ROLE syncmaster_app;

-- The fixture, made by the system (a PostgreSQL superuser), with fixed ids.
INSERT INTO syncmaster."user" (id, username, is_superuser, is_active) VALUES
    (901, 'regress_m_root', true, true), (902, 'regress_m_owner', false, true),
    (903, 'regress_m_maint', false, true), (904, 'regress_m_dev', false, true),
    (905, 'regress_m_guest', false, true), (906, 'regress_m_stranger', false, true),
    (907, 'regress_m_sleepy', false, false), (908, 'regress_m_newbie', false, true),
    (909, 'regress_m_other', false, true);
INSERT INTO syncmaster."group" (id, name, owner_id) VALUES
    (9001, 'regress_matrix', 902), (9002, 'regress_elsewhere', 909);
INSERT INTO syncmaster.user_group (user_id, group_id, role) VALUES
    (903, 9001, 'Maintainer'), (904, 9001, 'Developer'), (905, 9001, 'Guest'),
    (907, 9001, 'Developer');
INSERT INTO syncmaster.connection (id, group_id, type, name, data) VALUES
    (9101, 9001, 'sftp', 'regress_source', '{"host": "h"}'), (9102, 9001, 'sftp', 'regress_target', '{"host": "h"}'),
    (9103, 9001, 'sftp', 'regress_unused', '{"host": "h"}');
INSERT INTO syncmaster.queue (id, group_id, name, slug) VALUES
    (9201, 9001, 'regress queue', '9001-regress_queue'),
    (9202, 9001, 'regress idle', '9001-regress_idle');
INSERT INTO syncmaster.transfer (id, group_id, name, source_connection_id, target_connection_id, queue_id,
                                 source_params, target_params)
VALUES (9301, 9001, 'regress_transfer', 9101, 9102, 9201, '{"type": "sftp", "directory_path": "/in", "file_format": {"type": "csv"}}', '{"type": "sftp", "directory_path": "/out", "file_format": {"type": "csv"}}'),
       (9302, 9001, 'regress_spare', 9101, 9102, 9201, '{"type": "sftp", "directory_path": "/in", "file_format": {"type": "csv"}}', '{"type": "sftp", "directory_path": "/out", "file_format": {"type": "csv"}}');
-- Runs need credentials at both ends of their transfer.
SELECT syncmaster.update_connection(c.id, c.name, c.type, c.data, '{"type": "basic", "user": "u", "password": "p"}', c.description)
FROM syncmaster.connection c WHERE c.id IN (9101, 9102);
INSERT INTO syncmaster.run (id, transfer_id, transfer_dump) VALUES (9401, 9301, '{"fixture": true}');

-- The actors, in the order of the expected outcomes below.
CREATE TEMP TABLE actors (ord int, actor text, role_name text, username text);
INSERT INTO actors VALUES
    (1, 'system', NULL, NULL),
    (2, 'superuser', 'regress_m_root', 'regress_m_root'),
    (3, 'owner', 'regress_m_owner', 'regress_m_owner'),
    (4, 'Maintainer', 'regress_m_maint', 'regress_m_maint'),
    (5, 'Developer', 'regress_m_dev', 'regress_m_dev'),
    (6, 'Guest', 'regress_m_guest', 'regress_m_guest'),
    (7, 'non-member', 'regress_m_stranger', 'regress_m_stranger'),
    (8, 'inactive', 'regress_m_sleepy', 'regress_m_sleepy'),
    (9, 'unknown', 'regress_m_unknown', 'regress_m_ghost');

-- Abbreviations of the expected outcomes.
CREATE TEMP TABLE outcomes (code text, outcome text);
INSERT INTO outcomes VALUES
    ('F', '42501 You have no power here'), ('IN', '42501 Inactive user'),
    ('NA', '28000 Not authenticated'), ('NG', 'P0002 Group not found'),
    ('NT', 'P0002 Transfer not found'), ('NM', '55000 User already is not group member'),
    ('OW', '22023 owner_id is required when acting as the system');

-- Each action: its statement and the outcome for each actor, in actor order:
--   system | superuser | owner | Maintainer | Developer | Guest | non-member | inactive | unknown
CREATE TEMP TABLE matrix (ord serial, action text, path text, statement text, expected text[]);
INSERT INTO matrix (action, path, statement, expected) VALUES
-- Reading the group, its members, connections, queues, transfers and runs: READ.
('read the group', 'sql', $$ SELECT count(*) FROM syncmaster."group" WHERE id = 9001 $$,
 '{ok 1,ok 1,ok 1,ok 1,ok 1,ok 1,ok 0,IN,NA}'),
('read the group', 'api', $$ SELECT count(*) FROM syncmaster.list_groups() WHERE id = 9001 $$,
 '{ok 1,ok 1,ok 1,ok 1,ok 1,ok 1,ok 0,IN,NA}'),
('read the members', 'sql', $$ SELECT count(*) FROM syncmaster.user_group WHERE group_id = 9001 $$,
 '{ok 4,ok 4,ok 4,ok 4,ok 4,ok 4,ok 0,IN,NA}'),
('read the members', 'api', $$ SELECT count(*) FROM syncmaster.list_group_members(9001) $$,
 '{ok 3,ok 3,ok 3,ok 3,ok 3,ok 3,NG,IN,NA}'),
('read connections', 'sql', $$ SELECT count(*) FROM syncmaster.connection WHERE group_id = 9001 $$,
 '{ok 3,ok 3,ok 3,ok 3,ok 3,ok 3,ok 0,IN,NA}'),
('read queues', 'sql', $$ SELECT count(*) FROM syncmaster.queue WHERE group_id = 9001 $$,
 '{ok 2,ok 2,ok 2,ok 2,ok 2,ok 2,ok 0,IN,NA}'),
('read transfers', 'sql', $$ SELECT count(*) FROM syncmaster.transfer WHERE group_id = 9001 $$,
 '{ok 2,ok 2,ok 2,ok 2,ok 2,ok 2,ok 0,IN,NA}'),
('read runs', 'sql', $$ SELECT count(*) FROM syncmaster.run WHERE transfer_id IN (9301, 9302) $$,
 '{ok 1,ok 1,ok 1,ok 1,ok 1,ok 1,ok 0,IN,NA}'),
-- Connections: create and update need WRITE, delete DELETE.
('create a connection', 'sql',
 $$ WITH x AS (INSERT INTO syncmaster.connection (group_id, type, name, data) VALUES (9001, 'sftp', 'regress_new', '{"host": "h"}') RETURNING 1) SELECT count(*) FROM x $$,
 '{ok 1,ok 1,ok 1,ok 1,ok 1,F,NG,IN,NA}'),
('update a connection', 'sql',
 $$ WITH x AS (UPDATE syncmaster.connection SET description = 'changed' WHERE id = 9101 RETURNING 1) SELECT count(*) FROM x $$,
 '{ok 1,ok 1,ok 1,ok 1,ok 1,F,ok 0,IN,NA}'),
('delete a connection', 'sql',
 $$ WITH x AS (DELETE FROM syncmaster.connection WHERE id = 9103 RETURNING 1) SELECT count(*) FROM x $$,
 '{ok 1,ok 1,ok 1,ok 1,F,F,ok 0,IN,NA}'),
-- Transfers: the same levels.
('create a transfer', 'sql',
 $$ WITH x AS (INSERT INTO syncmaster.transfer (group_id, name, source_connection_id, target_connection_id, queue_id, source_params, target_params) VALUES (9001, 'regress_new', 9101, 9102, 9201, '{"type": "sftp", "directory_path": "/in", "file_format": {"type": "csv"}}', '{"type": "sftp", "directory_path": "/out", "file_format": {"type": "csv"}}') RETURNING 1) SELECT count(*) FROM x $$,
 '{ok 1,ok 1,ok 1,ok 1,ok 1,F,NG,IN,NA}'),
('update a transfer', 'sql',
 $$ WITH x AS (UPDATE syncmaster.transfer SET description = 'changed' WHERE id = 9301 RETURNING 1) SELECT count(*) FROM x $$,
 '{ok 1,ok 1,ok 1,ok 1,ok 1,F,ok 0,IN,NA}'),
('delete a transfer', 'sql',
 $$ WITH x AS (DELETE FROM syncmaster.transfer WHERE id = 9302 RETURNING 1) SELECT count(*) FROM x $$,
 '{ok 1,ok 1,ok 1,ok 1,F,F,ok 0,IN,NA}'),
-- Runs: start and stop need WRITE.
('start a run', 'sql',
 $$ WITH x AS (INSERT INTO syncmaster.run (transfer_id) VALUES (9301) RETURNING 1) SELECT count(*) FROM x $$,
 '{ok 1,ok 1,ok 1,ok 1,ok 1,F,NT,IN,NA}'),
('stop a run', 'sql',
 $$ WITH x AS (UPDATE syncmaster.run SET status = 'STOPPED' WHERE id = 9401 RETURNING 1) SELECT count(*) FROM x $$,
 '{ok 1,ok 1,ok 1,ok 1,ok 1,F,ok 0,IN,NA}'),
('delete a run', 'sql',
 $$ WITH x AS (DELETE FROM syncmaster.run WHERE id = 9401 RETURNING 1) SELECT count(*) FROM x $$,
 '{ok 1,ok 1,ok 1,ok 1,F,F,ok 0,IN,NA}'),
-- Queues: create, update and delete need DELETE (Developers only read them).
('create a queue', 'sql',
 $$ WITH x AS (INSERT INTO syncmaster.queue (group_id, name, slug) VALUES (9001, 'regress new', '9001-regress_new') RETURNING 1) SELECT count(*) FROM x $$,
 '{ok 1,ok 1,ok 1,ok 1,F,F,NG,IN,NA}'),
('update a queue', 'sql',
 $$ WITH x AS (UPDATE syncmaster.queue SET description = 'changed' WHERE id = 9201 RETURNING 1) SELECT count(*) FROM x $$,
 '{ok 1,ok 1,ok 1,ok 1,F,F,ok 0,IN,NA}'),
('delete a queue', 'sql',
 $$ WITH x AS (DELETE FROM syncmaster.queue WHERE id = 9202 RETURNING 1) SELECT count(*) FROM x $$,
 '{ok 1,ok 1,ok 1,ok 1,F,F,ok 0,IN,NA}'),
-- The group: update is for the owner and superusers, delete for superusers only.
('update the group', 'api', $$ SELECT syncmaster.update_group(9001, description => 'changed') $$,
 '{ok,ok,ok,F,F,F,NG,IN,NA}'),
('update the group', 'sql',
 $$ WITH x AS (UPDATE syncmaster."group" SET description = 'changed' WHERE id = 9001 RETURNING 1) SELECT count(*) FROM x $$,
 '{ok 1,ok 1,ok 1,F,F,F,ok 0,IN,NA}'),
('delete the group', 'api', $$ SELECT syncmaster.delete_group(9001) $$,
 '{ok,ok,F,F,F,F,F,IN,NA}'),
('delete the group', 'sql',
 $$ WITH x AS (DELETE FROM syncmaster."group" WHERE id = 9001 RETURNING 1) SELECT count(*) FROM x $$,
 '{ok 1,ok 1,F,F,F,F,ok 0,IN,NA}'),
-- Creating a group: any active user, as its owner; the system must name the owner.
('create a group', 'api', $$ SELECT syncmaster.create_group('regress_created') > 0 $$,
 '{OW,ok true,ok true,ok true,ok true,ok true,ok true,IN,NA}'),
('create a group', 'sql',
 $$ WITH x AS (INSERT INTO syncmaster."group" (name, owner_id) VALUES ('regress_created', coalesce(syncmaster.current_user_id(), 908)) RETURNING 1) SELECT count(*) FROM x $$,
 '{ok 1,ok 1,ok 1,ok 1,ok 1,ok 1,ok 1,IN,NA}'),
('create a group for someone else', 'sql',
 $$ WITH x AS (INSERT INTO syncmaster."group" (name, owner_id) VALUES ('regress_created', 908) RETURNING 1) SELECT count(*) FROM x $$,
 '{ok 1,ok 1,F,F,F,F,F,IN,NA}'),
-- Members: adding, changing and removing others is for the owner and superusers.
('add a member', 'api', $$ SELECT syncmaster.add_group_member(9001, 908, 'Guest') $$,
 '{ok,ok,ok,F,F,F,NG,IN,NA}'),
('add a member', 'sql',
 $$ WITH x AS (INSERT INTO syncmaster.user_group (user_id, group_id, role) VALUES (908, 9001, 'Guest') RETURNING 1) SELECT count(*) FROM x $$,
 '{ok 1,ok 1,ok 1,F,F,F,NG,IN,NA}'),
('change a member''s role', 'api', $$ SELECT syncmaster.set_member_role(9001, 907, 'Maintainer') $$,
 '{ok,ok,ok,F,F,F,NG,IN,NA}'),
('change a member''s role', 'sql',
 $$ WITH x AS (UPDATE syncmaster.user_group SET role = 'Maintainer' WHERE group_id = 9001 AND user_id = 907 RETURNING 1) SELECT count(*) FROM x $$,
 '{ok 1,ok 1,ok 1,F,F,F,ok 0,IN,NA}'),
('remove another member', 'api', $$ SELECT syncmaster.remove_group_member(9001, 907) $$,
 '{ok,ok,ok,F,F,F,NG,IN,NA}'),
('remove another member', 'sql',
 $$ WITH x AS (DELETE FROM syncmaster.user_group WHERE group_id = 9001 AND user_id = 907 RETURNING 1) SELECT count(*) FROM x $$,
 '{ok 1,ok 1,ok 1,F,F,F,ok 0,IN,NA}'),
-- Leaving: any member may; the owner, who is no member, cannot.
('leave the group', 'api', $$ SELECT syncmaster.remove_group_member(9001, syncmaster.current_user_id()) $$,
 '{NM,NM,NM,ok,ok,ok,NG,IN,NA}'),
('leave the group', 'sql',
 $$ WITH x AS (DELETE FROM syncmaster.user_group WHERE group_id = 9001 AND user_id = syncmaster.current_user_id() RETURNING 1) SELECT count(*) FROM x $$,
 '{ok 0,ok 0,ok 0,ok 1,ok 1,ok 1,ok 0,IN,NA}'),
-- Users: creating them and changing is_superuser/is_active is for superusers.
('create a user', 'api', $$ SELECT syncmaster.create_user('regress_m_fresh') > 0 $$,
 '{ok true,ok true,F,F,F,F,F,IN,NA}'),
('create a user', 'sql',
 $$ WITH x AS (INSERT INTO syncmaster."user" (username) VALUES ('regress_m_fresh') RETURNING 1) SELECT count(*) FROM x $$,
 '{ok 1,ok 1,F,F,F,F,F,IN,NA}'),
('deactivate a user', 'sql',
 $$ WITH x AS (UPDATE syncmaster."user" SET is_active = false WHERE id = 905 RETURNING 1) SELECT count(*) FROM x $$,
 '{ok 1,ok 1,F,F,F,F,F,IN,NA}'),
('make a user a superuser', 'sql',
 $$ WITH x AS (UPDATE syncmaster."user" SET is_superuser = true WHERE id = 906 RETURNING 1) SELECT count(*) FROM x $$,
 '{ok 1,ok 1,F,F,F,F,F,IN,NA}'),
-- Reading users: active users for everyone, all users for superusers.
('read users', 'api', $$ SELECT count(*) FROM syncmaster.list_users(page_size => 50) WHERE id BETWEEN 901 AND 909 $$,
 '{ok 9,ok 9,ok 8,ok 8,ok 8,ok 8,ok 8,IN,NA}'),
('read users', 'sql', $$ SELECT count(*) FROM syncmaster."user" WHERE id BETWEEN 901 AND 909 $$,
 '{ok 9,ok 9,ok 8,ok 8,ok 8,ok 8,ok 8,IN,NA}');

-- Takes on an actor for the rest of the current subtransaction, through SET ROLE or through an
-- application's session naming it (the system: a service session).
CREATE FUNCTION pg_temp.become(a actors, path text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF path = 'role' THEN
        IF a.role_name IS NOT NULL THEN
            PERFORM set_config('role', a.role_name, true);
        END IF;
    ELSE
        IF a.username IS NULL THEN
            PERFORM set_config('role', 'regress_m_svc', true);
        ELSE
            PERFORM set_config('role', 'regress_m_app', true);
            PERFORM set_config('syncmaster.acting_user', a.username, true);
        END IF;
    END IF;
END
$$;

-- Runs a statement as an actor and rolls it back; returns its outcome.
CREATE FUNCTION pg_temp.attempt(a actors, path text, statement text) RETURNS text
    LANGUAGE plpgsql AS $$
DECLARE
    result text;
    code text;
    message text;
BEGIN
    BEGIN
        PERFORM pg_temp.become(a, path);
        EXECUTE statement INTO result;
        RAISE EXCEPTION USING ERRCODE = 'SMOK0', MESSAGE = coalesce(result, '');
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS code = RETURNED_SQLSTATE, message = MESSAGE_TEXT;
    END;
    IF code = 'SMOK0' THEN
        RETURN 'ok' || CASE WHEN message = '' THEN '' ELSE ' ' || message END;
    END IF;
    RETURN code || ' ' || message;
END
$$;

SELECT plan((SELECT count(*)::int * 9 * 2 FROM matrix) + 3);

SELECT is(pg_temp.attempt(a, p.path, m.statement),
          coalesce(o.outcome, m.expected[a.ord]),
          format('%s (%s) as %s through %s', m.action, m.path, a.actor,
                 CASE p.path WHEN 'role' THEN 'SET ROLE' ELSE 'acting_user' END))
FROM matrix m
CROSS JOIN actors a
CROSS JOIN (VALUES ('role'), ('acting_user')) p (path)
LEFT JOIN outcomes o ON o.code = m.expected[a.ord]
ORDER BY m.ord, p.path DESC, a.ord;

-- The fixture is as it was: every case was rolled back, refused or not.
SELECT is((SELECT count(*)::int FROM syncmaster.user_group WHERE group_id = 9001), 4,
          'the memberships are as they were');
SELECT is((SELECT description FROM syncmaster."group" WHERE id = 9001)::text, '',
          'the group is as it was');
SELECT is((SELECT count(*)::int FROM syncmaster.connection WHERE group_id = 9001), 3,
          'the connections are as they were');

SELECT * FROM finish();
ROLLBACK;
