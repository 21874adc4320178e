# SyncMaster's own server as a client (test/compat/syncmaster_orm.py): the statements its ORM
# sends, as a syncmaster_service login through psycopg2, in a database of their own (the script
# makes SyncMaster's deployment tables there, which hand runs and schedules to SyncMaster).
use strict;
use warnings;
use lib 'test/perl';
use SyncmasterTest;
use Test::More;

my $root = root_dir();
my $node = syncmaster_node('compat');
$node->safe_psql('postgres', 'CREATE DATABASE compat');
$node->safe_psql('compat', 'CREATE EXTENSION pg_syncmaster CASCADE');
tap_program('syncmaster_orm.py', [ '/usr/bin/python3', "$root/test/compat/syncmaster_orm.py" ],
	PGHOST => $node->host, PGPORT => $node->port, PGUSER => superuser($node),
	COMPAT_DB => 'compat', SYNCMASTER_KEY => $node->{syncmaster_key});
$node->stop;
done_testing();
