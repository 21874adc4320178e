# High availability with Patroni (./sandbox ha; not in the default suite: it waits for pg_cron's
# minutes). Three PostgreSQL 15 nodes run by Debian's Patroni, with one etcd, in synchronous mode,
# pg_cron and pg_syncmaster preloaded on each. Three workers start, claim and finish runs through
# a connection string naming every node; a transfer is scheduled every minute. Then, HA_FAILOVERS
# times (default 5), the primary is killed (its Patroni and its postmaster, SIGKILL), together with
# a worker that holds a run, and after the failover:
#   - no write a client saw acknowledged is lost (runs created, claims, finishes);
#   - no run was claimed twice;
#   - the run the dead worker held is failed by the reaper on the new primary once its lease ends;
#   - pg_cron fires on the new primary, and at most once a minute a transfer (never on a replica
#     as well);
#   - sync_schedules() finds nothing to repair.
# The killed node then rejoins as a replica (pg_rewind) before the next round.
use strict;
use warnings;
use lib 'test/perl';
use SyncmasterTest;
use HTTP::Tiny;
use Time::HiRes qw(sleep time);
use Test::More;

# A signal ends the test through its END blocks, which stop what it started.
$SIG{TERM} = $SIG{INT} = sub { exit 1 };
my $root = root_dir();
my $failovers = $ENV{HA_FAILOVERS} // 5;
my $base = PostgreSQL::Test::Utils::tempdir_short();
my $http = HTTP::Tiny->new(timeout => 2);
my @port = map { PostgreSQL::Test::Cluster::get_free_port() } 1 .. 3;
my @rest = map { PostgreSQL::Test::Cluster::get_free_port() } 1 .. 3;
my ($etcd_client, $etcd_peer) = map { PostgreSQL::Test::Cluster::get_free_port() } 1 .. 2;
my $key = fresh_key();
my $hosts = join(',', ('127.0.0.1') x 3);
my $dsn = "host=$hosts port=" . join(',', @port)
  . ' dbname=syncmaster target_session_attrs=read-write connect_timeout=2';

my $etcd = IPC::Run::start(
	[ 'etcd', '--name', 'ha', '--data-dir', "$base/etcd", '--enable-v2=true',
	  '--listen-client-urls', "http://127.0.0.1:$etcd_client",
	  '--advertise-client-urls', "http://127.0.0.1:$etcd_client",
	  '--listen-peer-urls', "http://127.0.0.1:$etcd_peer",
	  '--initial-advertise-peer-urls', "http://127.0.0.1:$etcd_peer",
	  '--initial-cluster', "ha=http://127.0.0.1:$etcd_peer" ],
	'>&', "$base/etcd.log");

# What Patroni passes to each PostgreSQL: README's Install settings, the replication that
# failover needs (wal_log_hints for pg_rewind), and synchronous commits.
sub config
{
	my ($i) = @_;
	return <<"YAML";
scope: syncmaster-ha
name: node$i
restapi:
  listen: 127.0.0.1:$rest[$i]
  connect_address: 127.0.0.1:$rest[$i]
etcd:
  host: 127.0.0.1:$etcd_client
bootstrap:
  dcs:
    ttl: 10
    loop_wait: 1
    retry_timeout: 5
    maximum_lag_on_failover: 1048576
    synchronous_mode: true
    postgresql:
      use_pg_rewind: true
      parameters:
        shared_preload_libraries: pg_cron,pg_syncmaster
        cron.database_name: syncmaster
        cron.use_background_workers: 'on'
        max_worker_processes: 16
        syncmaster.encryption_key: '$key'
        wal_log_hints: 'on'
        synchronous_commit: 'on'
        fsync: 'off'
  initdb:
  - encoding: UTF8
  - locale: C.UTF-8
postgresql:
  listen: 127.0.0.1:$port[$i]
  connect_address: 127.0.0.1:$port[$i]
  data_dir: $base/node$i/data
  bin_dir: /usr/lib/postgresql/15/bin
  pgpass: $base/node$i/pgpass
  authentication:
    superuser:
      username: postgres
      password: postgres
    replication:
      username: replicator
      password: replicator
  parameters:
    unix_socket_directories: '$base/node$i'
  pg_hba:
  - local all all trust
  - host all all 127.0.0.1/32 trust
  - host replication all 127.0.0.1/32 trust
YAML
}

my (@patroni, @workers);
# However the test ends, nothing it started outlives it.
END
{
	local $?;    # the test's own exit status stands
	$_->kill_kill for @workers;
	for my $i (0 .. 2)
	{
		$patroni[$i]->kill_kill if $patroni[$i];
		system('pg_ctl', '-D', "$base/node$i/data", '-m', 'immediate', 'stop')
		  if -e "$base/node$i/data/postmaster.pid";
	}
	$etcd->kill_kill if $etcd;
}

sub start_node
{
	my ($i) = @_;
	mkdir "$base/node$i";
	PostgreSQL::Test::Utils::append_to_file("$base/node$i.yml", config($i)) unless -e "$base/node$i.yml";
	$patroni[$i] = IPC::Run::start([ 'patroni', "$base/node$i.yml" ], '>>', "$base/node$i.log", '2>&1');
}

sub role_of
{
	my ($i) = @_;
	my $r = $http->get("http://127.0.0.1:$rest[$i]/patroni");
	return 'down' unless $r->{success} || $r->{status} == 503;
	return $r->{content} =~ /"role": "(\w+)"/ ? $1 : 'unknown';
}

sub wait_for
{
	my ($what, $timeout, $check) = @_;
	my $until = time + $timeout;
	while (time < $until)
	{
		my $got = $check->();
		return $got if $got;
		sleep 0.5;
	}
	diag("waited $timeout s for $what");
	return undef;
}

# The node that is primary, once exactly one is and another node is its synchronous standby.
sub primary
{
	return wait_for('a primary with a synchronous standby', 120, sub {
		my @primaries = grep { $http->get("http://127.0.0.1:$rest[$_]/primary")->{success} } 0 .. 2;
		my @sync = grep { $http->get("http://127.0.0.1:$rest[$_]/sync")->{success} } 0 .. 2;
		return @primaries == 1 && @sync >= 1 ? $primaries[0] + 1 : 0;
	});
}

sub psql
{
	my ($sql, $node) = @_;
	my $conn = defined $node ? "host=127.0.0.1 port=$port[$node] dbname=syncmaster" : $dsn;
	my ($out, $err) = ('', '');
	IPC::Run::run([ 'psql', '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-U', 'postgres', '-d', $conn ],
		'<', \$sql, '>', \$out, '2>', \$err);
	chomp $out;
	diag($err) if $err ne '';
	return $out;
}

start_node($_) for 0 .. 2;
my $leader = primary();
ok($leader, 'Patroni elects a primary and a synchronous standby') or BAIL_OUT('no primary');
$leader--;
IPC::Run::run([ 'psql', '-X', '-q', '-d', "host=127.0.0.1 port=$port[$leader] dbname=postgres user=postgres",
	'-c', 'CREATE DATABASE syncmaster' ]);
my ($slug, $doomed_slug, $transfer, $doomed_transfer) = split /\|/, psql(<<'SQL');
CREATE EXTENSION pg_cron;
CREATE EXTENSION pg_syncmaster CASCADE;
CREATE ROLE worker LOGIN IN ROLE syncmaster_service;
CREATE ROLE doomed LOGIN IN ROLE syncmaster_service;
ALTER ROLE doomed SET syncmaster.run_lease = 10;
SELECT syncmaster.create_user('ha_owner') AS owner \gset
SELECT syncmaster.create_group('ha_team', owner_id => :owner) AS team \gset
SELECT syncmaster.create_connection(:team, 'ha_pg', 'postgres', '{"host": "h", "database_name": "d"}',
         '{"type": "basic", "user": "u", "password": "p"}') AS pg \gset
SELECT syncmaster.create_queue(:team, 'ha queue') AS queue \gset
SELECT syncmaster.create_queue(:team, 'ha doomed') AS doomed \gset
SELECT syncmaster.create_queue(:team, 'ha scheduled') AS scheduled \gset
SELECT syncmaster.create_transfer(:team, 'ha_load', :pg, :pg, :queue,
         '{"type": "postgres", "table_name": "a.b"}', '{"type": "postgres", "table_name": "a.c"}') AS t \gset
SELECT syncmaster.create_transfer(:team, 'ha_doomed', :pg, :pg, :doomed,
         '{"type": "postgres", "table_name": "a.b"}', '{"type": "postgres", "table_name": "a.c"}') AS d \gset
SELECT syncmaster.create_transfer(:team, 'ha_every_minute', :pg, :pg, :scheduled,
         '{"type": "postgres", "table_name": "a.b"}', '{"type": "postgres", "table_name": "a.d"}',
         is_scheduled => true, schedule => '* * * * *') AS every \gset
SELECT q.slug, d.slug, :t, :d FROM syncmaster.queue q, syncmaster.queue d WHERE q.id = :queue AND d.id = :doomed;
SQL
ok($slug && $doomed_transfer, "the extension, a worker role and the transfers on the primary (queue $slug)");

my $stop = "$base/stop";
@workers = map {
	my $name = "ha-worker-$_";
	IPC::Run::start([ '/usr/bin/python3', "$root/test/ha/load.py", '--dsn', "$dsn user=worker",
		'--transfer', $transfer, '--queue', $slug, '--name', $name, '--log', "$base/$name.ack",
		'--stop', $stop ], '>&', "$base/$name.log");
} 1 .. 3;

# Every acknowledged step of every worker so far.
sub acks
{
	my %acks = (created => {}, claimed => {}, finished => {});
	my $twice = 0;
	for my $file (glob("$base/*.ack"))
	{
		for (split /\n/, slurp($file))
		{
			my ($step, $id) = split / /;
			$twice++ if $step eq 'claimed' && $acks{claimed}{$id};
			$acks{$step}{$id} = 1;
		}
	}
	return (\%acks, $twice);
}

for my $round (1 .. $failovers)
{
	$leader = primary();
	ok($leader, "round $round: a primary with a synchronous standby") or last;
	$leader--;
	# Load under way: acknowledged finishes keep coming.
	my ($before) = acks();
	my $count = keys %{ $before->{finished} };
	ok(wait_for('new finishes', 60, sub { keys %{ (acks())[0]{finished} } > $count + 10 }),
		"round $round: the workers finish runs");
	# A worker that takes a run and dies with the primary: its claim is acknowledged, then silence.
	my $held = psql("SELECT syncmaster.start_run($doomed_transfer)");
	my $claimed = '';
	IPC::Run::run([ 'psql', '-X', '-A', '-t', '-d', "$dsn user=doomed", '-c',
		"SELECT id FROM syncmaster.claim_run('$doomed_slug', 'ha-doomed')" ], '>', \$claimed);
	chomp $claimed;
	is($claimed, $held, "round $round: a doomed worker holds run $held");

	# The primary dies: its Patroni first (no demotion, no goodbye), then its postmaster.
	my $killed_at = psql('SELECT now()');
	my $pid = (split /\n/, slurp("$base/node$leader/data/postmaster.pid"))[0];
	$patroni[$leader]->signal('KILL');
	kill 'KILL', $pid;
	$patroni[$leader]->finish;
	my $new = wait_for('a new primary', 90, sub {
		my @p = grep { $_ != $leader && $http->get("http://127.0.0.1:$rest[$_]/primary")->{success} } 0 .. 2;
		return @p == 1 ? $p[0] + 1 : 0;
	});
	ok($new, "round $round: node$leader killed, a replica takes over") or last;
	$new--;

	# The workers reconnect to it and go on.
	my ($at_failover) = acks();
	$count = keys %{ $at_failover->{finished} };
	ok(wait_for('finishes on the new primary', 60, sub { keys %{ (acks())[0]{finished} } > $count + 10 }),
		"round $round: the workers go on with node$new");

	# Nothing acknowledged is lost, nothing claimed twice.
	my ($acks, $twice) = acks();
	my $ids = join(',', keys %{ $acks->{created} }) || '0';
	my $finished = join(',', keys %{ $acks->{finished} }) || '0';
	is(psql("SELECT count(*) FROM syncmaster.run WHERE id IN ($ids)"), scalar(keys %{ $acks->{created} }),
		"round $round: every acknowledged run is there (" . scalar(keys %{ $acks->{created} }) . ')');
	is(psql("SELECT count(*) FROM syncmaster.run WHERE id IN ($finished) AND status = 'FINISHED'"),
		scalar(keys %{ $acks->{finished} }), "round $round: every acknowledged finish is there");
	is($twice, 0, "round $round: no run was claimed twice");

	# The dead worker's run: failed by the reaper of the new primary once its lease is over;
	# pg_cron fires there, once a minute a transfer.
	ok(wait_for('the reaper', 100, sub {
			psql("SELECT status = 'FAILED' AND failure_reason IS NOT NULL FROM syncmaster.run WHERE id = $held") eq 't' }),
		"round $round: the reaper on node$new fails the run the dead worker held");
	ok(wait_for('a scheduled run', 100, sub {
			psql(qq{SELECT count(*) > 0 FROM syncmaster.run r JOIN syncmaster.transfer t ON t.id = r.transfer_id
			        WHERE t.name = 'ha_every_minute' AND r.type = 'SCHEDULED' AND r.created_at > '$killed_at'}) eq 't' }),
		"round $round: pg_cron fires the schedule on node$new");
	is(psql(q{SELECT count(*) FROM (SELECT date_trunc('minute', created_at) FROM syncmaster.run
	          WHERE type = 'SCHEDULED' GROUP BY transfer_id, 1 HAVING count(*) > 1) x}), '0',
		"round $round: never twice in a minute (no replica fires)");
	is(psql('SELECT count(*) FROM syncmaster.sync_schedules()'), '0', "round $round: sync_schedules() finds nothing to repair");

	# The old primary comes back as a replica of the new one.
	start_node($leader);
	ok(wait_for('the old primary to rejoin', 120, sub { role_of($leader) eq 'replica' }),
		"round $round: node$leader rejoins as a replica");
}

PostgreSQL::Test::Utils::append_to_file($stop, '');
$_->finish for @workers;
done_testing();
