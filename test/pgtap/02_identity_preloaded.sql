-- Who may name a user, with the library preloaded (the supported set-up): syncmaster.acting_user is
-- superuser-only from the first statement of every session, so a role outside syncmaster_service
-- cannot even set it. (Before-load values in a cluster that does not preload the library:
-- test/preload/not_preloaded.sql.)
BEGIN;
SELECT plan(3);

CREATE ROLE regress_pre_mallory LOGIN IN ROLE syncmaster_user;
SET ROLE regress_pre_mallory;
SELECT throws_ok($$ SET syncmaster.acting_user = 'regress_pre_admin' $$, '42501',
                 'permission denied to set parameter "syncmaster.acting_user"',
                 'a plain role cannot set the acting user');
SELECT throws_ok($$ SELECT set_config('syncmaster.acting_user', 'regress_pre_admin', false) $$,
                 '42501', 'permission denied to set parameter "syncmaster.acting_user"',
                 'nor through set_config');
SELECT is(current_setting('syncmaster.acting_user'), '', 'the setting stays empty');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
