# PgBouncer in transaction pooling in front of the server, one server session per database and
# role, so that clients really share one (test/pooler/pooler.py): applications act only for the
# user they name in their own transaction, never as the system, and workers claim and finish
# runs through it.
use strict;
use warnings;
use lib 'test/perl';
use SyncmasterTest;
use Test::More;

my $root = root_dir();
my $node = syncmaster_node('pooled');
my $dir = PostgreSQL::Test::Utils::tempdir_short();
my $port = PostgreSQL::Test::Cluster::get_free_port();
PostgreSQL::Test::Utils::append_to_file("$dir/userlist.txt", qq{"pool_app" ""\n"pool_worker" ""\n});
PostgreSQL::Test::Utils::append_to_file("$dir/pgbouncer.ini", <<"INI");
[databases]
syncmaster = host=@{[ $node->host ]} port=@{[ $node->port ]} dbname=syncmaster
[pgbouncer]
unix_socket_dir = $dir
listen_addr =
listen_port = $port
auth_type = trust
auth_file = $dir/userlist.txt
pool_mode = transaction
default_pool_size = 1
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
INI
ok(system('pgbouncer', '-q', '-d', "$dir/pgbouncer.ini") == 0, 'PgBouncer starts')
  or diag(-e "$dir/pgbouncer.log" ? slurp("$dir/pgbouncer.log") : 'no log');
# Stopped however the test ends.
END { kill 'TERM', slurp("$dir/pgbouncer.pid") =~ s/\s+//gr if $dir && -e "$dir/pgbouncer.pid"; }

tap_program('pooler.py', [ '/usr/bin/python3', "$root/test/pooler/pooler.py" ],
	POOLER_HOST => $dir, POOLER_PORT => $port, POOLER_DIR => $dir, PGHOST => $node->host,
	PGPORT => $node->port, PGUSER => superuser($node), PGDATABASE => 'syncmaster',
	SYNCMASTER_ROOT => $root);

$node->stop;
done_testing();
