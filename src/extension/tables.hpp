// What spans the entities, as pure data: every table's column declaration and every searchable
// entity. The roof of the house: it knows each entity; no entity, and nothing below, knows it.
#pragma once

#include "core/pure.hpp"

#include "core/columns.hpp"
#include "core/search.hpp"

#include <string>
#include <vector>

namespace syncmaster::extension {

// Every table of the extension with its declaration (core/columns.hpp), in the schema's order.
const std::vector<core::columns::Table> &tables();

// What the search vector of an entity's rows is made of, by the name its search trigger passes
// (group, queue, connection, transfer); Error 39P01 for any other.
const core::search::Searchable &searchable(const std::string &entity);

}  // namespace syncmaster::extension
