#!/usr/bin/python3
"""A pg_syncmaster worker, as a deployment would run one (here it moves no data: it sleeps).

It connects as a syncmaster_service member with no acting user (the system), LISTENs on
syncmaster_runs instead of polling, claims runs from its queues with claim_run(), reads the
credentials of both connections (connection_credentials(), audited), renews its lease with
heartbeat_run() while it works, honours a stop request (finish_run(..., 'STOPPED')), and
finishes the run FINISHED, or FAILED with the error.

    /usr/bin/python3 demo/worker.py --queue 1-nightly_etl --name worker-1 [--work 2] [--heartbeat 0.5]

Connection settings come from the usual PG* environment variables (PGHOST, PGPORT, PGUSER,
PGDATABASE). Each claim, heartbeat and finish is its own transaction, so a worker that dies leaves
its run STARTED with a lease that runs out: reap_stale_runs() then fails it.
"""
import argparse
import json
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queue", required=True, help="the slug of the queue to serve")
    parser.add_argument("--name", default="worker", help="this worker's name, kept on its runs")
    parser.add_argument("--work", type=float, default=2.0, help="seconds each run takes")
    parser.add_argument("--heartbeat", type=float, default=0.5, help="seconds between heartbeats")
    parser.add_argument("--max-runs", type=int, default=0, help="exit after this many runs (0: never)")
    parser.add_argument("--idle-exit", type=float, default=0, help="exit after this many idle seconds (0: never)")
    args = parser.parse_args()

    conn = psycopg2.connect("", application_name=f"syncmaster-worker {args.name}")
    conn.set_isolation_level(psycopg2.extensions.ISOLATION_LEVEL_AUTOCOMMIT)
    with conn.cursor() as cur:
        cur.execute("LISTEN syncmaster_runs")
    log(args.name, f"serving queue {args.queue}")
    done = 0
    idle_since = time.monotonic()
    while args.max_runs == 0 or done < args.max_runs:
        run = claim(conn, args.queue, args.name)
        if run is None:
            if args.idle_exit and time.monotonic() - idle_since > args.idle_exit:
                break
            # Nothing free: wait for news of a new run on this queue (or check again in 5 s).
            if select.select([conn], [], [], 5) != ([], [], []):
                conn.poll()
                for note in conn.notifies:
                    event = json.loads(note.payload)
                    if event["queue"] == args.queue and event["status"] == "CREATED":
                        log(args.name, f"woken by NOTIFY: run {event['run_id']} ({event['type']})")
                conn.notifies.clear()
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
