-- The rows of the oldest release (test/dump/fill.sql), after ALTER EXTENSION pg_syncmaster
-- UPDATE: still readable, writable and guarded by the same rules. The whole pgTAP suite also runs
-- on an updated extension (./sandbox test installs the oldest release in its database and
-- updates it); this file is about the data that was there before the update.
BEGIN;
SELECT plan(8);

SELECT is((SELECT extversion FROM pg_extension WHERE extname = 'pg_syncmaster'),
          (SELECT default_version FROM pg_available_extensions WHERE name = 'pg_syncmaster'),
          'the extension is at the newest version');

SELECT id AS team FROM syncmaster."group" WHERE name = 'dump_team' \gset
SELECT id AS warehouse FROM syncmaster.connection WHERE name = 'warehouse' \gset
SELECT id AS exports FROM syncmaster.connection WHERE name = 'exports' \gset
SELECT id AS queue FROM syncmaster.queue WHERE group_id = :team \gset

SELECT is(syncmaster.connection_credentials(:warehouse)->>'password', 'dump-secret',
          'credentials sealed by the old release open with the key');

CREATE ROLE dump_dev LOGIN IN ROLE syncmaster_user;
SET ROLE dump_dev;
SELECT results_eq(format('SELECT name::text FROM syncmaster.list_connections(%s) ORDER BY name', :team),
                  ARRAY['exports', 'warehouse'], 'a Developer lists the group''s old connections');
SELECT throws_ok($$ SELECT syncmaster.delete_group(1) $$, '42501', 'You have no power here',
                 'and may not delete the group');
SELECT lives_ok(format($$ SELECT syncmaster.create_transfer(%s, 'after the update', %s, %s, %s,
                                 '{"type": "postgres", "table_name": "public.items"}',
                                 '{"type": "s3", "directory_path": "/items", "file_format": {"type": "csv"}}') $$,
                       :team, :warehouse, :exports, :queue),
                'creates a transfer between the old connections');
SELECT throws_ok(format($$ SELECT syncmaster.create_transfer(%s, 'load', %s, %s, %s,
                                  '{"type": "postgres", "table_name": "public.items"}',
                                  '{"type": "s3", "directory_path": "/items", "file_format": {"type": "csv"}}') $$,
                        :team, :warehouse, :exports, :queue),
                 '23505', 'The transfer name already exists in the target group, please specify a new one',
                 'and the old transfer''s name is still taken');
UPDATE syncmaster.connection SET description = 'the data warehouse, renamed host' WHERE id = :warehouse;
SELECT results_eq(format($$ SELECT name::text FROM syncmaster.list_connections(%s, search => 'dwh') $$, :team),
                  ARRAY['warehouse'], 'the old rows'' search vectors find them');
RESET ROLE;
SELECT is((SELECT count(*) FROM syncmaster.run WHERE status = 'CREATED'), 1::bigint,
          'the old run waits to be claimed');

SELECT * FROM finish();
ROLLBACK;
