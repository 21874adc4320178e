-- The API's write path opens no subtransaction: the duplicate checks are the rules triggers',
-- serialized by transaction locks, so no PL/pgSQL EXCEPTION block is needed to map a unique
-- violation. A transaction of more than 64 subtransactions overflows each backend's subxid cache,
-- and every snapshot taken meanwhile slows down; here 1 000 API writes run in one transaction.
BEGIN;
SELECT plan(7);

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

-- The triggers cache column numbers by relation and name: a column dropped and added again (a new
-- number) or renamed in the same transaction is found where it is now, or reported missing.
CREATE TEMP TABLE regress_w_touch (id int, updated_at timestamptz, note text);
CREATE TRIGGER touch BEFORE UPDATE ON regress_w_touch
    FOR EACH ROW EXECUTE FUNCTION syncmaster.touch_updated_at();
INSERT INTO regress_w_touch VALUES (1, NULL, 'a');
UPDATE regress_w_touch SET note = 'b';
SELECT is((SELECT updated_at FROM regress_w_touch), now(), 'touch_updated_at sets updated_at');
ALTER TABLE regress_w_touch DROP COLUMN updated_at;
ALTER TABLE regress_w_touch ADD COLUMN updated_at timestamptz;
UPDATE regress_w_touch SET note = 'c';
SELECT is((SELECT updated_at FROM regress_w_touch), now(),
          'and finds the column again after it was dropped and added with a new number');
ALTER TABLE regress_w_touch RENAME COLUMN updated_at TO changed_at;
SELECT throws_ok($$ UPDATE regress_w_touch SET note = 'd' $$, '42703',
                 'column "updated_at" of relation "regress_w_touch" does not exist',
                 'a renamed column is reported missing, not read from its old number');

SELECT * FROM finish();
ROLLBACK;
