#!/usr/bin/python3
"""SyncMaster's own server as a client: the statements its ORM sends, through a real driver.

SyncMaster 0.3.2 (FastAPI + SQLAlchemy) connects as one role, sets no syncmaster.acting_user (so
it acts as the system), names every table unqualified (search_path = syncmaster, public) and
picks its HTTP answer by the violated constraint's name. Each case below sends what its
repositories send for one API operation or fixture, in the same order and with the same
transaction boundaries, as a syncmaster_service login through psycopg2, and checks what the server
needs from the answer: rows, SQLSTATEs, constraint names and details. Prints TAP.

Environment: PGHOST/PGPORT (the server, as a superuser, for the fixture and the checks),
COMPAT_DB (a database with pg_syncmaster and nothing else of ours), SYNCMASTER_KEY (the Fernet
key of syncmaster.encryption_key, which SyncMaster's server is given as its crypto key).
"""
import json
import os

import psycopg2
import psycopg2.errors
from cryptography.fernet import Fernet

DB = os.environ["COMPAT_DB"]
WHERE = dict(host=os.environ["PGHOST"], port=os.environ["PGPORT"], dbname=DB)
KEY = Fernet(os.environ["SYNCMASTER_KEY"].encode())
SERVER = "compat_server"  # SyncMaster's role: a syncmaster_service login
PERSON = "compat_person"  # a user of SyncMaster with a login of its own

results = []


def check(ok, description, diagnostic=None):
    results.append(bool(ok))
    print(f"{'ok' if ok else 'not ok'} {len(results)} - {description}", flush=True)
    if not ok and diagnostic is not None:
        print(f"# {diagnostic}", flush=True)


def is_(got, want, description):
    check(got == want, description, f"got {got!r}, want {want!r}")


class Refused:
    """What the server said no with: what SyncMaster's error handlers read."""

    def __init__(self, e):
        self.sqlstate = e.pgcode
        self.message = e.diag.message_primary
        self.detail = e.diag.message_detail
        self.constraint = e.diag.constraint_name
        self.table = e.diag.table_name
        self.schema = e.diag.schema_name

    def __repr__(self):
        return (f"Refused({self.sqlstate} {self.message!r} detail={self.detail!r} "
                f"constraint={self.schema}.{self.table}.{self.constraint})")


def transaction(conn, *statements):
    """One ORM unit of work: the statements in order, then COMMIT; the last statement's rows, or
    the Refused of the one that failed (the transaction then rolled back)."""
    rows = None
    try:
        with conn:
            with conn.cursor() as cur:
                for sql, args in statements:
                    cur.execute(sql, args)
                    rows = cur.fetchall() if cur.description else []
        return rows
    except psycopg2.Error as e:
        return Refused(e)


def one(conn, sql, args=None):
    return transaction(conn, (sql, args))


def value(conn, sql, args=None):
    rows = one(conn, sql, args)
    if isinstance(rows, Refused):
        raise AssertionError(f"{sql}: {rows}")
    return rows[0][0] if rows else None


def token(credentials, key=KEY):
    # As SyncMaster seals them: sorted keys, UTF-8.
    plaintext = json.dumps(credentials, ensure_ascii=False, sort_keys=True)
    return key.encrypt(plaintext.encode()).decode()


def refused_with(got, sqlstate, message, description, constraint=None, detail=None):
    want = (sqlstate, message, constraint, detail)
    if isinstance(got, Refused):
        have = (got.sqlstate, got.message, got.constraint if constraint else None,
                got.detail if detail else None)
        check(have == want, description, f"got {got}, want {want}")
    else:
        check(False, description, f"not refused: {got!r}")


PG_DATA = json.dumps({"host": "db", "port": 5432, "database_name": "d",
                      "additional_params": {}})
PG_AUTH = {"type": "basic", "user": "etl", "password": "S3CR3T"}
RESOURCES = json.dumps({"max_parallel_tasks": 1, "cpu_cores_per_task": 1,
                        "ram_bytes_per_task": 1073741824})


def setup(admin):
    for sql in (
        'DELETE FROM syncmaster."user"',  # the database is the suite's own: start from nothing
        f"DROP ROLE IF EXISTS {SERVER}",
        f"DROP ROLE IF EXISTS {PERSON}",
        f"CREATE ROLE {SERVER} LOGIN IN ROLE syncmaster_service",
        f"ALTER ROLE {SERVER} SET search_path = syncmaster, public",
        f"CREATE ROLE {PERSON} LOGIN IN ROLE syncmaster_user",
    ):
        value(admin, sql)


def teardown(admin):
    for sql in (
        "DROP TABLE IF EXISTS syncmaster.alembic_version, syncmaster.apscheduler_jobs, "
        "syncmaster.celery_taskmeta, syncmaster.celery_tasksetmeta",
        "DROP SEQUENCE IF EXISTS syncmaster.task_id_sequence, syncmaster.taskset_id_sequence",
        f"DROP OWNED BY {SERVER}, {PERSON}",
        f"DROP ROLE IF EXISTS {SERVER}",
        f"DROP ROLE IF EXISTS {PERSON}",
    ):
        value(admin, sql)


# --- fixtures as SyncMaster's server makes them ----------------------------------------------------

def login(srv, username, superuser=False):
    """The dummy auth provider's first login: SELECT, then INSERT the user."""
    return value(srv, 'INSERT INTO "user" (username, email, first_name, last_name, middle_name, '
                 "is_superuser, is_active) VALUES (%s, NULL, NULL, NULL, NULL, %s, true) "
                 "RETURNING id", (username, superuser))


def create_group(srv, name, owner):
    return value(srv, 'INSERT INTO "group" (name, description, owner_id) VALUES (%s, %s, %s) '
                 "RETURNING id", (name, "", owner))


def create_connection(srv, group, name, auth=PG_AUTH):
    """POST /v1/connections: the connection, then its credentials, in one transaction."""
    rows = transaction(
        srv,
        ("INSERT INTO connection (type, data, name, group_id, description) "
         "VALUES ('postgres', %s, %s, %s, '') RETURNING id", (PG_DATA, name, group)),
    )
    if isinstance(rows, Refused):
        raise AssertionError(f"connection {name}: {rows}")
    if auth is None:
        return rows[0][0]
    conn_id = rows[0][0]
    got = one(srv, "INSERT INTO auth_data (connection_id, value) VALUES (%s, %s) "
              "RETURNING connection_id", (conn_id, token(auth)))
    if isinstance(got, Refused):
        raise AssertionError(f"credentials of {name}: {got}")
    return conn_id


def create_queue(srv, group, name, slug):
    return value(srv, "INSERT INTO queue (name, slug, group_id, description) "
                 "VALUES (%s, %s, %s, '') RETURNING id", (name, slug, group))


TRANSFER_INSERT = (
    "INSERT INTO transfer (source_connection_id, target_connection_id, strategy_params, "
    "source_params, target_params, transformations, resources, is_scheduled, schedule, queue_id, "
    "name, group_id, description) VALUES (%s, %s, '{\"type\": \"full\"}', "
    "'{\"type\": \"postgres\", \"table_name\": \"a.b\"}', "
    "'{\"type\": \"postgres\", \"table_name\": \"a.c\"}', '[]', %s, %s, %s, %s, %s, %s, '') "
    "RETURNING id")


def create_transfer(srv, group, name, source, target, queue, schedule=None):
    return value(srv, TRANSFER_INSERT, (source, target, RESOURCES, schedule is not None,
                                        schedule or "", queue, name, group))


def create_run(srv, transfer):
    """POST /v1/runs: the run in CREATED with its dump (SyncMaster builds one; an empty object
    here, which the database fills)."""
    return value(srv, "INSERT INTO run (transfer_id, status, type, transfer_dump) "
                 "VALUES (%s, 'CREATED', 'MANUAL', '{}') RETURNING id", (transfer,))


# --- the cases ---------------------------------------------------------------------------------------

def credentials_written_by_the_server(srv, person, team):
    # POST /v1/connections.
    conn_id = create_connection(srv, team, "orders_db", auth=None)
    got = one(srv, "INSERT INTO auth_data (connection_id, value) VALUES (%s, %s) "
              "RETURNING connection_id", (conn_id, token(PG_AUTH)))
    is_(got, [(conn_id,)], "the server's INSERT of a token it sealed is accepted")
    is_(value(srv, "SELECT syncmaster.connection_credentials(%s)", (conn_id,)), PG_AUTH,
        "and opens to the credentials it sealed")
    is_(value(srv, "SELECT syncmaster.connection_auth(%s)", (conn_id,)),
        {"type": "basic", "user": "etl"}, "shown without the secret to readers of the connection")
    # PUT /v1/connections/{id}: a fresh token every time, updated_at set by the statement.
    changed = dict(PG_AUTH, password="N3W")
    got = transaction(
        srv,
        ("UPDATE connection SET type = 'postgres', name = 'orders_db', description = 'main', "
         "data = %s, updated_at = now() WHERE connection.id = %s RETURNING id", (PG_DATA, conn_id)),
        ("UPDATE auth_data SET value = %s, updated_at = now() WHERE auth_data.connection_id = %s "
         "RETURNING connection_id", (token(changed), conn_id)),
    )
    is_(got, [(conn_id,)], "the server's UPDATE of the connection and its token is accepted")
    is_(value(srv, "SELECT syncmaster.connection_credentials(%s)", (conn_id,)), changed,
        "and the new credentials are read back")
    # What does not open, or does not fit, changes nothing.
    got = one(srv, "UPDATE auth_data SET value = %s WHERE connection_id = %s",
              (token(PG_AUTH, Fernet(Fernet.generate_key())), conn_id))
    refused_with(got, "22023", "auth_data value is not a token of the configured key",
                 "a token of another key is refused (22023)")
    got = one(srv, "UPDATE auth_data SET value = 'not a token' WHERE connection_id = %s",
              (conn_id,))
    refused_with(got, "22023", "auth_data value is not a token of the configured key",
                 "so is a value that is no token")
    got = one(srv, "UPDATE auth_data SET value = %s WHERE connection_id = %s",
              (token({"type": "s3", "access_key": "a", "secret_key": "s"}), conn_id))
    refused_with(got, "22023", 'auth_data: field "type" must be one of: basic for a postgres '
                 "connection", "credentials that do not fit the connection's type are refused, "
                 "naming the field")
    got = one(srv, "UPDATE auth_data SET value = %s WHERE connection_id = %s",
              (token({"type": "basic", "user": "etl"}), conn_id))
    refused_with(got, "22023", 'auth_data: field "password" is required',
                 "credentials without their password are refused, naming the field")
    is_(value(srv, "SELECT syncmaster.connection_credentials(%s)", (conn_id,)), changed,
        "the refused writes changed nothing")
    # Users never touch the table.
    got = one(person, "SELECT value FROM syncmaster.auth_data")
    refused_with(got, "42501", "permission denied for table auth_data",
                 "a user's login cannot read auth_data")
    got = one(person, "INSERT INTO syncmaster.auth_data (connection_id, value) VALUES (%s, %s)",
              (conn_id, token(PG_AUTH)))
    refused_with(got, "42501", "permission denied for table auth_data",
                 "nor write it")
    # PUT /v1/connections/{id} changing the type: the connection first, then credentials for the
    # new type, in one transaction. They must fit by commit.
    s3_data = json.dumps({"host": "s3.example", "bucket": "b", "region": "r", "protocol": "https",
                          "port": 443, "bucket_style": "path", "additional_params": {}})
    s3_auth = {"type": "s3", "access_key": "AK", "secret_key": "SK"}
    mover = create_connection(srv, team, "mover_db")
    got = transaction(
        srv,
        ("UPDATE connection SET type = 's3', name = 'mover_db', description = '', data = %s, "
         "updated_at = now() WHERE connection.id = %s RETURNING id", (s3_data, mover)),
        ("UPDATE auth_data SET value = %s, updated_at = now() WHERE auth_data.connection_id = %s "
         "RETURNING connection_id", (token(s3_auth), mover)),
    )
    is_(got, [(mover,)], "a change of type with credentials for the new type commits")
    is_(value(srv, "SELECT syncmaster.connection_credentials(%s)", (mover,)), s3_auth,
        "and the connection holds them")
    got = one(srv, "UPDATE connection SET type = 'postgres', data = %s, updated_at = now() "
              "WHERE connection.id = %s", (PG_DATA, mover))
    refused_with(got, "55000", "The credentials of the connection do not fit its new type",
                 "a change of type that leaves credentials unfit fails at commit")
    is_(value(srv, "SELECT type FROM connection WHERE id = %s", (mover,)), "s3",
        "and changes nothing")
    # The system may remove credentials (SyncMaster never does, its tooling may).
    other = create_connection(srv, team, "scratch_db")
    is_(one(srv, "DELETE FROM auth_data WHERE connection_id = %s RETURNING connection_id",
            (other,)), [(other,)], "the system deletes credentials")
    return conn_id


def owner_change(srv, admin, ids):
    team = create_group(srv, "handover", ids["alice"])
    value(srv, "INSERT INTO user_group (user_id, group_id, role) VALUES (%s, %s, 'Developer') "
          "RETURNING user_id", (ids["bob"], team))
    # PUT /v1/groups/{id} with a new owner: (1) read, (2) update, (3) read the new owner's member
    # row, (4) delete it if found, (5) insert the previous owner as Guest; one transaction.
    with srv:
        with srv.cursor() as cur:
            cur.execute('SELECT owner_id FROM "group" WHERE id = %s', (team,))
            previous = cur.fetchone()[0]
            cur.execute('UPDATE "group" SET name = %s, description = %s, owner_id = %s, '
                        'updated_at = now() WHERE "group".id = %s RETURNING id',
                        ("handover", "", ids["bob"], team))
            cur.execute("SELECT user_id FROM user_group WHERE user_id = %s AND group_id = %s",
                        (ids["bob"], team))
            if cur.fetchone():
                cur.execute("DELETE FROM user_group WHERE user_id = %s AND group_id = %s",
                            (ids["bob"], team))
    got = one(srv, "INSERT INTO user_group (user_id, group_id, role) VALUES (%s, %s, 'Guest')",
              (previous, team))
    # The same sequence in one transaction, as the server sends it.
    team2 = create_group(srv, "handover_two", ids["alice"])
    value(srv, "INSERT INTO user_group (user_id, group_id, role) VALUES (%s, %s, 'Developer') "
          "RETURNING user_id", (ids["bob"], team2))
    got2 = transaction(
        srv,
        ('UPDATE "group" SET name = %s, description = %s, owner_id = %s, updated_at = now() '
         'WHERE "group".id = %s RETURNING id', ("handover_two", "", ids["bob"], team2)),
        ("SELECT user_id FROM user_group WHERE user_id = %s AND group_id = %s",
         (ids["bob"], team2)),
        ("INSERT INTO user_group (user_id, group_id, role) VALUES (%s, %s, 'Guest')",
         (ids["alice"], team2)),
    )
    is_(got2, [], "the owner-change sequence (UPDATE owner, INSERT the previous owner as Guest) "
        "commits")
    state = "SELECT g.owner_id, array_agg(m.user_id || ':' || m.role ORDER BY m.user_id) " \
            'FROM syncmaster."group" g LEFT JOIN syncmaster.user_group m ON m.group_id = g.id ' \
            "WHERE g.id = %s " \
            "GROUP BY g.owner_id"
    want = [(ids["bob"], [f"{ids['alice']}:Guest"])]
    is_(one(admin, state, (team2,)), want,
        "leaving the documented state: the new owner no member, the previous one a Guest")
    # Outside that transaction the trigger's row is an ordinary duplicate.
    refused_with(got, "23505", "User already is group member",
                 "a later INSERT of the same row is a duplicate, with its constraint",
                 constraint="pk__user_group")
    got = transaction(
        srv,
        ('UPDATE "group" SET owner_id = %s WHERE id = %s', (ids["alice"], team2)),
        ("INSERT INTO user_group (user_id, group_id, role) VALUES (%s, %s, 'Developer')",
         (ids["bob"], team2)),
    )
    refused_with(got, "23505", "User already is group member",
                 "the previous owner inserted with another role than the shuffle's is a duplicate",
                 constraint="pk__user_group")


def stop_of_a_queued_run(srv, admin, transfer, slug):
    run_id = create_run(srv, transfer)
    # POST /v1/runs/{id}/stop: no status predicate, no RETURNING.
    got = one(srv, "UPDATE run SET status = 'SEND_STOP_SIGNAL', updated_at = now() "
              "WHERE run.id = %s", (run_id,))
    is_(got, [], "SyncMaster's stop of a queued run (CREATED → SEND_STOP_SIGNAL) is accepted")
    is_(one(admin, "SELECT status, ended_at IS NOT NULL FROM syncmaster.run WHERE id = %s",
            (run_id,)), [("STOPPED", True)], "and the run is STOPPED at once, ended")
    # With claim_run dispatching (the deployment's tables make it Celery), its queue has nothing
    # to hand out.
    got = transaction(admin, ("SET LOCAL syncmaster.dispatcher = claim_run", None),
                      ("SELECT count(*) FROM syncmaster.claim_run(%s, 'w')", (slug,)))
    is_(got, [(0,)], "so no claim hands it to a worker")
    is_(one(admin, "SELECT status FROM syncmaster.run WHERE id = %s", (run_id,)), [("STOPPED",)],
        "and it stays STOPPED")
    # A running run still gets the signal.
    running = create_run(srv, transfer)
    one(srv, "UPDATE run SET status = 'STARTED', started_at = now() WHERE id = %s", (running,))
    one(srv, "UPDATE run SET status = 'SEND_STOP_SIGNAL', updated_at = now() WHERE run.id = %s",
        (running,))
    is_(one(admin, "SELECT status FROM syncmaster.run WHERE id = %s", (running,)),
        [("SEND_STOP_SIGNAL",)], "a running run's stop is SEND_STOP_SIGNAL, for its worker")
    one(srv, "UPDATE run SET status = 'FINISHED', ended_at = now() WHERE id = %s", (running,))


def conflicts_and_unknown_users(srv, ids, team, conn_id, queue, transfer):
    def dup(sql, args, message, constraint, table, description):
        got = one(srv, sql, args)
        refused_with(got, "23505", message, description, constraint=constraint)
        if isinstance(got, Refused):
            is_((got.schema, got.table), ("syncmaster", table),
                f"{constraint}: schema and table named too")

    dup('INSERT INTO "group" (name, description, owner_id) VALUES (%s, %s, %s)',
        ("team", "", ids["alice"]), "Group name already taken", "uq__group__name", "group",
        "a duplicate group name names uq__group__name")
    dup("INSERT INTO user_group (user_id, group_id, role) VALUES (%s, %s, 'Guest')",
        (ids["bob"], team), "User already is group member", "pk__user_group", "user_group",
        "a duplicate member names pk__user_group")
    dup("INSERT INTO connection (type, data, name, group_id, description) "
        "VALUES ('postgres', %s, 'orders_db', %s, '')", (PG_DATA, team),
        "The connection name already exists in the target group, please specify a new one",
        "uq__connection__name_group_id", "connection",
        "a duplicate connection name names uq__connection__name_group_id")
    dup(TRANSFER_INSERT, (conn_id, conn_id, RESOURCES, False, "", queue, "nightly", team),
        "The transfer name already exists in the target group, please specify a new one",
        "uq__transfer__name_group_id", "transfer",
        "a duplicate transfer name names uq__transfer__name_group_id")
    dup("INSERT INTO queue (name, slug, group_id, description) VALUES (%s, %s, %s, '')",
        ("etl", f"{team}-etl", team),
        "The queue name already exists in the target group, please specify a new one",
        "uq__queue__slug", "queue", "a duplicate queue names uq__queue__slug")
    dup('INSERT INTO "user" (username, is_superuser, is_active) VALUES (%s, false, true)',
        ("bob",), "Username is already taken", "ix__user__username", "user",
        "a duplicate username names ix__user__username")
    # Unknown users: PostgreSQL's own foreign key error, which SyncMaster maps to 404.
    got = one(srv, "INSERT INTO user_group (user_id, group_id, role) VALUES (%s, %s, 'Guest')",
              (987654, team))
    refused_with(got, "23503",
                 'insert or update on table "user_group" violates foreign key constraint '
                 '"fk__user_group__user_id__user"',
                 "an unknown member is the foreign key's 23503, named, with its detail",
                 constraint="fk__user_group__user_id__user",
                 detail='Key (user_id)=(987654) is not present in table "user".')
    got = one(srv, 'UPDATE "group" SET owner_id = %s, updated_at = now() WHERE id = %s',
              (987654, team))
    refused_with(got, "23503",
                 'insert or update on table "group" violates foreign key constraint '
                 '"fk__group__owner_id__user"',
                 "an unknown new owner too", constraint="fk__group__owner_id__user",
                 detail='Key (owner_id)=(987654) is not present in table "user".')
    # The API functions keep SyncMaster's API messages.
    refused_with(one(srv, "SELECT syncmaster.add_group_member(%s, 987654, 'Guest')", (team,)),
                 "P0002", "User not found", "add_group_member() still says User not found")


def deployment(srv, admin):
    is_(one(srv, "SELECT version_num FROM alembic_version"), [("0012",)],
        "alembic_version holds SyncMaster's head revision: upgrade head is a no-op")
    got = one(admin, "SELECT syncmaster.prepare_syncmaster_server(%s::regrole)", (SERVER,))
    check(not isinstance(got, Refused), "the step can be run again", got)
    got = transaction(
        srv,
        ("INSERT INTO apscheduler_jobs (id, next_run_time, job_state) VALUES ('1', 0, '\\x00')",
         None),
        ("DELETE FROM apscheduler_jobs WHERE id = '1' RETURNING id", None),
    )
    is_(got, [("1",)], "the scheduler's job store is there and the server's role writes it")
    got = transaction(
        srv,
        ("INSERT INTO celery_taskmeta (id, task_id, status) "
         "VALUES (nextval('task_id_sequence'), 'x', 'PENDING')", None),
        ("DELETE FROM celery_taskmeta WHERE task_id = 'x' RETURNING status", None),
    )
    is_(got, [("PENDING",)], "so is Celery's result backend")


def one_dispatcher_one_scheduler(srv, admin, team, conn_id, queue, slug):
    is_(one(srv, "SELECT current_setting('syncmaster.dispatcher'), "
                 "current_setting('syncmaster.scheduler')"), [("auto", "auto")],
        "both settings are left at auto")
    run_id = create_run(srv, value(srv, "SELECT id FROM transfer WHERE name = 'nightly'"))
    is_(one(srv, "SELECT count(*) FROM syncmaster.claim_run(%s, 'w1')", (slug,)), [(0,)],
        "with Celery's tables, claim_run hands out nothing: Celery's worker runs the run")
    # The worker: STARTED, then FINISHED, no heartbeat.
    one(srv, "UPDATE run SET status = 'STARTED', started_at = now(), log_url = 'l', "
        "updated_at = now() WHERE run.id = %s", (run_id,))
    is_(one(admin, "SELECT status, lease_expires_at FROM syncmaster.run WHERE id = %s",
            (run_id,)), [("STARTED", None)],
        "a run Celery's worker starts holds no lease, so no reaper fails it")
    is_(one(srv, "UPDATE run SET status = 'FINISHED', ended_at = now(), updated_at = now() "
                 "WHERE run.id = %s RETURNING status", (run_id,)), [("FINISHED",)],
        "and its worker finishes it")
    scheduled = create_transfer(srv, team, "hourly", conn_id, conn_id, queue, "0 * * * *")
    is_(one(srv, "SELECT syncmaster.fire_scheduled_transfer(%s)", (scheduled,)), [(None,)],
        "with the scheduler's job store, a pg_cron job makes no run: SyncMaster's scheduler does")
    is_(one(srv, "SELECT count(*) FROM run WHERE transfer_id = %s", (scheduled,)), [(0,)],
        "none was made")
    got = one(admin, "SET syncmaster.scheduler = pg_cron; "
              "SELECT syncmaster.fire_scheduled_transfer(%s) IS NOT NULL", (scheduled,))
    is_(got, [(True,)], "set to pg_cron, the job makes the run")
    one(admin, "RESET syncmaster.scheduler")


def cascades(srv, person, ids):
    team = create_group(srv, "doomed", ids["carol"])
    conn_id = create_connection(srv, team, "doomed_db")
    queue = create_queue(srv, team, "doomed", f"{team}-doomed")
    transfer = create_transfer(srv, team, "doomed_transfer", conn_id, conn_id, queue)
    create_run(srv, transfer)
    # A person's delete is still refused, a Maintainer's as anyone's.
    value(srv, "INSERT INTO user_group (user_id, group_id, role) VALUES (%s, %s, 'Maintainer') "
          "RETURNING user_id", (ids[PERSON], team))
    refused_with(one(person, "DELETE FROM syncmaster.connection WHERE id = %s", (conn_id,)),
                 "55000", "The connection has an associated transfers. Number of the connected "
                 "transfers: 1", "a user's delete of a connection transfers use is refused")
    is_(one(srv, "DELETE FROM connection WHERE id = %s RETURNING id", (conn_id,)), [(conn_id,)],
        "the system deletes a connection transfers use")
    is_(one(srv, "SELECT (SELECT count(*) FROM transfer WHERE id = %s), "
                 "(SELECT count(*) FROM run WHERE transfer_id = %s), "
                 "(SELECT count(*) FROM auth_data WHERE connection_id = %s)",
            (transfer, transfer, conn_id)), [(0, 0, 0)],
        "its transfers, their runs and its credentials go with it, as SyncMaster's keys cascade")
    conn2 = create_connection(srv, team, "doomed_db2")
    transfer2 = create_transfer(srv, team, "doomed_transfer2", conn2, conn2, queue)
    is_(one(srv, "DELETE FROM queue WHERE id = %s RETURNING id", (queue,)), [(queue,)],
        "the system deletes a queue transfers use")
    is_(one(srv, "SELECT count(*) FROM transfer WHERE id = %s", (transfer2,)), [(0,)],
        "and its transfers go with it")
    is_(one(srv, 'DELETE FROM "user" WHERE id = %s RETURNING id', (ids["carol"],)),
        [(ids["carol"],)], "the system deletes a user who owns groups")
    is_(one(srv, 'SELECT count(*) FROM "group" WHERE id = %s', (team,)), [(0,)],
        "and the groups it owns go with it")


def runs_without_credentials(srv, team, queue):
    bare = create_connection(srv, team, "bare_db", auth=None)
    transfer = create_transfer(srv, team, "bare_transfer", bare, bare, queue)
    got = one(srv, "INSERT INTO run (transfer_id, status, type, transfer_dump) "
              "VALUES (%s, 'CREATED', 'MANUAL', '{}') RETURNING status", (transfer,))
    is_(got, [("CREATED",)], "the system's INSERT of a run whose connections have no credentials "
        "is accepted (SyncMaster's fixtures write such runs)")
    refused_with(one(srv, "SELECT syncmaster.start_run(%s)", (transfer,)), "55000",
                 f"Credentials not set for connection {bare}",
                 "start_run() still refuses it, as SyncMaster's API does")


def main():
    admin = psycopg2.connect(user=os.environ.get("PGUSER", "postgres"), **WHERE)
    setup(admin)
    try:
        value(admin, "SELECT syncmaster.prepare_syncmaster_server(%s::regrole)", (SERVER,))
        srv = psycopg2.connect(user=SERVER, **WHERE)
        person = psycopg2.connect(user=PERSON, **WHERE)
        ids = {name: login(srv, name) for name in ("alice", "bob", "carol", PERSON)}
        team = create_group(srv, "team", ids["alice"])
        value(srv, "INSERT INTO user_group (user_id, group_id, role) VALUES (%s, %s, 'Developer') "
              "RETURNING user_id", (ids["bob"], team))
        conn_id = credentials_written_by_the_server(srv, person, team)
        queue = create_queue(srv, team, "etl", f"{team}-etl")
        slug = f"{team}-etl"
        transfer = create_transfer(srv, team, "nightly", conn_id, conn_id, queue)
        owner_change(srv, admin, ids)
        stop_of_a_queued_run(srv, admin, transfer, slug)
        conflicts_and_unknown_users(srv, ids, team, conn_id, queue, transfer)
        deployment(srv, admin)
        one_dispatcher_one_scheduler(srv, admin, team, conn_id, queue, slug)
        cascades(srv, person, ids)
        runs_without_credentials(srv, team, queue)
        srv.close()
        person.close()
    finally:
        teardown(admin)
    print(f"1..{len(results)}")
    return 0 if all(results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
