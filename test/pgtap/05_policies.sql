-- Row-level security: the policies are set-based, and each user sees exactly the
-- rows of its groups.
BEGIN;
SELECT plan(32);

-- Whether a stored expression calls a function with a column of the row among its arguments: a
-- FUNCEXPR node whose subtree holds a VAR. Such a policy runs the function once per row. The one
-- exception is refuse_update() in the UPDATE policies: it runs only for a row the actor sees but
-- may not change, after the set-based conditions failed, and raises, so at most once a statement.
-- (The tree is read as bytes: get_byte is O(1) where substr of text is not.)
CREATE FUNCTION pg_temp.calls_function_of_column(tree text) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    bytes bytea := convert_to(tree, 'UTF8');
    n int := length(bytes);
    refusal text := ':funcid ' || 'syncmaster.refuse_update(text, bigint)'::regprocedure::oid || ' ';
    pos int := 1;
    start int;
    depth int;
    i int;
    node text;
BEGIN
    IF tree IS NULL THEN
        RETURN false;  -- an INSERT policy has no USING, a SELECT policy no WITH CHECK
    END IF;
    LOOP
        start := position('\x7b46554e4345585052'::bytea IN substring(bytes FROM pos));  -- {FUNCEXPR
        EXIT WHEN start = 0;
        start := pos + start - 1;
        depth := 0;
        i := start;
        WHILE i <= n LOOP
            IF get_byte(bytes, i - 1) = 123 THEN      -- {
                depth := depth + 1;
            ELSIF get_byte(bytes, i - 1) = 125 THEN   -- }
                depth := depth - 1;
                EXIT WHEN depth = 0;
            END IF;
            i := i + 1;
        END LOOP;
        node := convert_from(substring(bytes FROM start FOR i - start + 1), 'UTF8');
        IF strpos(node, '{VAR ') > 0 AND strpos(left(node, 40), refusal) = 0 THEN
            RETURN true;
        END IF;
        pos := start + 1;
    END LOOP;
    RETURN false;
END
$$;

SELECT is_empty($$
    SELECT c.relname, p.polname FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
    WHERE c.relnamespace = 'syncmaster'::regnamespace
      AND (pg_temp.calls_function_of_column(p.polqual::text)
           OR pg_temp.calls_function_of_column(coalesce(p.polwithcheck::text, ''))) $$,
    'no policy calls a function with a column argument: each is evaluated once per statement');
-- The detector itself can fail: a per-row policy is caught, a set-based one is not.
CREATE TABLE pg_temp.probe (group_id bigint);
CREATE FUNCTION pg_temp.may_read(bigint) RETURNS boolean LANGUAGE sql AS 'SELECT true';
CREATE POLICY per_row ON pg_temp.probe USING (pg_temp.may_read(group_id));
CREATE POLICY set_based ON pg_temp.probe
    USING (group_id = ANY ((SELECT syncmaster.visible_group_ids())::bigint[]));
SELECT ok(pg_temp.calls_function_of_column(
              (SELECT polqual::text FROM pg_policy WHERE polname = 'per_row')),
          'the detector catches a per-row function policy');
SELECT ok(NOT pg_temp.calls_function_of_column(
              (SELECT polqual::text FROM pg_policy WHERE polname = 'set_based')),
          'and passes a set-based one');

CREATE ROLE regress_p_ann LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_p_bob LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_p_root LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_p_nobody LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_p_sleepy LOGIN IN ROLE syncmaster_user;
INSERT INTO syncmaster."user" (id, username, is_superuser, is_active) VALUES
    (801, 'regress_p_ann', false, true), (802, 'regress_p_bob', false, true),
    (803, 'regress_p_root', true, true), (804, 'regress_p_sleepy', false, false);
INSERT INTO syncmaster."group" (id, name, owner_id) VALUES
    (8001, 'regress_p_ann_owns', 801), (8002, 'regress_p_bob_owns', 802),
    (8003, 'regress_p_shared', 802);
INSERT INTO syncmaster.user_group VALUES (801, 8003, 'Guest');
INSERT INTO syncmaster.connection (id, group_id, type, name, data) VALUES
    (8101, 8001, 'sftp', 'regress_a', '{"host": "h"}'), (8102, 8002, 'sftp', 'regress_b', '{"host": "h"}'),
    (8103, 8003, 'sftp', 'regress_shared', '{"host": "h"}');
INSERT INTO syncmaster.queue (id, group_id, name, slug) VALUES
    (8201, 8001, 'regress qa', '8001-regress_qa'), (8202, 8002, 'regress qb', '8002-regress_qb');
INSERT INTO syncmaster.transfer (id, group_id, name, source_connection_id, target_connection_id, queue_id,
                                 source_params, target_params)
VALUES (8301, 8001, 'regress_ta', 8101, 8101, 8201, '{"type": "sftp", "directory_path": "/in", "file_format": {"type": "csv"}}', '{"type": "sftp", "directory_path": "/out", "file_format": {"type": "csv"}}'),
       (8302, 8002, 'regress_tb', 8102, 8102, 8202, '{"type": "sftp", "directory_path": "/in", "file_format": {"type": "csv"}}', '{"type": "sftp", "directory_path": "/out", "file_format": {"type": "csv"}}');
INSERT INTO syncmaster.run (id, transfer_id, transfer_dump) VALUES (8401, 8301, '{"fixture": true}'), (8402, 8302, '{"fixture": true}');

SET ROLE regress_p_ann;
SELECT is(syncmaster.visible_group_ids(), ARRAY[8001, 8003]::bigint[],
          'ann sees the group she owns and the one she belongs to');
SELECT ok(NOT syncmaster.sees_all_groups(), 'ann does not see all groups');
SELECT set_eq($$ SELECT id FROM syncmaster."group" WHERE id BETWEEN 8001 AND 8003 $$,
              ARRAY[8001, 8003]::bigint[], 'ann reads exactly her groups');
SELECT set_eq($$ SELECT id FROM syncmaster.connection WHERE id BETWEEN 8101 AND 8103 $$,
              ARRAY[8101, 8103]::bigint[], 'and exactly their connections');
SELECT set_eq($$ SELECT id FROM syncmaster.queue WHERE id IN (8201, 8202) $$,
              ARRAY[8201]::bigint[], 'queues');
SELECT set_eq($$ SELECT id FROM syncmaster.transfer WHERE id IN (8301, 8302) $$,
              ARRAY[8301]::bigint[], 'transfers');
SELECT set_eq($$ SELECT id FROM syncmaster.run WHERE id IN (8401, 8402) $$,
              ARRAY[8401]::bigint[], 'and runs, through their transfers');
SELECT set_eq($$ SELECT group_id FROM syncmaster.user_group WHERE user_id = 801 $$,
              ARRAY[8003]::bigint[], 'her memberships');
SELECT set_eq($$ SELECT id FROM syncmaster."user" WHERE id BETWEEN 801 AND 804 $$,
              ARRAY[801, 802, 803]::bigint[], 'active users only');
RESET ROLE;

-- Membership changes made earlier in the same transaction are seen by the next statement.
INSERT INTO syncmaster.user_group VALUES (801, 8002, 'Developer');
SET ROLE regress_p_ann;
SELECT set_eq($$ SELECT id FROM syncmaster.connection WHERE id BETWEEN 8101 AND 8103 $$,
              ARRAY[8101, 8102, 8103]::bigint[], 'a membership added earlier in the transaction counts');
SELECT lives_ok($$ UPDATE syncmaster.connection SET description = 'ann was here' WHERE id = 8102 $$,
                'and lets her write as a Developer at once');
RESET ROLE;
DELETE FROM syncmaster.user_group WHERE user_id = 801 AND group_id = 8002;
SET ROLE regress_p_ann;
SELECT is((SELECT count(*)::int FROM syncmaster.connection WHERE id = 8102), 0,
          'a membership removed earlier in the transaction no longer counts');
SELECT throws_ok($$ INSERT INTO syncmaster.connection (group_id, type, name, data) VALUES (8002, 'sftp', 'regress_x', '{"host": "h"}') $$,
                 'P0002', 'Group not found', 'writing there is refused as a non-member');
RESET ROLE;

SET ROLE regress_p_root;
SELECT ok(syncmaster.sees_all_groups(), 'a superuser sees all groups');
SELECT is(syncmaster.visible_group_ids(), (SELECT array_agg(id ORDER BY id) FROM syncmaster."group"),
          'visible_group_ids() lists every group for them');
SELECT set_eq($$ SELECT id FROM syncmaster."user" WHERE id BETWEEN 801 AND 804 $$,
              ARRAY[801, 802, 803, 804]::bigint[], 'and all users, inactive ones too');
SELECT set_eq($$ SELECT id FROM syncmaster.run WHERE id IN (8401, 8402) $$,
              ARRAY[8401, 8402]::bigint[], 'and every run');
RESET ROLE;

SET ROLE regress_p_sleepy;
SELECT throws_ok($$ SELECT count(*) FROM syncmaster.connection $$, '42501', 'Inactive user',
                 'an inactive user reads nothing: refused');
RESET ROLE;
SET ROLE regress_p_nobody;
SELECT throws_ok($$ SELECT count(*) FROM syncmaster."user" $$, '28000', 'Not authenticated',
                 'a role with no user reads nothing, not even the active users');
RESET ROLE;

-- A new group is visible to its creator in the same statement (INSERT ... RETURNING).
SET ROLE regress_p_ann;
SELECT lives_ok($$ INSERT INTO syncmaster."group" (name, owner_id) VALUES ('regress_p_new', 801) RETURNING id $$,
                'INSERT ... RETURNING of a new group works for its owner');
RESET ROLE;

-- A connection never changes group by UPDATE for a user, whatever its roles in both groups: its
-- credentials would go along, past the copy's rules (a copy carries none).
INSERT INTO syncmaster.user_group VALUES (801, 8002, 'Guest');
SET ROLE regress_p_ann;
SELECT throws_ok($$ UPDATE syncmaster.connection SET group_id = 8002 WHERE id = 8101 $$,
                 '22023', 'A connection cannot move to another group',
                 'ann (owner here, Guest there) may not move a connection into the other group');
SELECT throws_ok($$ UPDATE syncmaster.connection SET group_id = 8001 WHERE id = 8102 $$,
                 '42501', 'You have no power here',
                 'nor pull one out of a group where she is a Guest (she may change nothing there)');
RESET ROLE;
UPDATE syncmaster.user_group SET role = 'Developer' WHERE user_id = 801 AND group_id = 8002;
SET ROLE regress_p_ann;
SELECT throws_ok($$ UPDATE syncmaster.connection SET group_id = 8002 WHERE id = 8101 $$,
                 '22023', 'A connection cannot move to another group',
                 'nor as a Developer there');
RESET ROLE;
SELECT throws_ok($$ UPDATE syncmaster.connection SET group_id = 8002 WHERE id = 8101 $$,
                 '55000', 'The connection has an associated transfers. Number of the connected transfers: 1',
                 'the system may not move a connection a transfer uses');
INSERT INTO syncmaster.connection (group_id, type, name, data)
VALUES (8001, 'postgres', 'regress_p_unused', '{"host": "h", "database_name": "d"}');
SELECT lives_ok($$ UPDATE syncmaster.connection SET group_id = 8002 WHERE name = 'regress_p_unused' $$,
                'the system may move one no transfer uses');

-- The plan shows it: the policy functions are InitPlans, run once per statement, not per row.
CREATE FUNCTION pg_temp.plan_of(query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    line text;
    plan text := '';
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || query LOOP
        plan := plan || line || E'\n';
    END LOOP;
    RETURN plan;
END
$$;
SET ROLE regress_p_ann;
SELECT matches(pg_temp.plan_of('SELECT * FROM syncmaster.connection'),
               'group_id = ANY \(\$0\).*InitPlan 1 \(returns \$0\)',
               'a read of connection compares group_id with one InitPlan''s array');
SET LOCAL enable_seqscan = off;
SELECT matches(pg_temp.plan_of('SELECT * FROM syncmaster.connection'),
               'Index Cond: \(group_id = ANY \(\$0\)\)',
               'a condition the index on group_id serves, though the query names no group');
RESET enable_seqscan;
SELECT doesnt_match(pg_temp.plan_of('SELECT * FROM syncmaster.connection'), 'SubPlan',
                    'and runs no subplan per row');
SELECT matches(pg_temp.plan_of('SELECT * FROM syncmaster.run'), 'hashed SubPlan',
               'a read of run checks its transfer against a hashed set, built once');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
