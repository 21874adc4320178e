# PGXS build of pg_syncmaster: C++17 sources of src/core (the pure domain) and src/pg (the
# PostgreSQL adapter) linked into one library.

EXTENSION = pg_syncmaster
MODULE_big = pg_syncmaster
DATA = $(wildcard src/sql/pg_syncmaster--*.sql)

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

# pg_regress scenarios: sql/*.sql against expected/*.out, in name order.
REGRESS = $(sort $(basename $(notdir $(wildcard sql/*.sql))))
REGRESS_OPTS = --load-extension=pg_trgm

EXTRA_CLEAN = $(OBJS:.o=.d)

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

-include $(OBJS:.o=.d)

# The LLVM bitcode for JIT inlining is compiled by clang, whose default dialect is older.
override BITCODE_CXXFLAGS += -std=c++17

# The JIT bitcode is rebuilt with its object, so a header change reaches it too.
$(OBJS:.o=.bc): %.bc: %.o
