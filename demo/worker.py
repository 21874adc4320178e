#!/usr/bin/python3
"""A pg_syncmaster worker, as a deployment would run one (here it moves no data: it sleeps).

It connects as a syncmaster_service member (the system, which names no user), waits for work
on the channel syncmaster_runs (or polls), claims runs from its queue with claim_run(), reads the
credentials of both connections (connection_credentials(), audited), renews its lease with
heartbeat_run() while it works, honours a stop request (finish_run(..., 'STOPPED')), and
finishes the run FINISHED, or FAILED with the error.

    /usr/bin/python3 demo/worker.py --queue 1-nightly_etl --name worker-1 [--work 2] [--heartbeat 0.5]

Connection settings come from the usual PG* environment variables (PGHOST, PGPORT, PGUSER,
PGDATABASE). Each claim, heartbeat and finish is its own transaction, so a worker that dies leaves
its run STARTED with a lease that runs out: reap_stale_runs() then fails it; and so the worker can
work through a transaction pooler (PgBouncer's pool_mode = transaction). LISTEN cannot: a pooler
gives each transaction whichever server session is free, and notifications go to the session that
listened. Behind such a pooler, give --listen-dsn a direct (or session-pooled) connection to
listen on, or --no-listen to poll every --poll seconds instead.

A notification is only a hint that there may be work: the worker claims and believes what
claim_run() returns, never the payload, and goes on whatever a payload holds.
"""
import argparse
import select
import sys
import time

import psycopg2
import psycopg2.extensions


def log(name, message):
    print(f"[{name}] {message}", flush=True)


def claim(conn, queue, name):
    with conn.cursor() as cur:
        cur.execute("SELECT id, transfer_id, transfer_dump FROM syncmaster.claim_run(%s, %s)",
                    (queue, name))
        return cur.fetchone()


def credentials(conn, dump):
    """Both connections' credentials, secrets included: what the data movers would need."""
    found = {}
    with conn.cursor() as cur:
        for side in ("source_connection", "target_connection"):
            cur.execute("SELECT syncmaster.connection_credentials(%s)", (dump[side]["id"],))
            found[side] = cur.fetchone()[0]
    return found


def heartbeat(conn, run_id):
    with conn.cursor() as cur:
        cur.execute("SELECT syncmaster.heartbeat_run(%s)", (run_id,))
        return cur.fetchone()[0]


def finish(conn, run_id, status):
    with conn.cursor() as cur:
        cur.execute("SELECT syncmaster.finish_run(%s, %s)", (run_id, status))


def work(conn, name, run_id, dump, seconds, beat):
    """Pretends to move the data for `seconds`, renewing the lease every `beat` seconds; returns
    the status to finish with."""
    creds = credentials(conn, dump)
    log(name, f"run {run_id}: {dump['name']} with credentials of "
              f"{', '.join(c['type'] for c in creds.values())} ready")
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(min(beat, max(0.0, deadline - time.monotonic())))
        if heartbeat(conn, run_id):
            log(name, f"run {run_id}: asked to stop")
            return "STOPPED"
    return "FINISHED"


def describe(payload):
    """What the log says of a notification. pg_syncmaster sends none but an empty one, a hint
    that there may be work; anyone may NOTIFY the channel, so a payload is never read, only
    shown."""
    if payload == "":
        return "woken by NOTIFY"
    return f"woken by NOTIFY (payload ignored: {payload[:80]!r})"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queue", required=True, help="the slug of the queue to serve")
    parser.add_argument("--name", default="worker", help="this worker's name, kept on its runs")
    parser.add_argument("--work", type=float, default=2.0, help="seconds each run takes")
    parser.add_argument("--heartbeat", type=float, default=0.5, help="seconds between heartbeats")
    parser.add_argument("--max-runs", type=int, default=0, help="exit after this many runs (0: never)")
    parser.add_argument("--idle-exit", type=float, default=0, help="exit after this many idle seconds (0: never)")
    parser.add_argument("--poll", type=float, default=5.0,
                        help="seconds to wait for a notification before claiming again")
    parser.add_argument("--listen-dsn", default=None,
                        help="connection to LISTEN on (default: the work connection); behind a "
                             "transaction pooler, a direct or session-pooled one")
    parser.add_argument("--no-listen", action="store_true",
                        help="do not LISTEN: claim every --poll seconds")
    args = parser.parse_args()

    conn = psycopg2.connect("", application_name=f"syncmaster-worker {args.name}")
    conn.set_isolation_level(psycopg2.extensions.ISOLATION_LEVEL_AUTOCOMMIT)
    listener = None
    if not args.no_listen:
        listener = conn
        if args.listen_dsn is not None:
            listener = psycopg2.connect(args.listen_dsn,
                                        application_name=f"syncmaster-worker {args.name} (listen)")
            listener.set_isolation_level(psycopg2.extensions.ISOLATION_LEVEL_AUTOCOMMIT)
        with listener.cursor() as cur:
            cur.execute("LISTEN syncmaster_runs")
    log(args.name, f"serving queue {args.queue}" + ("" if listener else f", polling every {args.poll} s"))
    done = 0
    idle_since = time.monotonic()
    while args.max_runs == 0 or done < args.max_runs:
        run = claim(conn, args.queue, args.name)
        if run is None:
            if args.idle_exit and time.monotonic() - idle_since > args.idle_exit:
                break
            # Nothing free: wait for news of a new run (or check again after --poll seconds).
            if listener is None:
                time.sleep(args.poll)
            elif select.select([listener], [], [], args.poll) != ([], [], []):
                listener.poll()
                for note in listener.notifies:
                    log(args.name, describe(note.payload))
                listener.notifies.clear()
            continue
        run_id, transfer_id, dump = run
        log(args.name, f"claimed run {run_id} of transfer {transfer_id}")
        try:
            status = work(conn, args.name, run_id, dump, args.work, args.heartbeat)
        except psycopg2.Error as error:
            log(args.name, f"run {run_id}: {error.pgerror or error}")
            status = "FAILED"
        finish(conn, run_id, status)
        log(args.name, f"run {run_id}: {status}")
        done += 1
        idle_since = time.monotonic()
    conn.close()
    if listener is not None and listener is not conn:
        listener.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
