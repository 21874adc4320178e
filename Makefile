# PGXS build of pg_syncmaster: one library of C++17 sources. Each entity has its folder,
# src/<entity>/ (rules: its pure core; pg*: its PostgreSQL adapter; <entity>.sql: its part of the
# install script); src/core holds the pure pieces they share, src/pg the plumbing below them.

EXTENSION = pg_syncmaster
# The version is written in one place, the control file's default_version; META.json repeats it
# and ./sandbox test fails when the two differ.
EXTVERSION := $(shell sed -n "s/^default_version = '\(.*\)'$$/\1/p" $(EXTENSION).control)
MODULE_big = pg_syncmaster

# The newest version's install script is built from the shared schema, one part per entity in the
# order their foreign keys need, and the privileges: a new object goes into its entity's part,
# where it is defined once. The oldest release's install script is kept as it shipped
# (src/sql/releases/); every later version is reached by update scripts, which PostgreSQL also
# chains to install a version that has no script of its own. An update script's source
# (src/sql/updates/pg_syncmaster--A--B.sql) names each object it (re)defines on a --@define or
# --@replace line, and tools/sqlobjects assembles it with the object's definition as of B: its
# part's while B is in the making, the snapshot `make freeze` keeps in src/sql/objects/<object>/B.sql
# once B is released. `make sqlcheck` fails when an object changed since the last release has no
# step in the update to this version.
ENTITIES = user group membership connection queue transfer run
SQL_PARTS = src/sql/schema.sql $(foreach e,$(ENTITIES),src/$(e)/$(e).sql) \
            src/sql/monitoring.sql src/sql/syncmaster_server.sql src/sql/privileges.sql
BASE_RELEASE = $(wildcard src/sql/releases/$(EXTENSION)--*.sql)
UPDATE_SOURCES = $(wildcard src/sql/updates/$(EXTENSION)--*--*.sql)
UPDATES = $(notdir $(UPDATE_SOURCES))
SNAPSHOTS = $(shell find src/sql/objects -name '*.sql' 2>/dev/null)
SQLOBJECTS = $(PERL) tools/sqlobjects --version $(EXTVERSION)
DATA_built = $(EXTENSION)--$(EXTVERSION).sql $(UPDATES)
DATA = $(BASE_RELEASE)

SRCS = $(sort $(wildcard src/core/*.cpp src/pg/*.cpp $(foreach e,$(ENTITIES),src/$(e)/*.cpp) src/extension/*.cpp))
OBJS = $(SRCS:.cpp=.o)

PG_CONFIG ?= pg_config
SERVER_INCLUDEDIR := $(shell $(PG_CONFIG) --includedir-server)

# PostgreSQL's headers as system headers: -Wall -Wextra then judge our code, not theirs.
PG_CPPFLAGS = -Isrc -isystem $(SERVER_INCLUDEDIR)
# -MMD -MP: every object depends on the headers it includes (PGXS tracks none by itself).
# -Werror: a warning fails the build.
PG_CXXFLAGS = -std=c++17 -Wall -Wextra -Werror -Wno-missing-field-initializers -MMD -MP
SHLIB_LINK = -lcrypto -lstdc++
# make SANITIZE=address with_llvm=no: the library with AddressSanitizer (./sandbox asan; the server
# must preload libasan). SANITIZE=undefined: with UndefinedBehaviorSanitizer, any finding fatal
# (./sandbox ubsan; the library brings its runtime).
ifdef SANITIZE
PG_CXXFLAGS += -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer -O1
SHLIB_LINK += -fsanitize=$(SANITIZE)
endif

# `make installcheck` against a running server set up as README's Install says (pg_cron and
# pg_syncmaster preloaded, a key configured), as a superuser named by PGUSER/PGHOST/PGPORT:
# 0. make sqlcheck (below);
# 1. pg_regress: sql/*.sql against expected/*.out, in name order, in contrib_regression;
# 2. the isolation specs of test/isolation/ (in isolation_regression) and of test/isolation_cron/
#    (they need pg_cron, so they run in pg_cron's database, cron.database_name);
# 3. the pgTAP files of test/pgtap/ through pg_prove, also in pg_cron's database.
# Steps 2 and 3 create pg_cron, pgtap and pg_syncmaster there if missing; an installed
# pg_syncmaster is tested as it is (the sandbox installs the oldest release and updates it).
# pgTAP needs the test probes (make install-probes); installcheck says so when they are missing.
# `make prove_installcheck` runs the cluster suites of test/t/ (Perl TAP, PostgreSQL's own
# PostgreSQL::Test::Cluster): each starts clusters of its own with the installed build, so it
# needs no server, but an OS user that initdb accepts (not root). TESTDIR (default: here) is
# where they keep tmp_check/.
NO_INSTALLCHECK = 1
REGRESS = $(sort $(basename $(notdir $(wildcard sql/*.sql))))
REGRESS_OPTS = --load-extension=pg_trgm
ISOLATION = $(sort $(basename $(notdir $(wildcard test/isolation/specs/*.spec))))
ISOLATION_OPTS = --inputdir=test/isolation --load-extension=pg_trgm --load-extension=pg_syncmaster
ISOLATION_CRON = $(sort $(basename $(notdir $(wildcard test/isolation_cron/specs/*.spec))))
PGTAP = $(sort $(wildcard test/pgtap/*.sql))
PG_PROVE ?= pg_prove
TESTDIR ?= $(CURDIR)

# The test probes (test/probes): a module of their own, with the entry guard compiled in from the
# same source, so that nothing of them ships in pg_syncmaster.so. `make install-probes` installs
# it for the test suites; `make install` never does.
PROBES = test/probes/pg_syncmaster_probes$(DLSUFFIX)
PROBE_OBJS = test/probes/probes.o src/pg/entry.o src/core/error.o

EXTRA_CLEAN = output_iso_cron tmp_check $(OBJS:.o=.d) $(PROBES) test/probes/probes.o test/probes/probes.d

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

-include $(OBJS:.o=.d)

$(PROBES): $(PROBE_OBJS)
	$(CXX) $(CXXFLAGS) $(LDFLAGS) $(LDFLAGS_SL) -shared -o $@ $(PROBE_OBJS) -lstdc++

.PHONY: install-probes
install-probes: $(PROBES)
	$(INSTALL_SHLIB) $(PROBES) '$(DESTDIR)$(pkglibdir)/'

-include test/probes/probes.d

# pg_cron's database on the server installcheck runs against.
CRON_DATABASE = $$($(bindir)/psql -X -At -d postgres -c 'SHOW cron.database_name')

.PHONY: installcheck prove_installcheck
installcheck: sqlcheck
	@test -e '$(DESTDIR)$(pkglibdir)/pg_syncmaster_probes$(DLSUFFIX)' || { echo \
	  "installcheck: the test probes are not installed: make install-probes (make install leaves them out)" >&2; \
	  exit 1; }
	$(if $(REGRESS),$(pg_regress_installcheck) $(REGRESS_OPTS) $(REGRESS))
	$(if $(ISOLATION),$(pg_isolation_regress_installcheck) $(ISOLATION_OPTS) $(ISOLATION))
	$(if $(ISOLATION_CRON)$(PGTAP),db=$(CRON_DATABASE) && \
	$(bindir)/psql -X -q -v ON_ERROR_STOP=1 -d "$$db" -c 'CREATE EXTENSION IF NOT EXISTS pg_cron' \
	  -c 'CREATE EXTENSION IF NOT EXISTS pgtap' \
	  -c 'CREATE EXTENSION IF NOT EXISTS pg_syncmaster CASCADE' && \
	$(if $(ISOLATION_CRON),$(pg_isolation_regress_installcheck) --inputdir=test/isolation_cron \
	  --outputdir=output_iso_cron --use-existing --dbname="$$db" $(ISOLATION_CRON) &&) \
	$(if $(PGTAP),$(PG_PROVE) -d "$$db" $(PGTAP),true))

prove_installcheck:
	rm -rf '$(TESTDIR)'/tmp_check
	$(MKDIR_P) '$(TESTDIR)'/tmp_check
	TESTDIR='$(TESTDIR)' PATH="$(bindir):$$PATH" \
	  PG_REGRESS='$(top_builddir)/src/test/regress/pg_regress' \
	  $(PROVE) $(PG_PROVE_FLAGS) -I test/perl $(PROVE_FLAGS) $(if $(PROVE_TESTS),$(PROVE_TESTS),test/t/*.pl)

$(EXTENSION)--$(EXTVERSION).sql: $(SQL_PARTS)
	cat $^ > $@

$(UPDATES): $(EXTENSION)--%.sql: src/sql/updates/$(EXTENSION)--%.sql $(SQL_PARTS) $(SNAPSHOTS) tools/sqlobjects
	$(SQLOBJECTS) assemble $< $(SQL_PARTS) > $@.tmp && mv $@.tmp $@

.PHONY: sqlcheck freeze sql-parts
sqlcheck:
	$(SQLOBJECTS) check $(BASE_RELEASE) src/sql/updates $(SQL_PARTS)

sql-parts:
	@echo $(SQL_PARTS)

# Cuts the release of this version: the definitions its update scripts name, kept as they are now.
freeze: sqlcheck
	$(SQLOBJECTS) freeze src/sql/updates $(SQL_PARTS)

# The LLVM bitcode for JIT inlining is compiled by clang, whose default dialect is older.
override BITCODE_CXXFLAGS += -std=c++17

# The JIT bitcode is rebuilt with its object, so a header change reaches it too.
$(OBJS:.o=.bc): %.bc: %.o
