-- ./sandbox demo: the story of pg_syncmaster so far. Run by psql against the sandbox database,
-- where the extension was installed with CREATE EXTENSION pg_syncmaster CASCADE.
\set QUIET on
\pset footer off
\set SHOW_CONTEXT never

-- Prints how a statement was refused, or fails the demo if it was not.
CREATE FUNCTION pg_temp.refused(statement text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    code text; message text; detail text;
BEGIN
    EXECUTE statement;
    RAISE EXCEPTION 'the demo expected this to be refused: %', statement;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS code = RETURNED_SQLSTATE, message = MESSAGE_TEXT, detail = PG_EXCEPTION_DETAIL;
    IF message LIKE 'the demo expected%' THEN RAISE; END IF;
    RETURN format('refused, %s: %s%s', code, message, coalesce(nullif(' (' || detail || ')', ' ()'), ''));
END
$$;

\echo
\echo '1. One CREATE EXTENSION made the schema syncmaster: SyncMaster''s eight tables, each behind'
\echo '   row-level security, kept by C++ triggers.'
SELECT c.relname AS "table",
       (SELECT count(*) FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0
          AND NOT a.attisdropped) AS columns,
       c.relrowsecurity AS rls,
       (SELECT string_agg(t.tgname, ', ' ORDER BY t.tgname) FROM pg_trigger t
        WHERE t.tgrelid = c.oid AND NOT t.tgisinternal) AS triggers,
       obj_description(c.oid) AS purpose
FROM pg_class c WHERE c.relnamespace = 'syncmaster'::regnamespace AND c.relkind = 'r'
ORDER BY c.oid;

\echo
\echo '2. Who is acting? We connected as a PostgreSQL superuser: that is the system.'
SELECT * FROM syncmaster.whoami();

\echo
\echo '3. The system creates the people. Each gets a PostgreSQL role of the same name in'
\echo '   syncmaster_user; the web portal gets a role in syncmaster_service.'
CREATE ROLE ada IN ROLE syncmaster_user;
CREATE ROLE grace IN ROLE syncmaster_user;
CREATE ROLE linus IN ROLE syncmaster_user;
CREATE ROLE mallory IN ROLE syncmaster_user;
CREATE ROLE portal IN ROLE syncmaster_service;
SELECT syncmaster.create_user('ada', email => 'ada@example.com', first_name => 'Ada', is_superuser => true) AS ada,
       syncmaster.create_user('grace', email => 'grace@example.com', first_name => 'Grace') AS grace,
       syncmaster.create_user('linus', first_name => 'Linus', is_active => false) AS linus;
SELECT id, username, email, is_superuser, is_active FROM syncmaster."user" ORDER BY id;

\echo
\echo '4. A role acts as the user of its name.'
SET ROLE grace;
SELECT * FROM syncmaster.whoami();
\echo '   Grace is no superuser: creating a user is refused, through the API and through INSERT.'
SELECT pg_temp.refused($$ SELECT syncmaster.create_user('eve') $$) AS "create_user('eve')";
SELECT pg_temp.refused($$ INSERT INTO syncmaster."user" (username) VALUES ('eve') $$) AS "INSERT eve";
\echo '   She cannot impersonate Ada either: only syncmaster_service may name an acting user.'
SELECT pg_temp.refused($$ SET syncmaster.acting_user = 'ada' $$) AS "SET syncmaster.acting_user = 'ada'";
SELECT username AS "still acting as" FROM syncmaster.whoami();
RESET ROLE;

\echo
\echo '5. Ada is a syncmaster superuser: she may create users.'
SET ROLE ada;
SELECT * FROM syncmaster.whoami();
SELECT syncmaster.create_user('margaret', email => 'margaret@example.com') AS margaret;
RESET ROLE;

\echo
\echo '6. Linus is inactive, and mallory has a role but no user: neither gets in.'
SET ROLE linus;
SELECT pg_temp.refused($$ SELECT syncmaster.whoami() $$) AS linus;
RESET ROLE;
SET ROLE mallory;
SELECT pg_temp.refused($$ SELECT syncmaster.whoami() $$) AS mallory;
RESET ROLE;

\echo
\echo '7. The portal authenticates people itself and says whom it acts for; naming nobody, it is'
\echo '   the system (as a worker would be).'
SET ROLE portal;
SELECT * FROM syncmaster.whoami();
SET syncmaster.acting_user = 'grace';
SELECT * FROM syncmaster.whoami();
\echo '   If the portal hands its session to a plain role, the acting user no longer counts.'
RESET ROLE;
GRANT mallory TO portal;
SET ROLE portal;
SET syncmaster.acting_user = 'ada';
SET ROLE mallory;
SELECT pg_temp.refused($$ SELECT syncmaster.whoami() $$) AS "mallory with the portal's acting user";
RESET ROLE;
RESET syncmaster.acting_user;

\echo
\echo '8. Usernames are unique; a refused statement changes nothing.'
SELECT pg_temp.refused($$ SELECT syncmaster.create_user('grace') $$) AS "create_user('grace')";
SELECT count(*) AS users FROM syncmaster."user";

\echo
\echo 'Groups, connections, queues, transfers and runs come next; see README.md.'
