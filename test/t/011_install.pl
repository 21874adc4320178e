# README's Install, followed as a newcomer would on a cluster of its own: the settings of step 2
# as written (the key made as step 3 makes it), the database and extensions of step 4, the SQL of
# step 5 as written, and the example worker of step 6 serving the queue by the slug step 5
# printed: within a couple of minutes pg_cron fires the transfer and the worker finishes the run.
use strict;
use warnings;
use lib 'test/perl';
use SyncmasterTest;
use Test::More;

my $root = root_dir();
my $readme = slurp("$root/README.md");

# The fenced block after a <!-- install:NAME --> marker.
sub block
{
	my ($name) = @_;
	$readme =~ /<!-- install:\Q$name\E -->\n```\w*\n(.*?)```/s
	  or BAIL_OUT("README.md has no install:$name block");
	return $1;
}

my $conf = block('conf');
my $key = fresh_key();
like($conf, qr/^syncmaster\.encryption_key = 'KEY'$/m, 'step 2 leaves the key to step 3');
$conf =~ s/'KEY'/'$key'/;
my $node = PostgreSQL::Test::Cluster->new('install');
$node->init;
$node->append_conf('postgresql.conf', $conf);
$node->start;
$node->safe_psql('postgres', 'CREATE DATABASE syncmaster');
$node->safe_psql('syncmaster', 'CREATE EXTENSION pg_cron; CREATE EXTENSION pg_syncmaster CASCADE');
pass('step 4: the database and both extensions');

my $sql = PostgreSQL::Test::Utils::tempdir() . '/install.sql';
PostgreSQL::Test::Utils::append_to_file($sql, block('sql'));
my ($status, $out, $err) = psql_file($node, 'syncmaster', $sql, ON_ERROR_STOP => 1, flags => [ '-A', '-t' ]);
is($status, 0, 'step 5 runs as written') or diag($err);
my ($slug) = $out =~ /^(\d+-first_queue)$/m;
ok($slug, "and prints the queue's slug" . ($slug ? ": $slug" : ''));

my $log = $node->basedir . '/worker.log';
my $worker;
{
	local @ENV{qw(PGHOST PGPORT PGUSER PGDATABASE)} = ($node->host, $node->port, 'worker', 'syncmaster');
	$worker = IPC::Run::start([ '/usr/bin/python3', "$root/demo/worker.py", '--queue', $slug // 'none',
		'--max-runs', '1' ], '>&', $log);
}
ok( $node->poll_query_until('syncmaster', q{
		SELECT count(*) > 0 FROM syncmaster.run WHERE type = 'SCHEDULED' AND status = 'FINISHED'}),
	'step 6: pg_cron fires the transfer, and the worker finishes its run')
  or diag(slurp($log), $node->safe_psql('syncmaster',
	'SELECT status, return_message FROM cron.job_run_details ORDER BY runid DESC LIMIT 3'));
$worker->finish;
is($node->safe_psql('syncmaster', q{SELECT worker FROM syncmaster.run WHERE status = 'FINISHED' LIMIT 1}),
	'worker', 'the run names its worker');
is($node->safe_psql('syncmaster', q{SELECT count(*) FROM syncmaster.schedule_health
	WHERE name = 'orders_to_dwh' AND job_active AND next_fire_at > now()}), '1',
	'schedule_health shows the job and its next fire time');

$node->stop;
done_testing();
