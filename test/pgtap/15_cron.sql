-- The cron parser (src/transfer/cron) against pg_cron itself: every schedule it accepts, pg_cron accepts
-- too (cron.schedule on each, rolled back), and what it refuses never reaches pg_cron.
-- Needs pg_cron in this database (./sandbox installs it).
BEGIN;
CREATE TEMP TABLE accepted (schedule text);
INSERT INTO accepted VALUES
    ('* * * * *'), ('*/5 * * * *'), ('0 0 * * *'), ('0 3 * * mon-fri'), ('30 8 1,15 * *'),
    ('0 0 29 2 *'), ('0 0 31 * *'), ('5-20/5,59 3 * * *'), ('0 12 13 * 5'), ('0 9 * * 0'),
    ('0 9 * * 7'), ('0 9 * * SUN'), ('0 0 1 jan-mar *'), ('0 0 * DEC *'), ('0 */2 * * *'),
    ('00 05 * * *'), ('0 0 */2 * 1'), ('59 23 31 12 *'), ('0-59/15 0-23/6 1-31/10 1-12/3 0-6/2'),
    (E'0\t0 * * *'), ('0  0  *  *  *'), ('@yearly'), ('@annually'), ('@monthly'), ('@weekly'),
    ('@daily'), ('@midnight'), ('@hourly');
CREATE TEMP TABLE refused (schedule text, message text);
INSERT INTO refused VALUES
    ('', 'schedule: it is empty'),
    ('* * * *', 'schedule: it has 4 fields, not 5'),
    ('* * * * * *', 'schedule: it has 6 fields, not 5'),
    ('60 * * * *', 'schedule: field "minute" ("60"): 60 is out of range 0-59'),
    ('* 24 * * *', 'schedule: field "hour" ("24"): 24 is out of range 0-23'),
    ('* * 32 * *', 'schedule: field "day-of-month" ("32"): 32 is out of range 1-31'),
    ('* * * 0 *', 'schedule: field "month" ("0"): 0 is out of range 1-12'),
    ('* * * * 8', 'schedule: field "day-of-week" ("8"): 8 is out of range 0-7'),
    ('5/10 * * * *', 'schedule: field "minute" ("5/10"): a step needs a range or ''*'' (as "*/10")'),
    ('*/0 * * * *', 'schedule: field "minute" ("*/0"): the step must be at least 1'),
    ('5-1 * * * *', 'schedule: field "minute" ("5-1"): the range 5-1 is backwards'),
    ('5x * * * *', 'schedule: field "minute" ("5x"): "5x" is not a number'),
    ('* * * mon *', 'schedule: field "month" ("mon"): "mon" is not a number or a name'),
    ('0 0 30 2 *', 'schedule: it never fires (no month has that day)'),
    ('@reboot', 'schedule: "@reboot" is not one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly'),
    ('1 second', 'schedule: it has 2 fields, not 5');
SELECT plan((SELECT count(*)::int FROM accepted) * 2 + (SELECT count(*)::int FROM refused) + 8);

SELECT lives_ok(format('SELECT syncmaster.schedule_next(%L)', schedule), format('we accept %L', schedule))
FROM accepted ORDER BY schedule;
SELECT lives_ok(format('SELECT cron.schedule(%L, %L, %L)', 'regress_check_' || md5(schedule), schedule, 'SELECT 1'),
                format('pg_cron accepts %L', schedule))
FROM accepted ORDER BY schedule;
SELECT throws_ok(format('SELECT syncmaster.schedule_next(%L)', schedule), '22023', message,
                 format('we refuse %L', schedule))
FROM refused ORDER BY schedule;

-- The extension's jobs are its own: recognised by name, owner and command. Jobs another role
-- names like them (where an operator gave users pg_cron) are reported and left alone, never
-- taken over, and never keep the reaper's job from being made.
CREATE ROLE regress_j_mallory LOGIN;
GRANT USAGE ON SCHEMA cron TO regress_j_mallory;
SET ROLE regress_j_mallory;
DO $$
BEGIN
    PERFORM cron.schedule('syncmaster_transfer_abc', '* * * * *', 'SELECT 1');
    PERFORM cron.schedule('syncmaster_transfer_999999', '* * * * *', 'SELECT 2');
    PERFORM cron.schedule('syncmaster_reap_stale_runs', '* * * * *', 'SELECT 3');
END
$$;
RESET ROLE;
SELECT set_eq($$ SELECT transfer_id, job_name, action FROM syncmaster.sync_schedules() $$,
              $$ VALUES (NULL::bigint, 'syncmaster_transfer_abc', 'foreign, left alone'),
                        (NULL, 'syncmaster_transfer_999999', 'foreign, left alone'),
                        (NULL, 'syncmaster_reap_stale_runs', 'foreign, left alone') $$,
              'sync_schedules() reports the look-alike jobs and does not fail on them');
SELECT results_eq($$ SELECT format('%s | %s | %s', jobname, command, username) COLLATE "default"
                     FROM cron.job WHERE username = 'regress_j_mallory' ORDER BY jobid $$,
                  $$ VALUES ('syncmaster_transfer_abc | SELECT 1 | regress_j_mallory'),
                            ('syncmaster_transfer_999999 | SELECT 2 | regress_j_mallory'),
                            ('syncmaster_reap_stale_runs | SELECT 3 | regress_j_mallory') $$,
                  'and leaves them as they were');
-- The first claim of a session makes the reaper's job, though a look-alike exists.
SELECT syncmaster.create_user('regress_j_owner') AS j_owner \gset
SELECT syncmaster.create_group('regress_j_team', owner_id => :j_owner) AS j_team \gset
SELECT syncmaster.create_queue(:j_team, 'regress j queue') AS j_queue \gset
SELECT lives_ok(format($$ SELECT syncmaster.claim_run(%L) $$,
                       (SELECT slug FROM syncmaster.queue WHERE id = :j_queue)),
                'a worker claims (nothing to claim)');
SELECT results_eq($$ SELECT format('%s | %s', command, username::text = syncmaster._extension_owner()) COLLATE "default"
                     FROM cron.job
                     WHERE jobname = 'syncmaster_reap_stale_runs' AND username <> 'regress_j_mallory' $$,
                  $$ VALUES ('SELECT syncmaster.reap_stale_runs() | t') $$,
                  'the reaper''s own job is made beside the look-alike');
SELECT is(syncmaster._is_extension_job('syncmaster_transfer_12', 'SELECT syncmaster.fire_scheduled_transfer(12)'),
          true, 'a transfer''s job is the extension''s');
SELECT is(syncmaster._is_extension_job('syncmaster_transfer_12', 'SELECT syncmaster.fire_scheduled_transfer(13)'),
          false, 'a job named for one transfer that fires another is not');
-- DROP EXTENSION removes the extension's jobs and none of the others.
DROP EXTENSION pg_syncmaster;
SELECT is((SELECT count(*)::int FROM cron.job WHERE username = 'regress_j_mallory'), 3,
          'DROP EXTENSION leaves the look-alikes');
SELECT is((SELECT count(*)::int FROM cron.job WHERE command = 'SELECT syncmaster.reap_stale_runs()'), 0,
          'and takes the reaper''s job with it');

SELECT * FROM finish();
ROLLBACK;
