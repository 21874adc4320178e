# doc/cookbook.md runs as written: its SQL blocks, in order, in one psql session stopping at the
# first error; between them they create a connection of each of the 14 types and each kind of
# credentials, and a transfer with every file format and every kind of transformation.
use strict;
use warnings;
use lib 'test/perl';
use SyncmasterTest;
use Test::More;

my $root = root_dir();
my @blocks = slurp("$root/doc/cookbook.md") =~ /^```sql\n(.*?)^```/msg;
ok(@blocks > 10, scalar(@blocks) . ' SQL blocks in doc/cookbook.md');
my $script = join("\n", @blocks);
# Before the final ROLLBACK: what the blocks made, to check that the page covers every shape.
my $facts = <<'SQL';
SELECT 'types', string_agg(DISTINCT type, ',' ORDER BY type) FROM syncmaster.connection WHERE name LIKE 'cb\_%';
SELECT 'auth', string_agg(DISTINCT syncmaster.connection_auth(id)->>'type', ',' ORDER BY syncmaster.connection_auth(id)->>'type')
FROM syncmaster.connection WHERE name LIKE 'cb\_%';
SELECT 'formats', string_agg(DISTINCT f, ',' ORDER BY f) FROM syncmaster.transfer t,
  LATERAL (VALUES (t.source_params->'file_format'->>'type'), (t.target_params->'file_format'->>'type')) v(f)
WHERE t.name LIKE 'cb\_%' AND f IS NOT NULL;
SELECT 'transformations', string_agg(DISTINCT x->>'type', ',' ORDER BY x->>'type')
FROM syncmaster.transfer t, jsonb_array_elements(t.transformations) x WHERE t.name LIKE 'cb\_%';
SQL
$script =~ s/^ROLLBACK;\s*\z/$facts\nROLLBACK;\n/m or BAIL_OUT('the cookbook does not end with ROLLBACK');

my $node = syncmaster_node('cookbook');
my $file = PostgreSQL::Test::Utils::tempdir() . '/cookbook.sql';
PostgreSQL::Test::Utils::append_to_file($file, $script);
my ($status, $out, $err) = psql_file($node, 'syncmaster', $file, ON_ERROR_STOP => 1, flags => [ '-A', '-t' ]);
is($status, 0, 'every block runs') or diag($err);
like($out, qr/^types\|clickhouse,ftp,ftps,hdfs,hive,iceberg,mssql,mysql,oracle,postgres,s3,samba,sftp,webdav$/m,
	'a connection of each of the 14 types');
like($out, qr/^auth\|basic,iceberg_rest_bearer,iceberg_rest_bearer_s3_basic,iceberg_rest_oauth2_client_credentials,iceberg_rest_oauth2_client_credentials_s3_basic,s3,samba$/m,
	'credentials of each of the 7 kinds');
like($out, qr/^formats\|csv,excel,json,jsonline,orc,parquet,xml$/m, 'every file format');
like($out, qr/^transformations\|dataframe_columns_filter,dataframe_rows_filter,file_metadata_filter,sql$/m,
	'every kind of transformation');
like($out, qr/"port": 3306, "database_name": null, "additional_params": \{\}/, 'defaults are filled in');
is($node->safe_psql('syncmaster', 'SELECT count(*) FROM syncmaster.connection'), '0', 'and it leaves nothing behind');
$node->stop;
done_testing();
