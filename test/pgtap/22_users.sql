-- Users: who creates, changes and deletes them, what a username may be, what each role sees,
-- and the kept count behind list_users(). Every rule through the API and through the table.
BEGIN;
SELECT plan(40);

CREATE ROLE regress_u_admin LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_u_plain LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_u_nologin NOLOGIN;
CREATE TEMP TABLE totals_before AS SELECT users, active FROM syncmaster.user_total;
GRANT SELECT ON totals_before TO PUBLIC;

-- The system creates users, through the API or INSERT; a syncmaster superuser too.
SELECT is(syncmaster.create_user('regress_u_admin', 'admin@example.com', is_superuser => true) > 0, true,
          'the system creates a user through create_user()');
SELECT lives_ok($$ INSERT INTO syncmaster."user" (id, username, first_name) VALUES (2201, 'regress_u_plain', 'Pat') $$,
                'and through INSERT');
SET ROLE regress_u_admin;
SELECT lives_ok($$ SELECT syncmaster.create_user('regress_u_made', 'made@example.com') $$,
                'a syncmaster superuser creates a user through create_user()');
SELECT lives_ok($$ INSERT INTO syncmaster."user" (username, is_active) VALUES ('regress_u_sleeper', false) $$,
                'and through INSERT (an inactive one)');
SET ROLE regress_u_plain;
SELECT throws_ok($$ SELECT syncmaster.create_user('regress_u_other') $$, '42501', 'You have no power here',
                 'an ordinary user may not create users, API');
SELECT throws_ok($$ INSERT INTO syncmaster."user" (username) VALUES ('regress_u_other') $$, '42501',
                 'You have no power here', 'nor through INSERT');
RESET ROLE;
SELECT is((SELECT count(*) FROM syncmaster."user" WHERE username = 'regress_u_other'), 0::bigint,
          'and nothing was written');

-- Usernames: unique, and names a login role can have.
SELECT throws_ok($$ SELECT syncmaster.create_user('regress_u_plain') $$, '23505', 'Username is already taken',
                 'a taken username, API');
SELECT throws_ok($$ INSERT INTO syncmaster."user" (username) VALUES ('regress_u_plain') $$, '23505',
                 'Username is already taken', 'and through INSERT');
SELECT throws_ok($$ SELECT syncmaster.create_user('syncmaster_app') $$, '22023',
                 'username "syncmaster_app" is reserved', 'the extension''s roles are reserved, API');
SELECT throws_ok($$ INSERT INTO syncmaster."user" (username) VALUES ('syncmaster_service') $$, '22023',
                 'username "syncmaster_service" is reserved', 'and through INSERT');
SELECT throws_ok($$ SELECT syncmaster.create_user('pg_regress_u') $$, '22023',
                 'username "pg_regress_u" is reserved', 'so are PostgreSQL''s pg_ names, API');
SELECT throws_ok($$ INSERT INTO syncmaster."user" (username) VALUES ('pg_regress_u') $$, '22023',
                 'username "pg_regress_u" is reserved', 'and through INSERT');
SELECT throws_ok($$ SELECT syncmaster.create_user('regress_u_nologin') $$, '22023',
                 'username "regress_u_nologin" names a role that cannot log in',
                 'the name of a role without LOGIN (its members could act as the user), API');
SELECT throws_ok($$ INSERT INTO syncmaster."user" (username) VALUES ('regress_u_nologin') $$, '22023',
                 'username "regress_u_nologin" names a role that cannot log in', 'and through INSERT');
SELECT throws_ok($$ SELECT syncmaster.create_user(repeat('u', 64)) $$, '22023',
                 'username must have at most 63 bytes', 'longer than a role name can be, API');
SELECT throws_ok($$ INSERT INTO syncmaster."user" (username) VALUES (repeat('é', 32)) $$, '22023',
                 'username must have at most 63 bytes', 'bytes, not characters, through INSERT');
SELECT throws_ok($$ SELECT syncmaster.create_user('') $$, '22023', 'username is required', 'an empty username, API');
SELECT throws_ok($$ INSERT INTO syncmaster."user" (username) VALUES ('') $$, '22023', 'username is required',
                 'and through INSERT');

-- A user changes its own e-mail and names, nothing else of its own, nothing of anyone else.
SET ROLE regress_u_plain;
SELECT results_eq($$ UPDATE syncmaster."user" SET email = 'pat@example.com', last_name = 'Smith'
                    WHERE id = 2201 RETURNING email::text, last_name::text $$,
                  $$ VALUES ('pat@example.com', 'Smith') $$, 'a user changes its own e-mail and names');
SELECT throws_ok($$ UPDATE syncmaster."user" SET username = 'regress_u_renamed' WHERE id = 2201 $$, '42501',
                 'You have no power here', 'not its username');
SELECT throws_ok($$ UPDATE syncmaster."user" SET is_superuser = true WHERE id = 2201 $$, '42501',
                 'You have no power here', 'nor is_superuser');
SELECT throws_ok($$ UPDATE syncmaster."user" SET is_active = false WHERE id = 2201 $$, '42501',
                 'You have no power here', 'nor is_active');
SELECT throws_ok($$ UPDATE syncmaster."user" SET first_name = 'Mallory' WHERE username = 'regress_u_made' $$,
                 '42501', 'You have no power here', 'nor another user''s names');
SELECT throws_ok($$ DELETE FROM syncmaster."user" WHERE id = 2201 $$, '42501', 'You have no power here',
                 'nor delete itself');
SELECT throws_ok($$ DELETE FROM syncmaster."user" WHERE username = 'regress_u_made' $$, '42501',
                 'You have no power here', 'nor another user');

-- What an ordinary user sees: active users only; a superuser sees every user.
SELECT is((SELECT count(*) FROM syncmaster."user" WHERE username = 'regress_u_sleeper'), 0::bigint,
          'an ordinary user does not see an inactive user');
SELECT is((SELECT array_agg(username ORDER BY username)::text[] FROM syncmaster.list_users('regress_u_')
           WHERE username LIKE 'regress\_u\_%'),
          ARRAY['regress_u_admin', 'regress_u_made', 'regress_u_plain'],
          'list_users() finds the active users by a part of their name');
SET ROLE regress_u_admin;
SELECT is((SELECT array_agg(username ORDER BY username)::text[] FROM syncmaster.list_users('regress_u_')
           WHERE username LIKE 'regress\_u\_%'),
          ARRAY['regress_u_admin', 'regress_u_made', 'regress_u_plain', 'regress_u_sleeper'],
          'a superuser''s list_users() shows the inactive one too');

-- A superuser changes and deletes users; the kept count follows every change.
SELECT lives_ok($$ UPDATE syncmaster."user" SET is_active = true, username = 'regress_u_awake' WHERE username = 'regress_u_sleeper' $$,
                'a superuser activates and renames a user');
SELECT lives_ok($$ DELETE FROM syncmaster."user" WHERE username = 'regress_u_made' $$, 'and deletes one');
RESET ROLE;
SELECT is((SELECT (t.users - b.users, t.active - b.active) FROM syncmaster.user_total t, totals_before b)::text,
          '(3,3)', 'the kept totals count three more users, all active');
SELECT is((SELECT total FROM syncmaster.list_users(page_size => 1) LIMIT 1),
          (SELECT count(*) FROM syncmaster."user"), 'list_users() reads its total from them');
UPDATE syncmaster."user" SET is_active = false WHERE username = 'regress_u_awake';
SELECT is((SELECT (t.users - b.users, t.active - b.active) FROM syncmaster.user_total t, totals_before b)::text,
          '(3,2)', 'a deactivation counts one active user less');
SELECT is((SELECT total FROM syncmaster.list_users(page_size => 1) LIMIT 1),
          (SELECT count(*) FROM syncmaster."user"), 'the system still counts every user');

-- An inactive user acts no more; paging arguments are checked.
SET ROLE regress_u_plain;
SELECT is((SELECT total FROM syncmaster.list_users(page_size => 1) LIMIT 1),
          (SELECT count(*) FROM syncmaster."user" WHERE is_active), 'an ordinary user counts the active ones');
SELECT throws_ok($$ SELECT * FROM syncmaster.list_users(page => 0) $$, '22023', 'page should be greater than 0',
                 'page 0 is refused');
SELECT throws_ok($$ SELECT * FROM syncmaster.list_users(page_size => 51) $$, '22023',
                 'page_size should be between 1 and 50', 'and so is a page of 51');
RESET ROLE;
UPDATE syncmaster."user" SET is_active = false WHERE id = 2201;
SET ROLE regress_u_plain;
SELECT throws_ok($$ SELECT * FROM syncmaster.list_users() $$, '42501', 'Inactive user',
                 'a deactivated user is refused, API');
SELECT throws_ok($$ UPDATE syncmaster."user" SET email = 'again@example.com' WHERE id = 2201 $$, '42501',
                 'Inactive user', 'and through UPDATE of its own row');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
