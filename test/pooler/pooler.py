#!/usr/bin/python3
"""Identity behind a transaction pooler, through a real driver (psycopg2) and PgBouncer.

PgBouncer in pool_mode = transaction with one server session per database and role hands each
transaction of every client to the same server session, one after the other: whatever a client
leaves on that session (a SET) is there for the next client's transaction. An application role
(syncmaster_app) must act only for the user it names in its own transaction, and never as the
system; a worker (syncmaster_service) must claim and finish runs through the pooler. Prints TAP.

Environment: POOLER_HOST/POOLER_PORT (PgBouncer), PGHOST/PGPORT (the server, as a superuser, for
the fixture and the checks), PGDATABASE, SYNCMASTER_ROOT (for demo/worker.py).
"""
import os
import subprocess
import sys
import threading
import time

import psycopg2
import psycopg2.errors

DB = os.environ["PGDATABASE"]
POOLER = dict(host=os.environ["POOLER_HOST"], port=os.environ["POOLER_PORT"], dbname=DB)
DIRECT = dict(host=os.environ["PGHOST"], port=os.environ["PGPORT"], dbname=DB)
ROOT = os.environ["SYNCMASTER_ROOT"]

results = []


def check(ok, description, diagnostic=None):
    results.append(bool(ok))
    print(f"{'ok' if ok else 'not ok'} {len(results)} - {description}", flush=True)
    if not ok and diagnostic is not None:
        print(f"# {diagnostic}", flush=True)


def connect(where, user, autocommit=True):
    conn = psycopg2.connect(user=user, **where)
    conn.autocommit = autocommit
    return conn


def run(conn, sql, args=None):
    """The statement's rows, or the refusal as (SQLSTATE, message)."""
    try:
        with conn.cursor() as cur:
            cur.execute(sql, args)
            return cur.fetchall() if cur.description else []
    except psycopg2.Error as e:
        if not conn.autocommit:
            conn.rollback()
        return (e.pgcode, e.diag.message_primary)


NOT_AUTHENTICATED = ("28000", "Not authenticated")


def as_user(conn, username, sql, args=None):
    """The pattern README gives an application: one transaction, the user named in it."""
    saved = conn.autocommit
    conn.autocommit = False
    try:
        with conn:  # commits, or rolls back on error
            with conn.cursor() as cur:
                cur.execute("SELECT set_config('syncmaster.acting_user', %s, true)", (username,))
                cur.execute(sql, args)
                return cur.fetchall() if cur.description else []
    except psycopg2.Error as e:
        return (e.pgcode, e.diag.message_primary)
    finally:
        conn.autocommit = saved


WHOAMI = "SELECT username FROM syncmaster.whoami()"
CREATE_USER = "SELECT syncmaster.create_user('pool_intruder')"
INSERT_USER = "INSERT INTO syncmaster.\"user\" (username) VALUES ('pool_intruder')"


def setup(admin):
    run(admin, """
        CREATE ROLE pool_app LOGIN IN ROLE syncmaster_app;
        CREATE ROLE pool_worker LOGIN IN ROLE syncmaster_service;
        CREATE ROLE pool_grace LOGIN IN ROLE syncmaster_user;
        CREATE ROLE pool_barbara LOGIN IN ROLE syncmaster_user;
    """)
    with admin.cursor() as cur:
        cur.execute("SELECT syncmaster.create_user('pool_grace'), syncmaster.create_user('pool_barbara')")
        grace, _ = cur.fetchone()
        cur.execute("SELECT syncmaster.create_group('pool_team', owner_id => %s)", (grace,))
        team = cur.fetchone()[0]
        cur.execute("""SELECT syncmaster.create_connection(%s, 'pool_pg', 'postgres',
                         '{"host": "h", "database_name": "d"}',
                         '{"type": "basic", "user": "u", "password": "p"}')""", (team,))
        pg = cur.fetchone()[0]
        cur.execute("SELECT syncmaster.create_queue(%s, 'pool queue')", (team,))
        queue = cur.fetchone()[0]
        cur.execute("""SELECT syncmaster.create_transfer(%s, 'pool_transfer', %s, %s, %s,
                         '{"type": "postgres", "table_name": "a.b"}',
                         '{"type": "postgres", "table_name": "a.c"}')""", (team, pg, pg, queue))
        transfer = cur.fetchone()[0]
        cur.execute("SELECT slug FROM syncmaster.queue WHERE id = %s", (queue,))
        return transfer, cur.fetchone()[0], pg


def teardown(admin):
    run(admin, """
        DELETE FROM syncmaster."group" WHERE name = 'pool_team';
        DELETE FROM syncmaster."user" WHERE username IN ('pool_grace', 'pool_barbara');
        DROP ROLE pool_app, pool_worker, pool_grace, pool_barbara;
    """)


def identities(admin):
    a = connect(POOLER, "pool_app", autocommit=False)
    b = connect(POOLER, "pool_app", autocommit=False)
    pid_a = run(a, "SELECT pg_backend_pid()")
    a.rollback()
    pid_b = run(b, "SELECT pg_backend_pid()")
    b.rollback()
    check(pid_a == pid_b, "two application clients share one server session through PgBouncer",
          f"{pid_a} {pid_b}")

    # Client A sets its user for the session, as if the pooler were not there.
    a.autocommit = True
    b.autocommit = True
    run(a, "SET syncmaster.acting_user = 'pool_grace'")
    check(as_user(b, "pool_barbara", WHOAMI) == [("pool_barbara",)],
          "client B, naming barbara in its transaction, acts as barbara")
    check(run(a, WHOAMI) == NOT_AUTHENTICATED,
          "client A's session SET does not count in its next transaction: 28000",
          run(a, WHOAMI))
    check(run(b, WHOAMI) == NOT_AUTHENTICATED,
          "nor in client B's, on the same server session: 28000")

    c = connect(POOLER, "pool_app")
    check(run(c, CREATE_USER) == NOT_AUTHENTICATED,
          "a client that set nothing cannot create a user through the API: 28000")
    check(run(c, INSERT_USER) == NOT_AUTHENTICATED,
          "nor by INSERT: 28000")

    run(b, "RESET syncmaster.acting_user")
    check(run(a, CREATE_USER) == NOT_AUTHENTICATED,
          "after another client's RESET, client A is nobody, not the system: 28000")
    check(run(a, "SET LOCAL syncmaster.acting_user = 'pool_grace'") == [] and
          run(a, CREATE_USER) == NOT_AUTHENTICATED,
          "an autocommit SET LOCAL names nobody for the next statement: 28000")

    # Two clients at once, each naming itself in every transaction, through one server session.
    seen = {"pool_grace": set(), "pool_barbara": set()}

    def client(username):
        conn = connect(POOLER, "pool_app", autocommit=False)
        for _ in range(200):
            seen[username].add(tuple(as_user(conn, username, WHOAMI)))
        conn.close()

    threads = [threading.Thread(target=client, args=(u,)) for u in seen]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check(seen == {"pool_grace": {(("pool_grace",),)}, "pool_barbara": {(("pool_barbara",),)}},
          "two clients interleaving 200 transactions each act only as themselves", seen)

    # A default of the role (ALTER ROLE ... SET) is not a transaction's: it counts for nothing.
    run(admin, "ALTER ROLE pool_app SET syncmaster.acting_user = 'pool_grace'")
    direct = connect(DIRECT, "pool_app")
    shown = run(direct, "SHOW syncmaster.acting_user")
    check(shown == [("pool_grace",)] and run(direct, WHOAMI) == NOT_AUTHENTICATED,
          "a role default of syncmaster.acting_user acts as nobody: 28000", shown)
    direct.close()
    run(admin, "ALTER ROLE pool_app RESET syncmaster.acting_user")

    # Each refusal above is the driver's error, with its SQLSTATE and message.
    try:
        with c.cursor() as cur:
            cur.execute(CREATE_USER)
        check(False, "the driver raises 28000")
    except psycopg2.Error as e:
        check(isinstance(e, psycopg2.errors.InvalidAuthorizationSpecification) and
              e.diag.message_detail.startswith("A member of syncmaster_app acts only for"),
              "psycopg2 raises InvalidAuthorizationSpecification with the detail", e.diag.message_detail)

    intruders = run(admin, "SELECT count(*) FROM syncmaster.\"user\" WHERE username = 'pool_intruder'")
    check(intruders == [(0,)], "no user was created by any of it", intruders)
    for conn in (a, b, c):
        conn.close()


def wait_for(path, text, count=1, seconds=60):
    """Waits until a log holds `text` `count` times (never a fixed sleep: a slow machine only
    takes longer)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with open(path) as f:
            if f.read().count(text) >= count:
                return True
        time.sleep(0.05)
    return False


def worker(admin, transfer, slug, name, extra, before_runs=None, until=None):
    """Starts a worker through the pooler, gives it two runs, and waits for them to finish (and,
    with `until`, for that text in its log; then the worker is stopped)."""
    env = dict(os.environ, PGHOST=POOLER["host"], PGPORT=str(POOLER["port"]), PGUSER="pool_worker")
    log = open(os.path.join(os.environ["POOLER_DIR"], f"{name}.log"), "w+")
    proc = subprocess.Popen([sys.executable, os.path.join(ROOT, "demo", "worker.py"), "--queue", slug,
                             "--name", name, "--work", "0.3", "--heartbeat", "0.1", "--max-runs", "2"]
                            + extra, env=env, stdout=log, stderr=subprocess.STDOUT)
    log.flush()
    wait_for(log.name, "serving queue")  # its LISTEN is done
    if before_runs is not None:
        before_runs(log.name)
    runs = [run(admin, "SELECT syncmaster.start_run(%s)", (transfer,))[0][0] for _ in range(2)]
    try:
        if until is None:
            proc.wait(timeout=60)
        else:
            wait_for(log.name, "FINISHED", 2)
            wait_for(log.name, until)
            proc.kill()
            proc.wait()
    except subprocess.TimeoutExpired:
        proc.kill()
    log.seek(0)
    output = log.read()
    statuses = run(admin, "SELECT status, worker FROM syncmaster.run WHERE id = ANY(%s) ORDER BY id",
                   (runs,))
    return runs, statuses, output


def workers(admin, transfer, slug, connection):
    runs, statuses, output = worker(admin, transfer, slug, "pooled-poller", ["--no-listen", "--poll", "0.2"])
    check(statuses == [("FINISHED", "pooled-poller")] * 2,
          "a polling worker claims and finishes its runs through the pooler", f"{statuses}\n{output}")
    direct = f"host={DIRECT['host']} port={DIRECT['port']} dbname={DB} user=pool_worker"
    def junk(log_path):
        """Any role may NOTIFY the channel: what it sends wakes the worker and is not believed."""
        outsider = connect(POOLER, "pool_app")
        for payload in ("not json", "{}", '{"queue": "x", "status": "CREATED", "run_id": -1}'):
            run(outsider, "SELECT pg_notify('syncmaster_runs', %s)", (payload,))
        outsider.close()
        wait_for(log_path, "payload ignored", 3)

    # The notification of the new runs is read when the worker next waits: at once if it was
    # waiting, or, if a junk notification had it claiming the runs already, once they are done
    # (hence a third run it waits for, which never comes).
    runs, statuses, output = worker(admin, transfer, slug, "pooled-listener",
                                    ["--listen-dsn", direct, "--poll", "30", "--max-runs", "3"], junk,
                                    until="[pooled-listener] woken by NOTIFY\n")
    # Only pg_syncmaster sends an empty payload: that line is a new run's notification arriving.
    check(statuses == [("FINISHED", "pooled-listener")] * 2 and
          "[pooled-listener] woken by NOTIFY\n" in output,
          "a worker working through the pooler and listening on a direct session is woken by NOTIFY",
          f"{statuses}\n{output}")
    check(output.count("payload ignored") == 3,
          "another role's notifications, whatever their payload, only wake it", output)
    audited = run(admin, """SELECT count(*) FROM syncmaster.credential_access
                             WHERE connection_id = %s AND session_role = 'pool_worker'""", (connection,))
    check(audited == [(8,)], "its credential reads through the pooler are audited", audited)


def main():
    admin = connect(DIRECT, os.environ.get("PGUSER", "postgres"))
    transfer, slug, connection = setup(admin)
    try:
        identities(admin)
        workers(admin, transfer, slug, connection)
    finally:
        teardown(admin)
    print(f"1..{len(results)}")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
