-- Identity: every rule, through SET ROLE and through syncmaster.acting_user; and the
-- rules of "user" rows through create_user and through direct DML.
BEGIN;
SELECT plan(55);

CREATE ROLE regress_alice LOGIN IN ROLE syncmaster_user;        -- an active user
CREATE ROLE regress_root LOGIN IN ROLE syncmaster_user;         -- a syncmaster superuser
CREATE ROLE regress_sleepy LOGIN IN ROLE syncmaster_user;       -- an inactive user
CREATE ROLE regress_nobody LOGIN IN ROLE syncmaster_user;       -- a role with no user row
CREATE ROLE regress_app LOGIN IN ROLE syncmaster_app;           -- an application that authenticates people
GRANT regress_alice TO regress_app;                       -- ... and may SET ROLE to alice
CREATE ROLE regress_worker LOGIN IN ROLE syncmaster_service;    -- the system: a worker

-- The system (a PostgreSQL superuser) creates users.
SELECT isnt(syncmaster.create_user('regress_alice', email => 'alice@example.com'), NULL,
            'the system creates a user and gets its id');
SELECT isnt(syncmaster.create_user('regress_root', is_superuser => true), NULL,
            'the system creates a superuser');
SELECT isnt(syncmaster.create_user('regress_sleepy', is_active => false), NULL,
            'the system creates an inactive user');
CREATE TEMP TABLE ids AS
    SELECT username, id FROM syncmaster."user" WHERE username LIKE 'regress\_%';
GRANT SELECT ON ids TO PUBLIC;

-- Rule 3: a PostgreSQL superuser acts as the system.
SELECT results_eq($$ SELECT id, username, is_superuser FROM syncmaster.whoami() $$,
                  $$ VALUES (NULL::bigint, NULL::text, true) $$,
                  'a PostgreSQL superuser is the system: no id, no username, every power');
SELECT is(syncmaster.current_user_id(), NULL, 'the system has no user id');

-- Rule 2: a role acts as the user of the same name.
SET ROLE regress_alice;
SELECT results_eq($$ SELECT id, username, is_superuser FROM syncmaster.whoami() $$,
                  $$ SELECT id, username::text, false FROM ids WHERE username = 'regress_alice' $$,
                  'SET ROLE regress_alice: acts as alice');
SELECT is(syncmaster.current_user_id(), (SELECT id FROM ids WHERE username = 'regress_alice'),
          'current_user_id() is alice''s id');
RESET ROLE;

SET ROLE regress_root;
SELECT results_eq($$ SELECT username, is_superuser FROM syncmaster.whoami() $$,
                  $$ VALUES ('regress_root'::text, true) $$,
                  'a syncmaster superuser is a user with is_superuser, not the system');
RESET ROLE;

-- Rule 4: unknown and inactive users.
SET ROLE regress_nobody;
SELECT throws_ok($$ SELECT syncmaster.whoami() $$, '28000', 'Not authenticated',
                 'a role with no user row is not authenticated');
SELECT throws_ok($$ SELECT syncmaster.current_user_id() $$, '28000', 'Not authenticated',
                 'current_user_id() too');
RESET ROLE;
SET ROLE regress_sleepy;
SELECT throws_ok($$ SELECT syncmaster.whoami() $$, '42501', 'Inactive user',
                 'an inactive user is refused');
SELECT throws_ok($$ SELECT syncmaster.current_user_id() $$, '42501', 'Inactive user',
                 'current_user_id() too');
RESET ROLE;

-- Rule 1: an application (syncmaster_app) acts for the user it names in the transaction, and
-- naming nobody it is nobody. (This file is one transaction: the SETs below are in it. How a
-- value from before the transaction is ignored: sql/06_acting_user_scope.sql.)
SET ROLE regress_app;
SELECT throws_ok($$ SELECT syncmaster.whoami() $$, '28000', 'Not authenticated',
                 'an application naming nobody is nobody, not the system');
SET syncmaster.acting_user = '';
SELECT throws_ok($$ SELECT syncmaster.current_user_id() $$, '28000', 'Not authenticated',
                 'nor with an empty acting user');
SET syncmaster.acting_user = 'regress_alice';
SELECT results_eq($$ SELECT id, username FROM syncmaster.whoami() $$,
                  $$ SELECT id, username::text FROM ids WHERE username = 'regress_alice' $$,
                  'an application acting for alice is alice');
SELECT is(syncmaster.current_user_id(), (SELECT id FROM ids WHERE username = 'regress_alice'),
          'current_user_id() follows syncmaster.acting_user');
SET syncmaster.acting_user = 'regress_sleepy';
SELECT throws_ok($$ SELECT syncmaster.whoami() $$, '42501', 'Inactive user',
                 'an application acting for an inactive user is refused');
SET syncmaster.acting_user = 'regress_ghost';
SELECT throws_ok($$ SELECT syncmaster.whoami() $$, '28000', 'Not authenticated',
                 'an application acting for an unknown user is not authenticated');
SET LOCAL syncmaster.acting_user = 'regress_alice';
SELECT is(syncmaster.current_user_id(), (SELECT id FROM ids WHERE username = 'regress_alice'),
          'SET LOCAL works as well');
RESET syncmaster.acting_user;
SELECT throws_ok($$ SELECT syncmaster.whoami() $$, '28000', 'Not authenticated',
                 'after RESET the application is nobody again');
-- A SET ROLE trick: the application sets the acting user, then becomes a plain role. The setting
-- is checked against the role that uses it, so it no longer counts.
SET syncmaster.acting_user = 'regress_root';
SET ROLE regress_alice;
SELECT throws_ok($$ SELECT syncmaster.whoami() $$, '42501', 'You have no power here',
                 'an acting user set by the application does not carry over to SET ROLE alice');
RESET ROLE;
RESET syncmaster.acting_user;

-- Rule 3: the system (syncmaster_service) names nobody; even with the SET privilege granted by
-- hand, naming a user is refused.
SET ROLE regress_worker;
SELECT results_eq($$ SELECT id, username, is_superuser FROM syncmaster.whoami() $$,
                  $$ VALUES (NULL::bigint, NULL::text, true) $$,
                  'a syncmaster_service member is the system');
SELECT throws_ok($$ SET syncmaster.acting_user = 'regress_alice' $$, '42501',
                 'permission denied to set parameter "syncmaster.acting_user"',
                 'the system may not SET syncmaster.acting_user');
RESET ROLE;
GRANT SET ON PARAMETER syncmaster.acting_user TO regress_worker;
SET ROLE regress_worker;
SET syncmaster.acting_user = 'regress_alice';
SELECT throws_ok($$ SELECT syncmaster.whoami() $$, '42501', 'You have no power here',
                 'a syncmaster_service member naming a user is refused at use');
RESET syncmaster.acting_user;
RESET ROLE;
REVOKE SET ON PARAMETER syncmaster.acting_user FROM regress_worker;

-- Only syncmaster_app members (and superusers) may set the acting user.
SET ROLE regress_alice;
SELECT throws_ok($$ SET syncmaster.acting_user = 'regress_root' $$, '42501',
                 'permission denied to set parameter "syncmaster.acting_user"',
                 'a plain role may not SET syncmaster.acting_user');
SELECT throws_ok($$ SELECT set_config('syncmaster.acting_user', 'regress_root', true) $$, '42501',
                 'permission denied to set parameter "syncmaster.acting_user"',
                 'nor set it through set_config()');
SELECT is(syncmaster.current_user_id(), (SELECT id FROM ids WHERE username = 'regress_alice'),
          'alice is still alice');
RESET ROLE;

-- A superuser may act for a user.
SET syncmaster.acting_user = 'regress_alice';
SELECT results_eq($$ SELECT username FROM syncmaster.whoami() $$, $$ VALUES ('regress_alice'::text) $$,
                  'a PostgreSQL superuser may act for a user');
RESET syncmaster.acting_user;

-- SECURITY DEFINER frames do not change who acts: identity follows the outer role.
CREATE FUNCTION pg_temp.whoami_as_definer() RETURNS text
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$ SELECT username FROM syncmaster.whoami() $$;
GRANT EXECUTE ON FUNCTION pg_temp.whoami_as_definer() TO PUBLIC;
SET ROLE regress_alice;
SELECT is(pg_temp.whoami_as_definer(), 'regress_alice',
          'inside a superuser''s SECURITY DEFINER function alice is still alice');
RESET ROLE;

-- Identity lookups do not depend on what row-level security shows: with a policy that hides
-- every row, alice is still found.
ALTER TABLE syncmaster."user" FORCE ROW LEVEL SECURITY;
CREATE POLICY regress_hide_all ON syncmaster."user" AS RESTRICTIVE USING (false);
SET ROLE regress_alice;
SELECT is((SELECT count(*)::int FROM syncmaster."user"), 0, 'a restrictive policy shows alice no user row');
SELECT isnt(syncmaster.current_user_id(), NULL, 'and still she is identified');
RESET ROLE;
DROP POLICY regress_hide_all ON syncmaster."user";
ALTER TABLE syncmaster."user" NO FORCE ROW LEVEL SECURITY;

-- create_user: the system or a superuser only, through the API and through INSERT alike.
SELECT lives_ok($$ SELECT syncmaster.create_user('regress_bob') $$, 'the system creates bob');
SET ROLE regress_root;
SELECT lives_ok($$ SELECT syncmaster.create_user('regress_carol') $$,
                'a syncmaster superuser creates carol');
RESET ROLE;
SET ROLE regress_alice;
SELECT throws_ok($$ SELECT syncmaster.create_user('regress_dave') $$, '42501',
                 'You have no power here', 'alice may not create users through the API');
SELECT throws_ok($$ INSERT INTO syncmaster."user" (username) VALUES ('regress_dave') $$, '42501',
                 'You have no power here', 'nor through INSERT');
RESET ROLE;
SET ROLE regress_app;
SET syncmaster.acting_user = 'regress_alice';
SELECT throws_ok($$ SELECT syncmaster.create_user('regress_dave') $$, '42501',
                 'You have no power here', 'nor through an application acting for her');
RESET syncmaster.acting_user;
SELECT throws_ok($$ SELECT syncmaster.create_user('regress_dave') $$, '28000',
                 'Not authenticated', 'an application naming nobody creates nobody');
SELECT throws_ok($$ INSERT INTO syncmaster."user" (username) VALUES ('regress_dave') $$, '28000',
                 'Not authenticated', 'nor through INSERT');
RESET ROLE;
SET ROLE regress_worker;
SELECT lives_ok($$ SELECT syncmaster.create_user('regress_erin') $$,
                'the system (a syncmaster_service member) creates users');
RESET ROLE;
SET ROLE regress_nobody;
SELECT throws_ok($$ SELECT syncmaster.create_user('regress_dave') $$, '28000', 'Not authenticated',
                 'an unknown role is not authenticated');
RESET ROLE;
SELECT is((SELECT count(*)::int FROM syncmaster."user" WHERE username = 'regress_dave'), 0,
          'no refused statement created dave');

-- Usernames are unique, with SyncMaster's message on both paths.
SELECT throws_ok($$ SELECT syncmaster.create_user('regress_alice') $$, '23505',
                 'Username is already taken', 'create_user refuses a taken username');
SELECT throws_ok($$ INSERT INTO syncmaster."user" (username) VALUES ('regress_alice') $$, '23505',
                 'Username is already taken', 'INSERT refuses a taken username');
SELECT throws_ok($$ UPDATE syncmaster."user" SET username = 'regress_alice' WHERE username = 'regress_bob' $$,
                 '23505', 'Username is already taken', 'renaming to a taken username is refused');
SELECT is((SELECT count(*)::int FROM syncmaster."user" WHERE username = 'regress_alice'), 1,
          'still one alice');

-- Changing users: row-level security shows alice the active users; the trigger decides.
SET ROLE regress_alice;
SELECT lives_ok($$ UPDATE syncmaster."user" SET first_name = 'Alice' WHERE username = 'regress_alice' $$,
                'alice edits her own name');
SELECT throws_ok($$ UPDATE syncmaster."user" SET is_superuser = true WHERE username = 'regress_alice' $$,
                 '42501', 'You have no power here', 'alice may not make herself a superuser');
SELECT throws_ok($$ UPDATE syncmaster."user" SET username = 'regress_alicia' WHERE username = 'regress_alice' $$,
                 '42501', 'You have no power here', 'nor rename herself');
SELECT throws_ok($$ UPDATE syncmaster."user" SET email = 'x@example.com' WHERE username = 'regress_bob' $$,
                 '42501', 'You have no power here', 'nor change bob');
SELECT throws_ok($$ DELETE FROM syncmaster."user" WHERE username = 'regress_bob' $$,
                 '42501', 'You have no power here', 'nor delete bob');
RESET ROLE;
SELECT results_eq($$ SELECT first_name, is_superuser, email FROM syncmaster."user" WHERE username = 'regress_alice' $$,
                  $$ VALUES ('Alice'::varchar, false, 'alice@example.com'::varchar) $$,
                  'only the allowed change took effect');
SELECT is((SELECT count(*)::int FROM syncmaster."user" WHERE username = 'regress_bob'), 1,
          'bob is still there');
SET ROLE regress_root;
SELECT lives_ok($$ UPDATE syncmaster."user" SET is_active = false WHERE username = 'regress_bob' $$,
                'a superuser deactivates bob');
SELECT lives_ok($$ DELETE FROM syncmaster."user" WHERE username = 'regress_carol' $$,
                'a superuser deletes carol');
RESET ROLE;

-- updated_at follows every UPDATE, whatever the statement says.
UPDATE syncmaster."user" SET updated_at = '2000-01-01', last_name = 'A' WHERE username = 'regress_alice';
SELECT is((SELECT updated_at FROM syncmaster."user" WHERE username = 'regress_alice'), now(),
          'UPDATE sets updated_at = now()');

SELECT * FROM finish();
ROLLBACK;
