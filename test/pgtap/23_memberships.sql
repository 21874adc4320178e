-- Memberships: the owner (or a superuser) adds, changes and removes members; any member leaves;
-- the owner is never a member row; roles are Maintainer, Developer or Guest; outsiders see
-- nothing. Every rule through the API and through the user_group table.
BEGIN;
SELECT plan(44);

CREATE ROLE regress_m_owner LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_m_maint LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_m_guest LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_m_out LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_m_admin LOGIN IN ROLE syncmaster_user;
INSERT INTO syncmaster."user" (id, username, is_superuser) VALUES
    (2301, 'regress_m_owner', false), (2302, 'regress_m_maint', false), (2303, 'regress_m_guest', false),
    (2304, 'regress_m_out', false), (2305, 'regress_m_admin', true), (2306, 'regress_m_new', false),
    (2307, 'regress_m_later', false);
INSERT INTO syncmaster."group" (id, name, owner_id) VALUES (23001, 'regress_m_team', 2301),
                                                         (23002, 'regress_m_elsewhere', 2304),
                                                         (23003, 'regress_m_second', 2301);

-- The owner adds members, through the API and INSERT.
SET ROLE regress_m_owner;
SELECT lives_ok($$ SELECT syncmaster.add_group_member(23001, 2302, 'Maintainer') $$,
                'the owner adds a member through add_group_member()');
SELECT lives_ok($$ INSERT INTO syncmaster.user_group (user_id, group_id, role) VALUES (2303, 23001, 'Guest') $$,
                'and through INSERT');
SELECT throws_ok($$ SELECT syncmaster.add_group_member(23001, 2306, 'Admin') $$, '22023',
                 'Input should be one of: Maintainer, Developer, Guest', 'a role that does not exist, API');
SELECT throws_ok($$ INSERT INTO syncmaster.user_group VALUES (2306, 23001, 'maintainer') $$, '22023',
                 'Input should be one of: Maintainer, Developer, Guest', 'roles are case-sensitive, INSERT');
SELECT throws_ok($$ SELECT syncmaster.add_group_member(23001, 2303, 'Developer') $$, '23505',
                 'User already is group member', 'a member twice, API');
SELECT throws_ok($$ INSERT INTO syncmaster.user_group VALUES (2303, 23001, 'Developer') $$, '23505',
                 'User already is group member', 'and through INSERT');
SELECT throws_ok($$ SELECT syncmaster.add_group_member(23001, 2301, 'Guest') $$, '23505',
                 'User already is group owner', 'the owner is never a member row, API');
SELECT throws_ok($$ INSERT INTO syncmaster.user_group VALUES (2301, 23001, 'Guest') $$, '23505',
                 'User already is group owner', 'and through INSERT');
SELECT throws_ok($$ SELECT syncmaster.add_group_member(23001, 999999, 'Guest') $$, 'P0002', 'User not found',
                 'a user that does not exist, API');
SELECT throws_ok($$ INSERT INTO syncmaster.user_group VALUES (999999, 23001, 'Guest') $$, '23503',
                 'insert or update on table "user_group" violates foreign key constraint "fk__user_group__user_id__user"',
                 'and through INSERT (the foreign key)');
SELECT throws_ok($$ SELECT syncmaster.add_group_member(23002, 2306, 'Guest') $$, 'P0002', 'Group not found',
                 'a group the owner is not in does not exist for it, API');
SELECT throws_ok($$ INSERT INTO syncmaster.user_group VALUES (2306, 23002, 'Guest') $$, 'P0002', 'Group not found',
                 'and through INSERT');

-- Members other than the owner change nothing of the membership but leave.
SET ROLE regress_m_maint;
SELECT throws_ok($$ SELECT syncmaster.add_group_member(23001, 2306, 'Guest') $$, '42501', 'You have no power here',
                 'a Maintainer may not add members, API');
SELECT throws_ok($$ INSERT INTO syncmaster.user_group VALUES (2306, 23001, 'Guest') $$, '42501',
                 'You have no power here', 'and through INSERT');
SELECT throws_ok($$ SELECT syncmaster.set_member_role(23001, 2303, 'Developer') $$, '42501',
                 'You have no power here', 'nor change a role, API');
SELECT throws_ok($$ UPDATE syncmaster.user_group SET role = 'Developer' WHERE user_id = 2303 AND group_id = 23001 $$,
                 '42501', 'You have no power here', 'and through UPDATE');
SELECT throws_ok($$ SELECT syncmaster.remove_group_member(23001, 2303) $$, '42501', 'You have no power here',
                 'nor remove another member, API');
SELECT throws_ok($$ DELETE FROM syncmaster.user_group WHERE user_id = 2303 AND group_id = 23001 $$, '42501',
                 'You have no power here', 'and through DELETE');
SET ROLE regress_m_guest;
SELECT throws_ok($$ UPDATE syncmaster.user_group SET role = 'Maintainer' WHERE user_id = 2303 AND group_id = 23001 $$,
                 '42501', 'You have no power here', 'a Guest may not raise its own role');
SELECT results_eq($$ SELECT id, username::text, role::text, total FROM syncmaster.list_group_members(23001) $$,
                  $$ VALUES (2303::bigint, 'regress_m_guest', 'Guest', 2::bigint),
                            (2302, 'regress_m_maint', 'Maintainer', 2) $$,
                  'a member lists the members by username, the owner not among them');
SELECT results_eq($$ SELECT id, total FROM syncmaster.list_group_members(23001, page => 2, page_size => 1) $$,
                  $$ VALUES (2302::bigint, 2::bigint) $$, 'page by page');

-- Outsiders: the group and its members do not exist for them.
SET ROLE regress_m_out;
SELECT throws_ok($$ SELECT * FROM syncmaster.list_group_members(23001) $$, 'P0002', 'Group not found',
                 'an outsider lists no member: the group is not found');
SELECT is((SELECT count(*) FROM syncmaster.user_group WHERE group_id = 23001), 0::bigint,
          'and reads no row of the table');
SELECT throws_ok($$ SELECT syncmaster.add_group_member(23001, 2304, 'Maintainer') $$, 'P0002', 'Group not found',
                 'may not add itself, API');
SELECT throws_ok($$ INSERT INTO syncmaster.user_group VALUES (2304, 23001, 'Maintainer') $$, 'P0002',
                 'Group not found', 'and through INSERT');
SELECT throws_ok($$ SELECT syncmaster.remove_group_member(23001, 2303) $$, 'P0002', 'Group not found',
                 'may not remove a member, API');
SELECT is_empty($$ DELETE FROM syncmaster.user_group WHERE group_id = 23001 RETURNING user_id $$,
                'a DELETE reaches no row it cannot see');

-- The owner changes roles and moves a membership within its own groups only.
SET ROLE regress_m_owner;
SELECT lives_ok($$ SELECT syncmaster.set_member_role(23001, 2303, 'Developer') $$, 'the owner changes a role, API');
SELECT lives_ok($$ UPDATE syncmaster.user_group SET role = 'Guest' WHERE user_id = 2303 AND group_id = 23001 $$,
                'and through UPDATE');
SELECT throws_ok($$ UPDATE syncmaster.user_group SET role = 'Owner' WHERE user_id = 2303 AND group_id = 23001 $$,
                 '22023', 'Input should be one of: Maintainer, Developer, Guest', 'not to a role that does not exist');
SELECT throws_ok($$ SELECT syncmaster.set_member_role(23001, 2306, 'Guest') $$, 'P0002', 'User not found',
                 'not of a user who is no member');
SELECT throws_ok($$ UPDATE syncmaster.user_group SET user_id = 2301 WHERE user_id = 2303 AND group_id = 23001 $$,
                 '23505', 'User already is group owner', 'an UPDATE may not make the owner a member row');
SELECT throws_ok($$ UPDATE syncmaster.user_group SET group_id = 23002 WHERE user_id = 2303 AND group_id = 23001 $$,
                 'P0002', 'Group not found', 'nor move a membership into a group the owner is not in');
SELECT lives_ok($$ UPDATE syncmaster.user_group SET group_id = 23003 WHERE user_id = 2303 AND group_id = 23001 $$,
                'but into another group it owns');
SELECT is((SELECT role::text FROM syncmaster.user_group WHERE user_id = 2303 AND group_id = 23003), 'Guest',
          'with its role');
SELECT lives_ok($$ SELECT syncmaster.add_group_member(23001, 2303, 'Guest') $$, 'and adds the member back');

-- Leaving: any member leaves; the owner cannot; removing someone twice says so.
SET ROLE regress_m_guest;
SELECT lives_ok($$ SELECT syncmaster.remove_group_member(23001, 2303) $$, 'a member leaves a group, API');
SELECT lives_ok($$ DELETE FROM syncmaster.user_group WHERE user_id = 2303 AND group_id = 23003 $$,
                'and through DELETE');
RESET ROLE;
SELECT is((SELECT count(*) FROM syncmaster.user_group WHERE user_id = 2303), 0::bigint, 'and is gone from both');
SET ROLE regress_m_owner;
SELECT throws_ok($$ SELECT syncmaster.remove_group_member(23001, 2301) $$, '55000', 'User already is not group member',
                 'the owner cannot leave its group');
SELECT throws_ok($$ SELECT syncmaster.remove_group_member(23001, 2303) $$, '55000', 'User already is not group member',
                 'removing a member who left says so');

-- A superuser needs no membership.
SET ROLE regress_m_admin;
SELECT lives_ok($$ SELECT syncmaster.add_group_member(23002, 2307, 'Developer') $$,
                'a superuser adds a member to any group, API');
SELECT lives_ok($$ DELETE FROM syncmaster.user_group WHERE user_id = 2307 AND group_id = 23002 $$,
                'and removes it through DELETE');
SELECT throws_ok($$ SELECT * FROM syncmaster.list_group_members(23001, page => 0) $$, '22023',
                 'page should be greater than 0', 'paging arguments are checked');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
