# A hot standby (test/standby/): readers see on it what they see on the primary, with the same
# permissions; every write is refused with 25006.
use strict;
use warnings;
use lib 'test/perl';
use SyncmasterTest;
use Test::More;

my $root = root_dir();
my $primary = syncmaster_node('primary', streaming => 1);
$primary->safe_psql('postgres', 'CREATE DATABASE standby_data');
$primary->safe_psql('standby_data', 'CREATE EXTENSION pg_syncmaster CASCADE');
for my $file ('dump/fill.sql', 'standby/setup.sql')
{
	my ($status) = psql_file($primary, 'standby_data', "$root/test/$file", ON_ERROR_STOP => 1);
	is($status, 0, "test/$file on the primary");
}
$primary->backup('base');
my $standby = PostgreSQL::Test::Cluster->new('standby');
$standby->init_from_backup($primary, 'base', has_streaming => 1);
$standby->start;
$primary->wait_for_catchup($standby, 'replay');

my (undef, $on_primary) = psql_file($primary, 'standby_data', "$root/test/standby/reads.sql", merged => 1);
my (undef, $on_standby) = psql_file($standby, 'standby_data', "$root/test/standby/reads.sql", merged => 1);
is($on_standby, $on_primary, 'every role reads on the standby what it reads on the primary');
same_as_file($on_standby, "$root/test/standby/reads.out", 'and that is test/standby/reads.out');
my (undef, $writes) = psql_file($standby, 'standby_data', "$root/test/standby/writes.sql",
	merged => 1, flags => ['-a']);
same_as_file($writes, "$root/test/standby/writes.out", 'every write on the standby is refused');

$standby->stop;
$primary->stop;
done_testing();
