# A backup with schedules (test/dump/schedules.sql), restored two ways: into the pg_cron database
# of a second cluster, under another name (the jobs follow, once each, pointing at it), and into
# a fresh database of the first cluster, which cannot hold pg_cron (the rows follow, the jobs stay
# where they are, once each).
use strict;
use warnings;
use lib 'test/perl';
use SyncmasterTest;
use Test::More;

my $root = root_dir();
my $fingerprint = "$root/test/dump/fingerprint.sql";
my $node = syncmaster_node('source');
for my $file ('fill.sql', 'schedules.sql')
{
	my ($status) = psql_file($node, 'syncmaster', "$root/test/dump/$file", ON_ERROR_STOP => 1);
	is($status, 0, "test/dump/$file");
}
my $dump = PostgreSQL::Test::Utils::tempdir() . '/schedules.dump';
$node->command_ok([ 'pg_dump', '-Fc', '-d', 'syncmaster', '-f', $dump ], 'pg_dump -Fc');
my (undef, $before) = psql_file($node, 'syncmaster', $fingerprint, no_credentials => 1);
my $jobs_before = $node->safe_psql('syncmaster', 'SELECT count(*) FROM cron.job');

# A second cluster with the same key, pg_cron's database named "restored", empty; the roles first.
my $second = syncmaster_node('restored', database => 'restored', key => $node->{syncmaster_key},
	empty => 1);
my ($roles, $stderr) = ('', '');
IPC::Run::run([ 'pg_dumpall', '--roles-only', '-d', $node->connstr('postgres') ], '>', \$roles);
# (The superuser and the extension's roles exist there already: psql's errors for them are expected.)
IPC::Run::run([ 'psql', '-X', '-q', '-d', $second->connstr('postgres') ], '<', \$roles,
	'>', \my $ignored, '2>', \my $existing);
IPC::Run::run([ 'pg_restore', '-d', $second->connstr('restored'), $dump ], '>', \$ignored, '2>', \$stderr);
is($stderr, '', 'pg_restore into the second cluster\'s pg_cron database, without an error');
my (undef, $after) = psql_file($second, 'restored', $fingerprint, no_credentials => 1);
is($after, $before, 'into another cluster\'s pg_cron database: the same rows');
my (undef, $check) = psql_file($second, 'restored', "$root/test/dump/restored.sql",
	flags => [ '-t', '-A' ], merged => 1);
same_as_file($check, "$root/test/dump/restored.out",
	'and the jobs follow, once each, pointing at the restored database');
$second->stop;

# A fresh database of the first cluster: no pg_cron there (one database per cluster has it), so
# the rows are loaded with the triggers disabled, as they were checked when written.
$node->safe_psql('postgres', 'CREATE DATABASE restored_copy');
my @errors;
for my $step ([ '--section=pre-data' ], [ '--section=data', '--disable-triggers' ], [ '--section=post-data' ])
{
	my ($stdout, $stderr) = ('', '');
	IPC::Run::run([ 'pg_restore', '-d', $node->connstr('restored_copy'), @$step, $dump ],
		'>', \$stdout, '2>', \$stderr);
	push @errors, grep { /^pg_restore: error/ && !/pg_cron|cron\.|schema "cron"|can only create extension in database/ }
	  split /\n/, $stderr;
}
is(join("\n", @errors), '', 'into a database without pg_cron: no error but pg_cron\'s own');
$node->safe_psql('restored_copy', 'SELECT syncmaster.recount_totals()');
(undef, $after) = psql_file($node, 'restored_copy', $fingerprint, no_credentials => 1);
is($after, $before, 'the same rows');
(undef, $check) = psql_file($node, 'restored_copy', "$root/test/dump/restored_copy.sql",
	flags => [ '-t', '-A' ], merged => 1);
same_as_file($check, "$root/test/dump/restored_copy.out", 'the copy schedules nothing');
is($node->safe_psql('syncmaster', 'SELECT count(*) FROM cron.job'), $jobs_before,
	'and the original\'s jobs are still there, once each');

$node->stop;
done_testing();
