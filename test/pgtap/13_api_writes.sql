-- The API's write path opens no subtransaction: the duplicate checks are the rules triggers',
-- serialized by transaction locks, so no PL/pgSQL EXCEPTION block is needed to map a unique
-- violation. A transaction of more than 64 subtransactions overflows each backend's subxid cache,
-- and every snapshot taken meanwhile slows down; here 1 000 API writes run in one transaction.
BEGIN;
SELECT plan(4);

SELECT is_empty($$
    SELECT p.proname FROM pg_proc p
    WHERE p.pronamespace = 'syncmaster'::regnamespace AND p.prolang = (SELECT l.oid FROM pg_language l WHERE l.lanname = 'plpgsql')
      AND p.prosrc ~* '\mEXCEPTION\s+WHEN' $$,
    'no API function has an EXCEPTION block (a subtransaction per call)');

CREATE ROLE regress_w_dev LOGIN IN ROLE syncmaster_user;
SELECT syncmaster.create_user('regress_w_owner') AS owner_id \gset
SELECT syncmaster.create_user('regress_w_dev') AS dev_id \gset
SELECT syncmaster.create_group('regress_w_team', owner_id => :owner_id) AS team \gset
SELECT syncmaster.add_group_member(:team, :dev_id, 'Developer');

SET ROLE regress_w_dev;
SELECT lives_ok(format($$
    DO $do$
    BEGIN
        FOR i IN 1..500 LOOP
            PERFORM syncmaster.create_connection(%s, 'regress_w_' || i, 'sftp',
                                                 jsonb_build_object('host', 'h' || i),
                                                 '{"type": "basic", "user": "u", "password": "p"}');
            PERFORM syncmaster.update_connection(
                (SELECT c.id FROM syncmaster.connection c
                 WHERE c.group_id = %s AND c.name = 'regress_w_' || i),
                'regress_w_' || i, 'sftp', jsonb_build_object('host', 'h' || i, 'port', 2222));
        END LOOP;
    END
    $do$ $$, :team, :team),
    '1 000 API writes (500 creates, 500 updates) in one transaction');
SELECT is((SELECT count(*) FROM syncmaster.connection WHERE group_id = :team AND (data->>'port')::int = 2222),
          500::bigint, 'all of them took effect');
SELECT throws_ok(format($$ SELECT syncmaster.create_connection(%s, 'regress_w_7', 'sftp', '{"host": "h"}',
                           '{"type": "basic", "user": "u", "password": "p"}') $$, :team),
                 '23505', 'The connection name already exists in the target group, please specify a new one',
                 'and a duplicate is still SyncMaster''s error, from the trigger');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
