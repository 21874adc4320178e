-- Error texts reach every client intact: a message longer than the error boundary carries is cut
-- before the character that does not fit, never inside it, so a LATIN1 client gets the real error
-- (22023) and not a conversion failure (22021) of a half character.
\set VERBOSITY sqlstate
CREATE EXTENSION pg_syncmaster CASCADE;
SET client_encoding = 'LATIN1';
SELECT syncmaster.authorize(repeat('é', 600), 'read', 1);
SELECT syncmaster.authorize(repeat('é', 601), 'read', 1);
RESET client_encoding;
\set VERBOSITY default
SELECT syncmaster.authorize('unknown', 'read', 1);
DROP EXTENSION pg_syncmaster;
