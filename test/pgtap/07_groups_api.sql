-- Groups, members and users: the API functions and direct SQL, with
-- SyncMaster's messages.
BEGIN;
SELECT plan(64);

CREATE ROLE regress_g_owner LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_g_maint LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_g_guest LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_g_root LOGIN IN ROLE syncmaster_user;
INSERT INTO syncmaster."user" (id, username, is_superuser, is_active) VALUES
    (701, 'regress_g_owner', false, true), (702, 'regress_g_maint', false, true),
    (703, 'regress_g_guest', false, true), (704, 'regress_g_root', true, true),
    (705, 'regress_g_newbie', false, true), (706, 'regress_g_sleepy', false, false);

-- create_group: the creator owns it; names are unique.
SET ROLE regress_g_owner;
SELECT isnt(syncmaster.create_group('regress_g_team', 'the team'), NULL, 'a user creates a group');
RESET ROLE;
SELECT results_eq($$ SELECT owner_id, description::text FROM syncmaster."group" WHERE name = 'regress_g_team' $$,
                  $$ VALUES (701::bigint, 'the team') $$, 'owned by its creator, with no member row');
SELECT is((SELECT count(*)::int FROM syncmaster.user_group ug JOIN syncmaster."group" g ON g.id = ug.group_id
           WHERE g.name = 'regress_g_team'), 0, 'the owner is not a member row');
CREATE TEMP TABLE ids AS SELECT id AS team FROM syncmaster."group" WHERE name = 'regress_g_team';
GRANT SELECT ON ids TO PUBLIC;
SET ROLE regress_g_maint;
SELECT throws_ok($$ SELECT syncmaster.create_group('regress_g_team') $$, '23505',
                 'Group name already taken', 'a taken name is refused by create_group');
SELECT throws_ok($$ INSERT INTO syncmaster."group" (name, owner_id) VALUES ('regress_g_team', 702) $$,
                 '23505', 'Group name already taken', 'and by INSERT');
SELECT throws_ok($$ SELECT syncmaster.create_group('regress_g_gift', owner_id => 705) $$, '42501',
                 'You have no power here', 'a user may not create a group for someone else');
RESET ROLE;
SELECT throws_ok($$ SELECT syncmaster.create_group('regress_g_orphan') $$, '22023',
                 'owner_id is required when acting as the system', 'the system must name the owner');
SELECT throws_ok($$ INSERT INTO syncmaster."group" (name) VALUES ('regress_g_orphan') $$, '22023',
                 'owner_id is required when acting as the system', 'also by INSERT (the rules trigger decides)');
SET ROLE regress_g_maint;
INSERT INTO syncmaster."group" (name) VALUES ('regress_g_by_insert');
SELECT is((SELECT owner_id FROM syncmaster."group" WHERE name = 'regress_g_by_insert'), 702::bigint,
          'a user''s INSERT without owner_id makes it the owner');
RESET ROLE;
DELETE FROM syncmaster."group" WHERE name = 'regress_g_by_insert';
SELECT throws_ok($$ SELECT syncmaster.create_group('regress_g_orphan', owner_id => 99999) $$, 'P0002',
                 'User not found', 'an unknown owner is refused');
SELECT throws_ok($$ SELECT syncmaster.create_group('xy', owner_id => 701) $$, '22023',
                 'group name must have 3 to 128 characters', 'a name shorter than 3 characters is refused');

-- Members.
SET ROLE regress_g_owner;
SELECT lives_ok($$ SELECT syncmaster.add_group_member((SELECT team FROM ids), 702, 'Maintainer') $$,
                'the owner adds a Maintainer');
SELECT lives_ok($$ INSERT INTO syncmaster.user_group VALUES (703, (SELECT team FROM ids), 'Guest') $$,
                'and a Guest by INSERT');
SELECT throws_ok($$ SELECT syncmaster.add_group_member((SELECT team FROM ids), 701, 'Guest') $$,
                 '23505', 'User already is group owner', 'the owner cannot become a member');
SELECT throws_ok($$ INSERT INTO syncmaster.user_group VALUES (701, (SELECT team FROM ids), 'Guest') $$,
                 '23505', 'User already is group owner', 'not by INSERT either');
SELECT throws_ok($$ SELECT syncmaster.add_group_member((SELECT team FROM ids), 702, 'Guest') $$,
                 '23505', 'User already is group member', 'a member cannot be added twice');
SELECT throws_ok($$ INSERT INTO syncmaster.user_group VALUES (702, (SELECT team FROM ids), 'Guest') $$,
                 '23505', 'User already is group member', 'not by INSERT either');
SELECT throws_ok($$ SELECT syncmaster.add_group_member((SELECT team FROM ids), 99999, 'Guest') $$,
                 'P0002', 'User not found', 'an unknown user cannot be added');
SELECT throws_ok($$ SELECT syncmaster.add_group_member((SELECT team FROM ids), 705, 'Owner') $$,
                 '22023', 'Input should be one of: Maintainer, Developer, Guest', 'roles are checked');
SELECT throws_ok($$ INSERT INTO syncmaster.user_group VALUES (705, (SELECT team FROM ids), 'guest') $$,
                 '22023', 'Input should be one of: Maintainer, Developer, Guest', 'by INSERT too, case-sensitively');
SELECT lives_ok($$ SELECT syncmaster.add_group_member((SELECT team FROM ids), 706, 'Developer') $$,
                'an inactive user can be added');
SELECT throws_ok($$ SELECT syncmaster.set_member_role((SELECT team FROM ids), 705, 'Guest') $$,
                 'P0002', 'User not found', 'changing the role of a non-member: User not found');
SELECT throws_ok($$ SELECT syncmaster.set_member_role((SELECT team FROM ids), 701, 'Guest') $$,
                 'P0002', 'User not found', 'the owner has no role to change');
SELECT lives_ok($$ SELECT syncmaster.set_member_role((SELECT team FROM ids), 703, 'Developer') $$,
                'the owner promotes the Guest');
SELECT throws_ok($$ UPDATE syncmaster.user_group SET role = 'Boss' WHERE user_id = 703 $$,
                 '22023', 'Input should be one of: Maintainer, Developer, Guest', 'an UPDATE to a bad role is refused');
SELECT results_eq($$ SELECT username::text, role::text FROM syncmaster.list_group_members((SELECT team FROM ids)) $$,
                  $$ VALUES ('regress_g_guest', 'Developer'), ('regress_g_maint', 'Maintainer') $$,
                  'list_group_members: by username, without the owner and the inactive member');
SELECT is((SELECT total FROM syncmaster.list_group_members((SELECT team FROM ids), 2, 1)), 2::bigint,
          'each row carries the total; page 2 of size 1 holds the second member');
SELECT throws_ok($$ SELECT syncmaster.remove_group_member((SELECT team FROM ids), 701) $$, '55000',
                 'User already is not group member', 'the owner cannot leave');
SELECT throws_ok($$ SELECT syncmaster.remove_group_member((SELECT team FROM ids), 705) $$, '55000',
                 'User already is not group member', 'removing a non-member');
RESET ROLE;
SET ROLE regress_g_guest;
SELECT lives_ok($$ SELECT syncmaster.remove_group_member((SELECT team FROM ids), 703) $$,
                'a member leaves');
SELECT throws_ok($$ SELECT syncmaster.list_group_members((SELECT team FROM ids)) $$, 'P0002',
                 'Group not found', 'and no longer sees the members');
RESET ROLE;

-- Owner change: the new owner's member row goes, the previous owner becomes a Guest, through the
-- API and through UPDATE alike.
SET ROLE regress_g_owner;
SELECT lives_ok($$ SELECT syncmaster.update_group((SELECT team FROM ids), owner_id => 702) $$,
                'the owner hands the group to the Maintainer');
RESET ROLE;
SELECT results_eq($$ SELECT user_id, role::text FROM syncmaster.user_group WHERE group_id = (SELECT team FROM ids) ORDER BY user_id $$,
                  $$ VALUES (701::bigint, 'Guest'), (706::bigint, 'Developer') $$,
                  'the new owner is no longer a member; the previous owner is a Guest');
SET ROLE regress_g_owner;
SELECT throws_ok($$ SELECT syncmaster.update_group((SELECT team FROM ids), description => 'mine again') $$,
                 '42501', 'You have no power here', 'the previous owner, now a Guest, may not update it');
SELECT results_eq($$ SELECT role FROM syncmaster.list_groups() WHERE id = (SELECT team FROM ids) $$,
                  $$ VALUES ('Guest') $$, 'and lists it as a Guest');
RESET ROLE;
SET ROLE regress_g_maint;
SELECT lives_ok($$ UPDATE syncmaster."group" SET owner_id = 701 WHERE id = (SELECT team FROM ids) $$,
                'the new owner hands it back by UPDATE');
RESET ROLE;
SELECT results_eq($$ SELECT user_id, role::text FROM syncmaster.user_group WHERE group_id = (SELECT team FROM ids) ORDER BY user_id $$,
                  $$ VALUES (702::bigint, 'Guest'), (706::bigint, 'Developer') $$,
                  'UPDATE keeps the same bookkeeping');
SET ROLE regress_g_owner;
SELECT throws_ok($$ SELECT syncmaster.update_group((SELECT team FROM ids), owner_id => 99999) $$,
                 'P0002', 'User not found', 'an unknown new owner is refused');
SELECT lives_ok($$ SELECT syncmaster.create_group('regress_g_other') $$, 'a second group');
SELECT throws_ok($$ SELECT syncmaster.update_group((SELECT team FROM ids), name => 'regress_g_other') $$,
                 '23505', 'Group name already taken', 'renaming to a taken name is refused');
SELECT throws_ok($$ UPDATE syncmaster."group" SET name = 'regress_g_other' WHERE id = (SELECT team FROM ids) $$,
                 '23505', 'Group name already taken', 'by UPDATE too');
SELECT throws_ok($$ SELECT syncmaster.update_group(99999, description => 'x') $$,
                 'P0002', 'Group not found', 'updating an unknown group');
-- list_groups: the minimum-role filter, search, pagination.
SELECT results_eq($$ SELECT name::text, role FROM syncmaster.list_groups() WHERE name LIKE 'regress_g%' ORDER BY name $$,
                  $$ VALUES ('regress_g_other', 'Owner'), ('regress_g_team', 'Owner') $$,
                  'list_groups gives the caller''s role in each group');
SELECT is((SELECT count(*)::int FROM syncmaster.list_groups(min_role => 'Owner') WHERE name LIKE 'regress_g%'), 2,
          'min_role Owner keeps owned groups');
SELECT throws_ok($$ SELECT * FROM syncmaster.list_groups(min_role => 'Boss') $$, '22023',
                 'Input should be one of: Guest, Developer, Maintainer, Owner, Superuser', 'an unknown role is refused');
SELECT throws_ok($$ SELECT * FROM syncmaster.list_groups(page => 0) $$, '22023',
                 'page should be greater than 0', 'page 0 is refused');
SELECT throws_ok($$ SELECT * FROM syncmaster.list_groups(page_size => 51) $$, '22023',
                 'page_size should be between 1 and 50', 'page_size 51 is refused');
SELECT results_eq($$ SELECT name::text FROM syncmaster.list_groups(search => 'other') $$,
                  $$ VALUES ('regress_g_other') $$, 'search finds a group by a word of its name');
SELECT is((SELECT count(*)::int FROM syncmaster.list_groups(search => '!!!')), 0,
          'a search of punctuation only finds nothing');
RESET ROLE;
SET ROLE regress_g_maint;
SELECT results_eq($$ SELECT name::text, role FROM syncmaster.list_groups() WHERE name LIKE 'regress_g%' $$,
                  $$ VALUES ('regress_g_team', 'Guest') $$, 'a Guest sees only its group');
SELECT is((SELECT count(*)::int FROM syncmaster.list_groups(min_role => 'Developer') WHERE name LIKE 'regress_g%'), 0,
          'min_role Developer leaves out the groups where it is a Guest');
RESET ROLE;
SET ROLE regress_g_root;
SELECT results_eq($$ SELECT DISTINCT role FROM syncmaster.list_groups(min_role => 'Owner') WHERE name LIKE 'regress_g%' $$,
                  $$ VALUES ('Superuser') $$, 'a superuser sees every group as Superuser, whatever the filter');
-- delete_group: superusers only, refused to others before the existence check.
RESET ROLE;
SET ROLE regress_g_owner;
SELECT throws_ok($$ SELECT syncmaster.delete_group(99999) $$, '42501', 'You have no power here',
                 'a non-superuser is refused even for an unknown group');
RESET ROLE;
SET ROLE regress_g_root;
SELECT throws_ok($$ SELECT syncmaster.delete_group(99999) $$, 'P0002', 'Group not found',
                 'a superuser learns the group does not exist');
RESET ROLE;

-- Users.
SET ROLE regress_g_root;
SELECT throws_ok($$ DELETE FROM syncmaster."user" WHERE id = 701 $$, '55000',
                 'User regress_g_owner owns groups and cannot be deleted',
                 'a user who owns groups cannot be deleted (by a person: the system''s delete cascades)');
RESET ROLE;
SELECT lives_ok($$ DELETE FROM syncmaster."user" WHERE id = 705 $$, 'a user who owns none can');
SET ROLE regress_g_guest;
SELECT ok((SELECT bool_or(username = 'regress_g_maint') FROM syncmaster.list_users(search => 'regress_g_mant')),
          'list_users finds a user by trigram similarity, typo and all');
SELECT is((SELECT count(*)::int FROM syncmaster.list_users(search => 'zzqqxxyy')), 0,
          'and nothing for a string like no username');
SELECT is((SELECT count(*)::int FROM syncmaster.list_users(search => 'regress_g_sleepy') WHERE username = 'regress_g_sleepy'), 0,
          'an inactive user is not listed for a non-superuser');
SELECT is((SELECT DISTINCT total FROM syncmaster.list_users()),
          (SELECT count(*) FROM syncmaster."user" WHERE is_active),
          'its total counts the active users');
RESET ROLE;
SET ROLE regress_g_root;
SELECT is((SELECT count(*)::int FROM syncmaster.list_users(search => 'regress_g_sleepy') WHERE username = 'regress_g_sleepy'), 1,
          'but is for a superuser');
SELECT is((SELECT DISTINCT total FROM syncmaster.list_users()), (SELECT count(*) FROM syncmaster."user"),
          'whose total counts every user');
RESET ROLE;
-- Kept in user_total by the user table's triggers: deactivations, reactivations, deletions.
UPDATE syncmaster."user" SET is_active = NOT is_active WHERE username LIKE 'regress\_g\_%';
SELECT is((SELECT (users, active)::text FROM syncmaster.user_total),
          (SELECT (count(*), count(*) FILTER (WHERE is_active))::text FROM syncmaster."user"),
          'user_total follows (de)activations');
DELETE FROM syncmaster."user" WHERE username = 'regress_g_sleepy';
SELECT is((SELECT (users, active)::text FROM syncmaster.user_total),
          (SELECT (count(*), count(*) FILTER (WHERE is_active))::text FROM syncmaster."user"),
          'and deletions');

SELECT * FROM finish();
ROLLBACK;
