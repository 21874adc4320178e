# pg_cron really fires a transfer: a transfer scheduled every minute gets a SCHEDULED run within
# 70 s (pg_cron starts jobs at the minute).
use strict;
use warnings;
use lib 'test/perl';
use SyncmasterTest;
use Test::More;

my $node = syncmaster_node('cron');
transfer_fixture($node, 'syncmaster', 'fire', q{is_scheduled => true, schedule => '* * * * *'});
my $fired = $node->poll_query_until('syncmaster', <<'SQL');
SELECT count(*) > 0 FROM syncmaster.run r JOIN syncmaster.transfer t ON t.id = r.transfer_id
WHERE t.name = 'fire_transfer' AND r.type = 'SCHEDULED'
SQL
ok($fired, 'pg_cron fires the schedule: a SCHEDULED run')
  or diag($node->safe_psql('syncmaster',
	'SELECT status, return_message FROM cron.job_run_details ORDER BY runid DESC LIMIT 3'));
$node->stop;
done_testing();
