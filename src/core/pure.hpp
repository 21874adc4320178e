// The compile-time tripwire of the pure core.
//
// Every header of src/core includes this one first. The core is plain C++17: it must compile and be
// unit-tested without PostgreSQL, so a translation unit that has already included postgres.h (or
// c.h, which postgres.h starts with) and then pulls in a core header is a layering mistake. The
// adapter in src/pg includes the core headers it needs before any PostgreSQL header.
#pragma once

#if defined(POSTGRES_H) || defined(C_H) || defined(PG_VERSION_NUM)
#error "src/core must not see PostgreSQL headers: include core headers before postgres.h"
#endif
