"""Load for the high-availability test (test/ha/failover.pl): a worker that starts a run, claims
it and finishes it, over and over, through a connection string naming every node
(target_session_attrs=read-write: whichever is the primary). It writes a line to its log for
each step the server acknowledged ("created N", "claimed N", "finished N"), flushed at once, and
nothing for a step whose answer never came; when the connection breaks it reconnects and goes on.
It stops when the file named by --stop exists.

Arguments: --dsn, --transfer (id), --queue (slug), --name (the worker's), --log, --stop.
"""
import argparse
import os
import time

import psycopg2


def main():
    parser = argparse.ArgumentParser()
    for arg in ("--dsn", "--transfer", "--queue", "--name", "--log", "--stop"):
        parser.add_argument(arg, required=True)
    args = parser.parse_args()
    log = open(args.log, "a", buffering=1)
    conn = None
    while not os.path.exists(args.stop):
        try:
            if conn is None:
                conn = psycopg2.connect(args.dsn)
                conn.autocommit = True
            cur = conn.cursor()
            cur.execute("SELECT syncmaster.start_run(%s)", (args.transfer,))
            log.write("created %d\n" % cur.fetchone()[0])
            cur.execute("SELECT id FROM syncmaster.claim_run(%s, %s)", (args.queue, args.name))
            row = cur.fetchone()
            if row is None:
                continue
            log.write("claimed %d\n" % row[0])
            cur.execute("SELECT syncmaster.finish_run(%s, 'FINISHED')", (row[0],))
            log.write("finished %d\n" % row[0])
        except psycopg2.Error:
            if conn is not None:
                try:
                    conn.close()
                except psycopg2.Error:
                    pass
            conn = None
            time.sleep(0.2)


if __name__ == "__main__":
    main()
