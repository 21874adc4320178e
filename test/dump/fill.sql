-- Data for the pg_dump round trip: a bit of everything, including credentials and a renamed queue.
\set ON_ERROR_STOP on
-- The caller creates the extension (the newest version, or the oldest release before an update).
SELECT syncmaster.create_user('dump_owner') AS owner, syncmaster.create_user('dump_dev') AS dev,
       syncmaster.create_user('dump_old', is_active => false) AS old \gset
SELECT syncmaster.create_group('dump_team', 'a team', :owner) AS team \gset
SELECT syncmaster.add_group_member(:team, :dev, 'Developer');
SELECT syncmaster.create_connection(:team, 'warehouse', 'postgres', '{"host": "dwh", "database_name": "dwh"}',
                                    '{"type": "basic", "user": "etl", "password": "dump-secret"}') AS warehouse \gset
SELECT syncmaster.create_connection(:team, 'exports', 's3', '{"host": "s3", "bucket": "b", "region": "r"}',
                                    '{"type": "s3", "access_key": "ak", "secret_key": "dump-s3"}') AS exports \gset
SELECT syncmaster.create_queue(:team, 'Nightly') AS queue \gset
SELECT syncmaster.update_queue(:queue, 'Nightly, renamed');
INSERT INTO syncmaster.transfer (group_id, name, source_connection_id, target_connection_id, queue_id,
                                 source_params, target_params)
VALUES (:team, 'load', :warehouse, :exports, :queue, '{"type": "postgres", "table_name": "public.orders"}',
        '{"type": "s3", "directory_path": "/orders", "file_format": {"type": "parquet"}}');
INSERT INTO syncmaster.run (transfer_id) SELECT id FROM syncmaster.transfer;
SELECT syncmaster.connection_credentials(:warehouse);
