#include "pg/spi.hpp"

#include <algorithm>

namespace syncmaster::pg {

Arg int8_arg(std::optional<std::int64_t> value) {
    Arg a;
    a.type = INT8OID;
    a.isnull = !value;
    a.number = value.value_or(0);
    return a;
}

Arg bool_arg(std::optional<bool> value) {
    Arg a;
    a.type = BOOLOID;
    a.isnull = !value;
    a.number = value.value_or(false) ? 1 : 0;
    return a;
}

Arg text_arg(std::optional<std::string> value) {
    Arg a;
    a.type = TEXTOID;
    a.isnull = !value;
    a.text = value.value_or("");
    return a;
}

Arg jsonb_arg(std::optional<std::string> json) {
    Arg a = text_arg(std::move(json));
    a.type = JSONBOID;
    return a;
}

Arg function_arg(FunctionCallInfo fcinfo, int i, Oid type) {
    Arg a;
    a.type = type;
    a.has_datum = true;
    a.isnull = PG_ARGISNULL(i);
    a.datum = a.isnull ? Datum(0) : PG_GETARG_DATUM(i);
    return a;
}

Arg datum_arg(Oid type, Datum value) {
    Arg a;
    a.type = type;
    a.isnull = false;
    a.has_datum = true;
    a.datum = value;
    return a;
}

std::optional<std::int64_t> Result::int8(std::size_t row, std::size_t column) const {
    const std::optional<std::string> &value = text(row, column);
    if (!value) {
        return std::nullopt;
    }
    return std::stoll(*value);
}

bool Result::boolean(std::size_t row, std::size_t column) const {
    const std::optional<std::string> &value = text(row, column);
    return value && *value == "t";
}

namespace {

// Runs fn with SPI connected, as the owner of the extension's tables (whom row-level security does
// not filter), inside one pg_call. fn is PostgreSQL-regime code and returns a plain value.
template <typename Fn>
auto as_table_owner(Fn fn) {
    return pg_call([fn]() {
        Oid saved_user;
        int saved_context;
        GetUserIdAndSecContext(&saved_user, &saved_context);
        SetUserIdAndSecContext(catalog().owner, saved_context | SECURITY_LOCAL_USERID_CHANGE);
        if (SPI_connect() != SPI_OK_CONNECT) {
            elog(ERROR, "SPI_connect failed");
        }
        auto result = fn();
        SPI_finish();
        SetUserIdAndSecContext(saved_user, saved_context);
        return result;
    });
}

// Runs fn with SPI connected as the calling role (row-level security and the triggers judge it),
// inside one pg_call. fn is PostgreSQL-regime code and returns a plain value.
template <typename Fn>
auto as_caller(Fn fn) {
    return pg_call([fn]() {
        if (SPI_connect() != SPI_OK_CONNECT) {
            elog(ERROR, "SPI_connect failed");
        }
        auto result = fn();
        SPI_finish();
        return result;
    });
}

// A plan prepared on first use into *slot and kept for the backend. PostgreSQL-regime.
SPIPlanPtr kept_plan(SPIPlanPtr *slot, const char *sql, int nargs, Oid *types) {
    if (*slot == nullptr) {
        SPIPlanPtr plan = SPI_prepare(sql, nargs, types);
        if (plan == nullptr) {
            elog(ERROR, "SPI_prepare failed for \"%s\": %s", sql,
                 SPI_result_code_string(SPI_result));
        }
        SPI_keepplan(plan);
        *slot = plan;
    }
    return *slot;
}

// The int8 first column of the first row, as plain data that may cross pg_call().
struct FirstInt8 {
    bool found;  // a row came back, and the column was not NULL
    int64 value;
};

// What a statement returned, copied out of SPI's memory as plain data: rows × columns strings,
// nullptr for NULL.
struct RawResult {
    uint64 processed;
    uint64 rows;
    int columns;
    char **values;
};

// The arguments as Datums, in palloc'd arrays (an ERROR longjmps past any C++ destructor).
// PostgreSQL-regime.
struct Bound {
    Oid *types;
    Datum *values;
    char *nulls;  // SPI's 'n' / ' '
};

Bound bind(const Arg *args, int nargs) {
    int n = nargs > 0 ? nargs : 1;
    Bound b{static_cast<Oid *>(palloc(sizeof(Oid) * n)),
            static_cast<Datum *>(palloc(sizeof(Datum) * n)), static_cast<char *>(palloc(n))};
    for (int i = 0; i < nargs; ++i) {
        const Arg &a = args[i];
        b.types[i] = a.type;
        b.nulls[i] = a.isnull ? 'n' : ' ';
        b.values[i] = Datum(0);
        if (a.isnull) {
            continue;
        }
        if (a.has_datum) {
            b.values[i] = a.datum;
        } else if (a.type == INT8OID) {
            b.values[i] = Int64GetDatum(a.number);
        } else if (a.type == BOOLOID) {
            b.values[i] = BoolGetDatum(a.number != 0);
        } else if (a.type == TEXTOID || a.type == VARCHAROID) {
            b.values[i] = PointerGetDatum(cstring_to_text_with_len(a.text.data(), a.text.size()));
        } else {
            Oid input;
            Oid ioparam;
            getTypeInputInfo(a.type, &input, &ioparam);
            b.values[i] =
                OidInputFunctionCall(input, const_cast<char *>(a.text.c_str()), ioparam, -1);
        }
    }
    return b;
}

// Executes the statement (prepared into *slot at its first run). PostgreSQL-regime, with SPI
// connected.
void execute_plan(SPIPlanPtr *slot, const char *sql, const Arg *args, int nargs, long limit,
                  bool read_only = false) {
    Bound bound = bind(args, nargs);
    Oid *types = bound.types;
    Datum *values = bound.values;
    char *nulls = bound.nulls;
    SPIPlanPtr plan = kept_plan(slot, sql, nargs, types);
    // A row limit stops the executor after that many rows, which for an INSERT, UPDATE or DELETE
    // stops the statement itself: fewer rows written, and its statement-level AFTER triggers (the
    // kept totals' among them) never fired. Only a query is cut short.
    if (limit > 0) {
        ListCell *cell;
        foreach (cell, SPI_plan_get_plan_sources(plan)) {
            if (static_cast<CachedPlanSource *>(lfirst(cell))->commandTag != CMDTAG_SELECT) {
                limit = 0;
            }
        }
    }
    int rc = SPI_execute_plan(plan, values, nulls, read_only, limit);
    if (rc < 0) {
        elog(ERROR, "SPI_execute_plan failed for \"%s\": %s", sql, SPI_result_code_string(rc));
    }
}

// Executes the statement and copies what it returned out of SPI's memory. PostgreSQL-regime,
// with SPI connected.
RawResult execute(SPIPlanPtr *slot, const char *sql, const Arg *args, int nargs, long limit) {
    execute_plan(slot, sql, args, nargs, limit);
    RawResult out{SPI_processed, 0, 0, nullptr};
    if (SPI_tuptable == nullptr) {
        return out;
    }
    out.rows = SPI_processed;
    out.columns = SPI_tuptable->tupdesc->natts;
    out.values = static_cast<char **>(
        SPI_palloc(sizeof(char *) * (out.rows * out.columns > 0 ? out.rows * out.columns : 1)));
    for (uint64 r = 0; r < out.rows; ++r) {
        for (int c = 0; c < out.columns; ++c) {
            char *value = SPI_getvalue(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, c + 1);
            char *copy = nullptr;
            if (value != nullptr) {
                copy = static_cast<char *>(SPI_palloc(strlen(value) + 1));
                strcpy(copy, value);
            }
            out.values[r * out.columns + c] = copy;
        }
    }
    return out;
}

}  // namespace

Result Statement::run(As as, const std::vector<Arg> &args, long limit) {
    SPIPlanPtr *slot = &plan_;
    const char *sql = sql_.c_str();
    const Arg *data = args.data();
    int nargs = static_cast<int>(args.size());
    auto body = [slot, sql, data, nargs, limit]() {
        return execute(slot, sql, data, nargs, limit);
    };
    RawResult raw = as == As::kCaller ? as_caller(body) : as_table_owner(body);
    Result result;
    result.processed = raw.processed;
    result.rows.resize(raw.rows);
    for (uint64 r = 0; r < raw.rows; ++r) {
        for (int c = 0; c < raw.columns; ++c) {
            const char *value = raw.values[r * raw.columns + c];
            result.rows[r].push_back(value == nullptr ? std::nullopt
                                                      : std::optional<std::string>(value));
        }
    }
    return result;
}

Datum Statement::return_rows(FunctionCallInfo fcinfo, const std::vector<Arg> &args, As as) {
    SPIPlanPtr *slot = &plan_;
    const char *sql = sql_.c_str();
    const Arg *data = args.data();
    int nargs = static_cast<int>(args.size());
    pg_call([fcinfo]() { InitMaterializedSRF(fcinfo, 0); });
    auto body = [fcinfo, slot, sql, data, nargs]() {
        auto *rsinfo = reinterpret_cast<ReturnSetInfo *>(fcinfo->resultinfo);
        execute_plan(slot, sql, data, nargs, 0, true);
        if (SPI_tuptable == nullptr) {
            return 0;
        }
        TupleDesc got = SPI_tuptable->tupdesc;
        TupleDesc want = rsinfo->setDesc;
        bool same = got->natts == want->natts;
        for (int c = 0; same && c < got->natts; ++c) {
            same = TupleDescAttr(got, c)->atttypid == TupleDescAttr(want, c)->atttypid;
        }
        if (!same) {
            elog(ERROR, "the columns of \"%s\" do not match the function's result", sql);
        }
        for (uint64 r = 0; r < SPI_processed; ++r) {
            tuplestore_puttuple(rsinfo->setResult, SPI_tuptable->vals[r]);
        }
        return 0;
    };
    if (as == As::kCaller) {
        as_caller(body);
    } else {
        as_table_owner(body);
    }
    return Datum(0);
}

std::optional<std::int64_t> Statement::first_int8(As as, const std::vector<Arg> &args) {
    // The workers' hot path: the value as it is, not printed and parsed.
    SPIPlanPtr *slot = &plan_;
    const char *sql = sql_.c_str();
    const Arg *data = args.data();
    int nargs = static_cast<int>(args.size());
    auto body = [slot, sql, data, nargs]() {
        execute_plan(slot, sql, data, nargs, 1);
        FirstInt8 out{false, 0};
        if (SPI_tuptable != nullptr && SPI_processed > 0) {
            if (TupleDescAttr(SPI_tuptable->tupdesc, 0)->atttypid != INT8OID) {
                elog(ERROR, "the first column of \"%s\" is not a bigint", sql);
            }
            bool isnull;
            Datum d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
            out.found = !isnull;
            out.value = isnull ? 0 : DatumGetInt64(d);
        }
        return out;
    };
    FirstInt8 r = as == As::kCaller ? as_caller(body) : as_table_owner(body);
    if (!r.found) {
        return std::nullopt;
    }
    return r.value;
}

Arg int8_array_arg(const std::vector<std::int64_t> &values) {
    const std::int64_t *data = values.data();
    int count = static_cast<int>(values.size());
    return datum_arg(INT8ARRAYOID, pg_call([data, count]() { return int8_array(data, count); }));
}

double Statement::estimated_rows(As as, const std::vector<Arg> &args) {
    SPIPlanPtr *slot = &plan_;
    const char *sql = sql_.c_str();
    const Arg *data = args.data();
    int nargs = static_cast<int>(args.size());
    auto body = [slot, sql, data, nargs]() {
        Bound bound = bind(data, nargs);
        SPIPlanPtr plan = kept_plan(slot, sql, nargs, bound.types);
        ParamListInfo params = makeParamList(nargs);
        for (int i = 0; i < nargs; ++i) {
            params->params[i] = ParamExternData{bound.values[i], bound.nulls[i] == 'n',
                                                PARAM_FLAG_CONST, bound.types[i]};
        }
        auto *source = static_cast<CachedPlanSource *>(linitial(SPI_plan_get_plan_sources(plan)));
        // A plan for these values, never the generic plan of a kept statement (a statement whose
        // rows are estimated is kept for that), then given back.
        source->cursor_options |= CURSOR_OPT_CUSTOM_PLAN;
        CachedPlan *cached = GetCachedPlan(source, params, nullptr, nullptr);
        double rows = linitial_node(PlannedStmt, cached->stmt_list)->planTree->plan_rows;
        ReleaseCachedPlan(cached, nullptr);
        return rows;
    };
    return as == As::kCaller ? as_caller(body) : as_table_owner(body);
}

Datum int8_array(const std::int64_t *values, int count) {
    Datum *elems = static_cast<Datum *>(palloc(sizeof(Datum) * (count > 0 ? count : 1)));
    for (int i = 0; i < count; ++i) {
        elems[i] = Int64GetDatum(values[i]);
    }
    return PointerGetDatum(
        construct_array(elems, count, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

namespace {
// One id a statement: `id = ANY ($1)` made the plan cache plan the statement at every run (its
// generic plan, costed for an array of unknown length, never beat a plan for two ids), which cost
// a transfer INSERT some 30 µs.
Statement key_share[3] = {
    Statement("SELECT 1 FROM syncmaster.\"user\" WHERE id OPERATOR(pg_catalog.=) $1 FOR KEY SHARE"),
    Statement(
        "SELECT 1 FROM syncmaster.connection WHERE id OPERATOR(pg_catalog.=) $1 FOR KEY SHARE"),
    Statement("SELECT 1 FROM syncmaster.queue WHERE id OPERATOR(pg_catalog.=) $1 FOR KEY SHARE"),
};
}  // namespace

void lock_referenced(Referenced table, const std::int64_t *ids, int count) {
    for (int i = 0; i < count; ++i) {
        if (std::find(ids, ids + i, ids[i]) == ids + i) {  // each id once
            key_share[static_cast<int>(table)].run(As::kTableOwner, {int8_arg(ids[i])});
        }
    }
}

}  // namespace syncmaster::pg
