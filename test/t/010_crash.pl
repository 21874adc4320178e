# Crashes (test/crash/crash.sh): backends killed in the middle of API functions, then
# CRASH_CYCLES (default 20) immediate shutdowns during bursts of API writes, each once every
# client has an acknowledged write. The three backends it kills are the only ones the server log
# may show terminated.
use strict;
use warnings;
use lib 'test/perl';
use SyncmasterTest;
use Test::More;

my $root = root_dir();
# A commit acknowledged is a commit on disk; fsync stays off, as no test crashes the operating
# system. The postmaster restarts after a backend's crash, as a production server does.
my $node = syncmaster_node('crash', database => 'crash',
	conf => "synchronous_commit = on\nrestart_after_crash = on");
tap_program('crash.sh', [ 'bash', "$root/test/crash/crash.sh" ],
	CRASH_DATA => $node->data_dir, CRASH_LOG => $node->logfile,
	CRASH_CYCLES => $ENV{CRASH_CYCLES} // 20, PGHOST => $node->host, PGPORT => $node->port,
	PGUSER => superuser($node), PGDATABASE => 'crash');
my @killed = grep { /terminated by signal|PANIC/ } split /\n/, slurp($node->logfile);
is(scalar(@killed), 3, 'the three backends killed on purpose, nothing else: no other signal, no PANIC')
  or diag(join("\n", @killed));
is(scalar(grep { /terminated by signal 9: Killed/ } @killed), 3, 'each by SIGKILL');
$node->stop;
done_testing();
