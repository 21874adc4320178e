# tools/sqlobjects, on a copy of the tree's SQL: the update scripts as assembled from the parts,
# `check` naming an object changed with no update step, `freeze` keeping a released update as it
# shipped while the parts move on.
use strict;
use warnings;
use lib 'test/perl';
use SyncmasterTest;
use File::Copy qw(copy);
use File::Path qw(make_path);
use Test::More;

my $root = root_dir();
my $tree = PostgreSQL::Test::Utils::tempdir();
# The parts of the install script, in order, as the Makefile names them.
my @parts = split ' ', `make -s -C '$root' sql-parts`;
die 'make sql-parts named no part' unless @parts;
for my $file (@parts, glob("$root/src/sql/releases/*.sql"), glob("$root/src/sql/updates/*.sql"))
{
	(my $relative = $file) =~ s{^\Q$root\E/}{};
	make_path("$tree/" . ($relative =~ s{/[^/]+$}{}r));
	copy("$root/$relative", "$tree/$relative") or die "copy $relative: $!";
}
my ($version) = slurp("$root/pg_syncmaster.control") =~ /^default_version = '(.*)'$/m;
my ($base) = map { s{^\Q$root\E/}{}r } glob("$root/src/sql/releases/*.sql");
my ($update) = map { s{^\Q$root\E/}{}r } glob("$root/src/sql/updates/*--$version.sql");

sub tool
{
	my (@args) = @_;
	my ($out, $err) = ('', '');
	my $ok = IPC::Run::run([ 'perl', "$root/tools/sqlobjects", @args ], '>', \$out, '2>', \$err,
		init => sub { chdir $tree or die "chdir: $!" });
	return ($ok, $out, $err);
}

my ($ok, $out, $err) = tool('--version', $version, 'check', $base, 'src/sql/updates', @parts);
ok($ok, "check: every object changed since the last release has its step in the update to $version")
  or diag($err);
my ($assembled) = (tool('--version', $version, 'assemble', $update, @parts))[1];
(my $built = $update) =~ s{.*/}{};
is($assembled, slurp("$root/$built"), "the $built that make built is what assemble makes");
unlike($assembled, qr/^--\@/m, 'no directive is left in an assembled update');

# A definition changed in a part, with no step for it: check names it.
my $part = "$tree/src/sql/schema.sql";
my $text = slurp($part);
$text =~ s/(COMMENT ON FUNCTION syncmaster\.whoami\(\) IS\s*')/$1Changed: /s or die 'no whoami comment';
open my $fh, '>', $part or die;
print $fh $text;
close $fh;
($ok, undef, $err) = tool('--version', $version, 'check', $base, 'src/sql/updates', @parts);
ok(!$ok, 'check fails when a changed object has no update step');
like($err, qr{^  comment/function/syncmaster\.whoami \(src/sql/schema\.sql:\d+\) changed since }m,
	'and names the object and where it is defined');
open $fh, '>>', "$tree/$update" or die;
print $fh "--\@define comment/function/syncmaster.whoami\n";
close $fh;
($ok, undef, $err) = tool('--version', $version, 'check', $base, 'src/sql/updates', @parts);
ok($ok, 'a --@define line is its step') or diag($err);

# Freeze the version; then the parts move on and the released update stays as it shipped.
($ok, $out, $err) = tool('--version', $version, 'freeze', 'src/sql/updates', @parts);
ok($ok && -e "$tree/src/sql/objects/comment/function/syncmaster.whoami/$version.sql",
	'freeze keeps each named definition as src/sql/objects/<object>/<version>.sql') or diag($err);
my ($frozen) = (tool('--version', $version, 'assemble', $update, @parts))[1];
$text =~ s/Changed: /Changed again: /;
open $fh, '>', $part or die;
print $fh $text;
close $fh;
my ($after) = (tool('--version', '99.0.0', 'assemble', $update, @parts))[1];
is($after, $frozen, 'once released, an update is assembled from its snapshots, not from the parts');
($ok, undef, $err) = tool('--version', '99.0.0', 'check', $base, 'src/sql/updates', @parts);
like($err, qr{comment/function/syncmaster\.whoami .* changed since \Q$version\E},
	'and a change after the release needs a step in the next update');

done_testing();
