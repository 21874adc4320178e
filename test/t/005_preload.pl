# A cluster that does not preload pg_syncmaster (test/preload/): the library loads on first use
# while no key is configured, and refuses to load, with the remedy, once one is.
use strict;
use warnings;
use lib 'test/perl';
use SyncmasterTest;
use Test::More;

my $root = root_dir();
my $node = syncmaster_node('unpreloaded', bare => 1);
my (undef, $out) = psql_file($node, 'postgres', "$root/test/preload/not_preloaded.sql",
	merged => 1, flags => ['-a']);
same_as_file($out, "$root/test/preload/not_preloaded.out",
	'loaded on first use without a key; refused, with the remedy, with one');
$node->stop;
done_testing();
