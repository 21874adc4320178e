# The Python worker (demo/worker.py): it hears of a new run by NOTIFY, claims it, reads the
# credentials, renews its lease and finishes it; a second run is stopped while it runs, and the
# worker acknowledges with STOPPED.
use strict;
use warnings;
use lib 'test/perl';
use SyncmasterTest;
use Test::More;

my $root = root_dir();
my $node = syncmaster_node('worker');
$node->safe_psql('syncmaster', 'CREATE ROLE wtest_worker LOGIN IN ROLE syncmaster_service');
my $slug = transfer_fixture($node, 'syncmaster', 'wtest');

my $log = $node->basedir . '/worker.log';
my $worker;
{
	local @ENV{qw(PGHOST PGPORT PGUSER PGDATABASE)} = ($node->host, $node->port, 'wtest_worker', 'syncmaster');
	$worker = IPC::Run::start(
		[ '/usr/bin/python3', "$root/demo/worker.py", '--queue', $slug, '--name', 'wtest',
		  '--work', '3', '--heartbeat', '0.3', '--max-runs', '2' ],
		'>&', $log);
}
# Until its LISTEN is done (no fixed sleep: a slow machine only takes longer).
for (1 .. 600) { last if -e $log && slurp($log) =~ /serving queue/; select(undef, undef, undef, 0.1); }

my $start = q{SELECT syncmaster.start_run(id) FROM syncmaster.transfer WHERE name = 'wtest_transfer'};
my $run1 = $node->safe_psql('syncmaster', $start);
ok($node->poll_query_until('syncmaster', "SELECT status = 'FINISHED' FROM syncmaster.run WHERE id = $run1"),
	'the worker claims a new run, works, and finishes it');
my $run2 = $node->safe_psql('syncmaster', $start);
ok($node->poll_query_until('syncmaster', "SELECT status = 'STARTED' FROM syncmaster.run WHERE id = $run2"),
	'and claims the next one');
$node->safe_psql('syncmaster', "SELECT syncmaster.stop_run($run2)");
ok($node->poll_query_until('syncmaster', "SELECT status = 'STOPPED' FROM syncmaster.run WHERE id = $run2"),
	'stopped while it runs, the worker acknowledges with STOPPED');
$worker->finish;
my $said = slurp($log);
note($said);
# Only pg_syncmaster sends an empty payload: that line is a new run's notification arriving.
like($said, qr/woken by NOTIFY$/m, 'a NOTIFY woke the worker');
like($said, qr/run $run2: asked to stop/, 'the worker heard the stop');
cmp_ok($node->safe_psql('syncmaster',
		q{SELECT count(*) FROM syncmaster.credential_access WHERE session_role = 'wtest_worker'}),
	'>=', 2, 'each credentials read by the worker is audited');

$node->stop;
done_testing();
