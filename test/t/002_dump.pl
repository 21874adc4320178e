# pg_dump keeps everything: a database filled through the API, dumped and restored into another,
# reads the same row for row, sequences included, and its credentials still open.
use strict;
use warnings;
use lib 'test/perl';
use SyncmasterTest;
use Test::More;

my $root = root_dir();
my $node = syncmaster_node('dump');
$node->safe_psql('postgres', 'CREATE DATABASE dump_source; CREATE DATABASE dump_target');
$node->safe_psql('dump_source', 'CREATE EXTENSION pg_syncmaster CASCADE');
my ($status) = psql_file($node, 'dump_source', "$root/test/dump/fill.sql", ON_ERROR_STOP => 1);
is($status, 0, 'test/dump/fill.sql fills the source database');

my $dump = PostgreSQL::Test::Utils::tempdir() . '/dump.sql';
$node->command_ok([ 'pg_dump', '-f', $dump, '-d', 'dump_source' ], 'pg_dump');
($status, undef, my $err) = psql_file($node, 'dump_target', $dump, ON_ERROR_STOP => 1);
is("$status $err", '0 ', 'the plain dump restores with psql, without an error');

my (undef, $before) = psql_file($node, 'dump_source', "$root/test/dump/fingerprint.sql");
my (undef, $after) = psql_file($node, 'dump_target', "$root/test/dump/fingerprint.sql");
is($after, $before, 'every row, sequence and kept total is the same after the round trip');
like($after, qr/^credentials\|.*"password": "dump-secret"/m, 'the credentials still open');

$node->stop;
done_testing();
