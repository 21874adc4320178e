// Column rights (core/columns.hpp) applied to the row of a rules trigger.
#pragma once

#include "core/columns.hpp"
#include "core/identity.hpp"

#include "pg/trigger_data.hpp"

namespace syncmaster::pg {

// Applies `table`'s declaration to the row a BEFORE ROW INSERT or UPDATE trigger fired for,
// before the entity's rules see it: refuses a change the actor may not make (42501, 22023) and
// puts the database's value into the stamped columns (fired.stamped then holds the row to write
// and read). C++ regime.
void apply_column_rights(Fired &fired, const core::columns::Table &table,
                         const core::identity::Actor &actor);

}  // namespace syncmaster::pg
