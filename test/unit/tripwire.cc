// Compiled by CTest, never linked: this must FAIL with the tripwire's message. It stands in for an
// adapter file that included postgres.h (which defines POSTGRES_H) before a core header.
#define POSTGRES_H
#include "core/identity.hpp"
