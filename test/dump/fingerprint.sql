-- What must survive a pg_dump round trip: every row of every table, the identity sequences, and
-- credentials that still open with the server's key.
\pset tuples_only on
\pset format unaligned
SELECT 'user', md5(string_agg(t::text, '|' ORDER BY id)) FROM syncmaster."user" t;
SELECT 'group', md5(string_agg(t::text, '|' ORDER BY id)) FROM syncmaster."group" t;
SELECT 'user_group', md5(string_agg(t::text, '|' ORDER BY user_id, group_id)) FROM syncmaster.user_group t;
SELECT 'connection', md5(string_agg(t::text, '|' ORDER BY id)) FROM syncmaster.connection t;
SELECT 'auth_data', md5(string_agg(t::text, '|' ORDER BY connection_id)) FROM syncmaster.auth_data t;
SELECT 'queue', md5(string_agg(t::text, '|' ORDER BY id)) FROM syncmaster.queue t;
SELECT 'transfer', md5(string_agg(t::text, '|' ORDER BY id)) FROM syncmaster.transfer t;
SELECT 'run', md5(string_agg(t::text, '|' ORDER BY id)) FROM syncmaster.run t;
SELECT 'credential_access', md5(string_agg(t::text, '|' ORDER BY id)) FROM syncmaster.credential_access t;
-- The kept totals (since 0.3.0) are not dumped: the restore's inserts rebuild them, and an update
-- counts them. Whether they hold what the rows count (true before 0.3.0, which keeps none).
SELECT to_regclass('syncmaster.run_total') IS NOT NULL AS has_totals \gset
\if :has_totals
SELECT 'totals kept',
       (SELECT (users, active) = (SELECT count(*), count(*) FILTER (WHERE is_active) FROM syncmaster."user")
        FROM syncmaster.user_total)
       AND NOT EXISTS (SELECT transfer_id, runs FROM syncmaster.run_total
                       EXCEPT SELECT transfer_id, count(*) FROM syncmaster.run GROUP BY transfer_id)
       AND NOT EXISTS (SELECT transfer_id, count(*) FROM syncmaster.run GROUP BY transfer_id
                       EXCEPT SELECT transfer_id, runs FROM syncmaster.run_total);
\else
SELECT 'totals kept', true;
\endif
SELECT 'sequences', (SELECT last_value FROM syncmaster.user_id_seq), (SELECT last_value FROM syncmaster.group_id_seq),
       (SELECT last_value FROM syncmaster.connection_id_seq), (SELECT last_value FROM syncmaster.queue_id_seq),
       (SELECT last_value FROM syncmaster.transfer_id_seq), (SELECT last_value FROM syncmaster.run_id_seq);
-- Reading them writes an audit row: -v no_credentials=1 leaves them out, so that taking the
-- fingerprint changes nothing (before and after ALTER EXTENSION UPDATE).
\if :{?no_credentials}
\else
SELECT 'credentials', syncmaster.connection_credentials(id) FROM syncmaster.connection WHERE name = 'warehouse';
\endif
