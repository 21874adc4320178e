// What the membership adapter offers the group adapter: the owner change's Guest row, remembered
// for the rest of the transaction (core::membership::on_insert's `made`).
#pragma once

#include "membership/rules.hpp"

namespace syncmaster::pg {

// An owner change of this transaction added `row` (the previous owner as a Guest).
void remember_owner_change(const core::membership::Row &row);

}  // namespace syncmaster::pg
