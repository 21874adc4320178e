# What the cluster suites of test/t/ share: a node configured as README's Install configures a
# server (PostgreSQL::Test::Cluster underneath), and ways to fold the TAP of pgTAP files and of
# other programs into the test's own. Run with `make prove_installcheck` against the installed build.
package SyncmasterTest;

use strict;
use warnings;

use Exporter 'import';
use File::Basename qw(basename dirname);
use File::Spec;
use IPC::Run;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

our @EXPORT = qw(syncmaster_node fresh_key root_dir slurp same_as_file
  fold_tap tap_program superuser pgtap_file psql_file releases transfer_fixture);

# The source tree (test/perl/..).
sub root_dir { return File::Spec->rel2abs(dirname(__FILE__) . '/../..'); }

sub slurp { my ($path) = @_; return PostgreSQL::Test::Utils::slurp_file($path); }

# A url-safe base64 key of 32 random bytes, as README's Install makes one.
sub fresh_key
{
	open my $random, '<:raw', '/dev/urandom' or die "no /dev/urandom: $!";
	read($random, my $bytes, 32) == 32 or die 'short read of /dev/urandom';
	close $random;
	require MIME::Base64;
	(my $key = MIME::Base64::encode_base64($bytes, '')) =~ tr{+/}{-_};
	return $key;
}

# The lines README's Install adds to postgresql.conf: both libraries preloaded (only then is the
# key hidden from every session's first statement), pg_cron's database, pg_cron's jobs in
# background workers (the test clusters listen on a unix socket only), the key.
sub syncmaster_conf
{
	my ($database, $key) = @_;
	return join("\n",
		"shared_preload_libraries = 'pg_cron,pg_syncmaster'",
		"cron.database_name = '$database'",
		'cron.use_background_workers = on',
		'max_worker_processes = 16',
		"syncmaster.encryption_key = '$key'",
		'log_statement = none');
}

# A started node with pg_syncmaster configured, its pg_cron database created with pg_cron and
# pg_syncmaster in it. Options: database (default syncmaster), key (default a fresh one),
# conf (more postgresql.conf lines), streaming (allows_streaming), empty (the database without
# extensions), bare (no pg_syncmaster at all: neither preloaded nor a database created).
sub syncmaster_node
{
	my ($name, %opt) = @_;
	my $database = $opt{database} // 'syncmaster';
	my $node = PostgreSQL::Test::Cluster->new($name);
	$node->init(allows_streaming => $opt{streaming} ? 1 : 0);
	$node->append_conf('postgresql.conf', 'max_connections = 40') if $opt{streaming};
	$node->{syncmaster_key} = $opt{key} // fresh_key();
	$node->append_conf('postgresql.conf', syncmaster_conf($database, $node->{syncmaster_key}))
	  unless $opt{bare};
	$node->append_conf('postgresql.conf', $opt{conf}) if $opt{conf};
	$node->start;
	return $node if $opt{bare};
	$node->safe_psql('postgres', "CREATE DATABASE $database");
	return $node if $opt{empty};
	$node->safe_psql($database,
		'CREATE EXTENSION pg_cron; CREATE EXTENSION pg_syncmaster CASCADE');
	return $node;
}

# psql -f FILE in DB on NODE, run from the file's folder (for its \i and \copy), with variables
# (and psql's flags as flags => [...]); returns (exit status, stdout, stderr), or with
# merged => 1, stdout and stderr in one as psql shows them.
sub psql_file
{
	my ($node, $db, $file, %var) = @_;
	my @flags = @{ delete $var{flags} // [] };
	my $merged = delete $var{merged};
	my @cmd = ('psql', '-X', '-q', @flags, '-d', $node->connstr($db), '-f', basename($file),
		map { ('-v', "$_=$var{$_}") } sort keys %var);
	my ($out, $err) = ('', '');
	my $cwd = File::Spec->rel2abs('.');
	chdir dirname($file);
	my $ok =
	  $merged
	  ? IPC::Run::run(\@cmd, '>&', \$out)
	  : IPC::Run::run(\@cmd, '>', \$out, '2>', \$err);
	chdir $cwd;
	chomp $out;
	chomp $err;
	return ($ok ? 0 : 1, $out, $err);
}

# Each "ok N - ..." / "not ok N - ..." line of OUTPUT becomes a test of this file (named after
# PREFIX), diagnostics are passed on, and the plan the program printed must have been run out.
sub fold_tap
{
	my ($prefix, $output) = @_;
	my ($planned, $seen) = (undef, 0);
	for my $line (split /\n/, $output)
	{
		if ($line =~ /^(not )?ok \d+(?: - )?(.*)$/)
		{
			$seen++;
			ok(!defined $1, "$prefix: $2");
		}
		elsif ($line =~ /^1\.\.(\d+)/) { $planned = $1; }
		elsif ($line =~ /^\s*# ?(.*)$/) { diag($1) if $1 !~ /^(?:Subtest|Looks like)/; }
	}
	ok(defined $planned && $planned == $seen,
		"$prefix: ran its whole plan (" . ($planned // 'none') . " planned, $seen run)");
	return;
}

# PROGRAM (an argument list) run with ENV added to the environment; its TAP folded in under NAME.
sub tap_program
{
	my ($name, $program, %env) = @_;
	local @ENV{ keys %env } = values %env;
	my $out = '';
	IPC::Run::run($program, '>&', \$out);
	fold_tap($name, $out);
	return $out;
}

# A user PREFIX_owner owning a group PREFIX_team with a postgres connection PREFIX_pg, a queue
# "PREFIX queue" and a transfer PREFIX_transfer on it (more create_transfer arguments in MORE,
# e.g. a schedule), made through the API in DB; returns the queue's slug.
sub transfer_fixture
{
	my ($node, $db, $prefix, $more) = @_;
	$more = $more ? ", $more" : '';
	return $node->safe_psql($db, <<"SQL");
SELECT syncmaster.create_user('${prefix}_owner') AS owner \\gset
SELECT syncmaster.create_group('${prefix}_team', owner_id => :owner) AS team \\gset
SELECT syncmaster.create_connection(:team, '${prefix}_pg', 'postgres', '{"host": "h", "database_name": "d"}',
         '{"type": "basic", "user": "u", "password": "p"}') AS pg \\gset
SELECT syncmaster.create_queue(:team, '${prefix} queue') AS queue \\gset
SELECT syncmaster.create_transfer(:team, '${prefix}_transfer', :pg, :pg, :queue,
         '{"type": "postgres", "table_name": "a.b"}', '{"type": "postgres", "table_name": "a.c"}'$more) AS t \\gset
SELECT slug FROM syncmaster.queue WHERE id = :queue;
SQL
}

# The superuser NODE's clients connect as (the OS user that ran initdb).
sub superuser { my ($node) = @_; return $node->safe_psql('postgres', 'SELECT current_user'); }

# A pgTAP file run by psql in DB on NODE, its assertions folded in.
sub pgtap_file
{
	my ($node, $db, $file) = @_;
	my ($status, $out, $err) = psql_file($node, $db, $file, ON_ERROR_STOP => 1,
		flags => [ '-A', '-t', '-P', 'pager=off' ]);
	diag($err) if $err ne '';
	fold_tap((split m{/}, $file)[-1], $out);
	return;
}

# GOT equals the expected output kept in FILE.
sub same_as_file
{
	my ($got, $file, $name) = @_;
	my $expected = slurp($file);
	chomp $expected;
	is($got, $expected, $name);
	return;
}

# The released versions, oldest first: every version an update script starts from.
sub releases
{
	my %seen;
	for my $script (glob(root_dir() . '/src/sql/updates/pg_syncmaster--*--*.sql'))
	{
		$seen{$1} = 1 if $script =~ /pg_syncmaster--([^-]+)--/;
	}
	return sort { version_cmp($a, $b) } keys %seen;
}

sub version_cmp
{
	my @a = split /\./, $_[0];
	my @b = split /\./, $_[1];
	return ($a[0] <=> $b[0]) || ($a[1] <=> $b[1]) || ($a[2] <=> $b[2]);
}

1;
