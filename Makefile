# PGXS build of pg_syncmaster: C++17 sources of src/core (the pure domain) and src/pg (the
# PostgreSQL adapter) linked into one library.

EXTENSION = pg_syncmaster
# The version is written in one place, the control file's default_version; META.json repeats it
# and ./sandbox test fails when the two differ.
EXTVERSION := $(shell sed -n "s/^default_version = '\(.*\)'$$/\1/p" $(EXTENSION).control)
MODULE_big = pg_syncmaster

# The newest version's install script is built from one part per entity (src/sql/NN_<entity>.sql),
# in name order: a new object goes into its entity's part, no central list. A released version is
# frozen: its install script is kept as it shipped in src/sql/releases/, never edited, and every
# later change also comes as an update script in src/sql/updates/ (pg_syncmaster--A--B.sql), so
# that ALTER EXTENSION pg_syncmaster UPDATE reaches the newest version from every release.
SQL_PARTS = $(sort $(wildcard src/sql/[0-9][0-9]_*.sql))
DATA_built = $(EXTENSION)--$(EXTVERSION).sql
DATA = $(wildcard src/sql/releases/$(EXTENSION)--*.sql) $(wildcard src/sql/updates/$(EXTENSION)--*--*.sql)

CORE_SRCS = $(sort $(wildcard src/core/*.cpp))
PG_SRCS = $(sort $(wildcard src/pg/*.cpp))
OBJS = $(CORE_SRCS:.cpp=.o) $(PG_SRCS:.cpp=.o)

PG_CONFIG ?= pg_config
SERVER_INCLUDEDIR := $(shell $(PG_CONFIG) --includedir-server)

# PostgreSQL's headers as system headers: -Wall -Wextra then judge our code, not theirs.
PG_CPPFLAGS = -Isrc -isystem $(SERVER_INCLUDEDIR)
# -MMD -MP: every object depends on the headers it includes (PGXS tracks none by itself).
PG_CXXFLAGS = -std=c++17 -Wall -Wextra -Wno-missing-field-initializers -MMD -MP
SHLIB_LINK = -lcrypto -lstdc++
# make SANITIZE=address with_llvm=no: the library with AddressSanitizer (./sandbox asan; the server
# must preload libasan). SANITIZE=undefined: with UndefinedBehaviorSanitizer, any finding fatal
# (./sandbox ubsan; the library brings its runtime).
ifdef SANITIZE
PG_CXXFLAGS += -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer -O1
SHLIB_LINK += -fsanitize=$(SANITIZE)
endif

# `make installcheck` on any cluster (with pg_syncmaster preloaded when a key is configured):
# pg_regress scenarios, sql/*.sql against expected/*.out in name order, then the isolation specs
# of test/isolation/specs against test/isolation/expected. ./sandbox test runs these and the rest.
REGRESS = $(sort $(basename $(notdir $(wildcard sql/*.sql))))
REGRESS_OPTS = --load-extension=pg_trgm
ISOLATION = $(sort $(basename $(notdir $(wildcard test/isolation/specs/*.spec))))
ISOLATION_OPTS = --inputdir=test/isolation --load-extension=pg_trgm --load-extension=pg_syncmaster

EXTRA_CLEAN = $(OBJS:.o=.d)

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

-include $(OBJS:.o=.d)

$(EXTENSION)--$(EXTVERSION).sql: $(SQL_PARTS)
	cat $^ > $@

# The LLVM bitcode for JIT inlining is compiled by clang, whose default dialect is older.
override BITCODE_CXXFLAGS += -std=c++17

# The JIT bitcode is rebuilt with its object, so a header change reaches it too.
$(OBJS:.o=.bc): %.bc: %.o
