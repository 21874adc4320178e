# Releases and updates: the version written once; every release brought up to the newest version
# by ALTER EXTENSION UPDATE equals a fresh install object by object (test/upgrade/objects.sql);
# the oldest release's rows survive the update unchanged and keep working (behaviour.sql).
use strict;
use warnings;
use lib 'test/perl';
use SyncmasterTest;
use Test::More;

my $root = root_dir();
my ($version) = slurp("$root/pg_syncmaster.control") =~ /^default_version = '(.*)'$/m;
my $meta = slurp("$root/META.json");
my ($meta_version) = $meta =~ /^   "version": "(.*)",$/m;
my ($provides) = $meta =~ /^         "version": "(.*)",$/m;
is("$meta_version $provides", "$version $version",
	'META.json names the control file\'s version, for the distribution and what it provides');

my $node = syncmaster_node('upgrade');
my $objects = "$root/test/upgrade/objects.sql";
$node->safe_psql('postgres', 'CREATE DATABASE upgrade_fresh');
$node->safe_psql('upgrade_fresh', 'CREATE EXTENSION pg_syncmaster CASCADE');
my (undef, $fresh) = psql_file($node, 'upgrade_fresh', $objects);
ok($fresh =~ /^extension\|version=\Q$version\E\|/m, "a fresh install is version $version");

my @releases = releases();
ok(@releases > 0, 'there are releases to update from: ' . join(', ', @releases));
for my $release (@releases)
{
	(my $db = "upgrade_from_$release") =~ tr/./_/;
	$node->safe_psql('postgres', "CREATE DATABASE $db");
	$node->safe_psql($db,
		"CREATE EXTENSION pg_syncmaster VERSION '$release' CASCADE; ALTER EXTENSION pg_syncmaster UPDATE");
	my (undef, $updated) = psql_file($node, $db, $objects);
	is($updated, $fresh, "$release updated to $version equals a fresh install, object by object");
}

# The oldest release, populated, then updated: the same rows, still at work.
my $fingerprint = "$root/test/dump/fingerprint.sql";
$node->safe_psql('postgres', 'CREATE DATABASE upgrade_data');
$node->safe_psql('upgrade_data',
	"CREATE EXTENSION pgtap; CREATE EXTENSION pg_syncmaster VERSION '$releases[0]' CASCADE");
my ($status) = psql_file($node, 'upgrade_data', "$root/test/dump/fill.sql", ON_ERROR_STOP => 1);
is($status, 0, "test/dump/fill.sql fills release $releases[0]");
my (undef, $before) = psql_file($node, 'upgrade_data', $fingerprint, no_credentials => 1);
$node->safe_psql('upgrade_data', 'ALTER EXTENSION pg_syncmaster UPDATE');
my (undef, $after) = psql_file($node, 'upgrade_data', $fingerprint, no_credentials => 1);
is($after, $before, "the rows of $releases[0] survive the update unchanged");
pgtap_file($node, 'upgrade_data', "$root/test/upgrade/behaviour.sql");

$node->stop;
done_testing();
