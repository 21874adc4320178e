// Writes the extension makes itself, as consequences of a change its rules already allowed (the
// owner-change bookkeeping of a group): the rules triggers let them pass.
#pragma once

namespace syncmaster::pg {

// Raised for its lifetime; lowered also when a PostgreSQL error unwinds the C++ frames, and reset
// at every transaction end as a second line.
class InternalWrites {
public:
    InternalWrites();
    InternalWrites(const InternalWrites &) = delete;
    InternalWrites &operator=(const InternalWrites &) = delete;
    ~InternalWrites();
};

// Whether an internal write is under way.
bool internal_write_in_progress();

}  // namespace syncmaster::pg
