-- DESIGN §4 rule 1: a value of syncmaster.acting_user set by an unprivileged role before the
-- library loaded never counts. This file must run in a session that has not loaded the library
-- yet: nothing before the SET below calls into pg_syncmaster.
BEGIN;
SELECT plan(5);

CREATE ROLE regress_pre_mallory IN ROLE syncmaster_user;
SET ROLE regress_pre_mallory;
SET syncmaster.acting_user = 'regress_pre_admin';
SELECT is(current_setting('syncmaster.acting_user'), 'regress_pre_admin',
          'before the library loads, the setting is a mere placeholder anyone can set');
RESET ROLE;

-- Loading the library (this trigger call does) re-applies the placeholder with the privileges of
-- the role that set it, which may not: the value is dropped.
SELECT lives_ok($$ SELECT syncmaster.create_user('regress_pre_admin', is_superuser => true) $$,
                'the system creates a superuser');
SELECT lives_ok($$ SELECT syncmaster.create_user('regress_pre_mallory') $$,
                'the system creates mallory');
SET ROLE regress_pre_mallory;
SELECT is(current_setting('syncmaster.acting_user'), '',
          'the pre-set value did not survive the library load');
SELECT results_eq($$ SELECT username, is_superuser FROM syncmaster.whoami() $$,
                  $$ VALUES ('regress_pre_mallory'::text, false) $$,
                  'mallory acts as herself, not as the superuser she named');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
