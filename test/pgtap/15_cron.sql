-- The cron parser (core/cron) against pg_cron itself: every schedule it accepts, pg_cron accepts
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
SELECT plan((SELECT count(*)::int FROM accepted) * 2 + (SELECT count(*)::int FROM refused));

SELECT lives_ok(format('SELECT syncmaster.schedule_next(%L)', schedule), format('we accept %L', schedule))
FROM accepted ORDER BY schedule;
SELECT lives_ok(format('SELECT cron.schedule(%L, %L, %L)', 'syncmaster_check_' || md5(schedule), schedule, 'SELECT 1'),
                format('pg_cron accepts %L', schedule))
FROM accepted ORDER BY schedule;
SELECT throws_ok(format('SELECT syncmaster.schedule_next(%L)', schedule), '22023', message,
                 format('we refuse %L', schedule))
FROM refused ORDER BY schedule;

SELECT * FROM finish();
ROLLBACK;
