-- pg_syncmaster (the version in pg_syncmaster.control): the schema of SyncMaster's control plane, with its rules in the database.
--
-- Conventions (DESIGN §5): SyncMaster's table, column and constraint names (pk__t, uq__t__cols,
-- fk__t__col__ref, ix__t__cols, ck__t__name); JSON as jsonb, times as timestamptz; every id a
-- bigint identity. Every object is schema-qualified. The script creates and owns the schema
-- syncmaster, so DROP EXTENSION removes it with everything in it.
--
-- This script is built from src/sql/NN_<entity>.sql by the Makefile, in name order: this part
-- holds what the entities share; each entity's part holds its table, indexes, triggers, policy,
-- pg_dump registration, grants and API functions.
--
-- Each table has one rules trigger, a C++ function over the entity's rules in src/core/<entity>,
-- deciding every INSERT, UPDATE and DELETE (permission, validation, invariants). PostgreSQL fires
-- the BEFORE ROW triggers of one event in name order: rules, then search_vector, then
-- updated_at, so a refused row costs no search vector. Reads go through row-level security:
-- every policy is set-based ((SELECT f()) is an InitPlan, run once per statement, and resolves the
-- acting user, so an unknown or inactive one is refused); the resources' policies are one
-- `group_id = ANY (array)` condition, which the index on group_id serves even when the query names
-- no group (visible_group_ids() lists every group for those who see all). (`= ANY ((SELECT f()))`
-- would parse as ANY (subquery) and compare a bigint with a bigint[]: the cast makes it the array
-- form.) Writes pass the policies (WITH CHECK (true)): the rules triggers decide them.

\echo Use "CREATE EXTENSION pg_syncmaster CASCADE" to load this file. \quit

CREATE SCHEMA syncmaster;
COMMENT ON SCHEMA syncmaster IS 'pg_syncmaster: users, groups, connections, queues, transfers and runs';

-- Roles (DESIGN §4). Roles are cluster-wide and outlive DROP EXTENSION; they are created only if
-- they do not exist yet, so a second database or a re-install reuses them.
DO $roles$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'syncmaster_user') THEN
        CREATE ROLE syncmaster_user NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'syncmaster_service') THEN
        CREATE ROLE syncmaster_service NOLOGIN;
    END IF;
    IF NOT pg_catalog.pg_has_role('syncmaster_service', 'syncmaster_user', 'MEMBER') THEN
        GRANT syncmaster_user TO syncmaster_service;
    END IF;
END
$roles$;

-- Only syncmaster_service members may impersonate a user (DESIGN §4 rule 1). The setting is
-- superuser-only in the library; this grant, like the roles, is cluster-wide and outlives
-- DROP EXTENSION.
GRANT SET ON PARAMETER syncmaster.acting_user TO syncmaster_service;

GRANT USAGE ON SCHEMA syncmaster TO syncmaster_user;

-- Trigger functions shared by the tables.

CREATE FUNCTION syncmaster.touch_updated_at() RETURNS trigger
    LANGUAGE c AS 'MODULE_PATHNAME', 'syncmaster_touch_updated_at';
COMMENT ON FUNCTION syncmaster.touch_updated_at() IS 'Sets updated_at = now() on every UPDATE';

CREATE FUNCTION syncmaster.search_vector() RETURNS trigger
    LANGUAGE c AS 'MODULE_PATHNAME', 'syncmaster_search_vector';
COMMENT ON FUNCTION syncmaster.search_vector() IS
    'Keeps search_vector (SyncMaster''s formula), recomputed only when its sources change (argument: the entity)';
REVOKE ALL ON FUNCTION syncmaster.touch_updated_at(), syncmaster.search_vector() FROM PUBLIC;

------------------------------------------------------------------------------------------------
-- Identity (DESIGN §4) and permissions (§7.1): C++ functions. The policies below call the last two
-- once per statement, as InitPlans: never a function of a row's columns.
------------------------------------------------------------------------------------------------
CREATE FUNCTION syncmaster.current_user_id() RETURNS bigint
    LANGUAGE c STABLE PARALLEL RESTRICTED
    AS 'MODULE_PATHNAME', 'syncmaster_current_user_id';
COMMENT ON FUNCTION syncmaster.current_user_id() IS
    'The acting user''s id (NULL for the system); 28000 Not authenticated, 42501 Inactive user';

CREATE FUNCTION syncmaster.whoami(OUT id bigint, OUT username text, OUT is_superuser boolean)
    RETURNS record
    LANGUAGE c STABLE PARALLEL RESTRICTED
    AS 'MODULE_PATHNAME', 'syncmaster_whoami';
COMMENT ON FUNCTION syncmaster.whoami() IS
    'The acting user: (id, username, is_superuser); (NULL, NULL, true) for the system';

CREATE FUNCTION syncmaster.authorize(entity text, action text, group_id bigint,
                                     target_user_id bigint DEFAULT NULL) RETURNS void
    LANGUAGE c STABLE PARALLEL RESTRICTED
    AS 'MODULE_PATHNAME', 'syncmaster_authorize';
COMMENT ON FUNCTION syncmaster.authorize(text, text, bigint, bigint) IS
    'Raises the error the acting user gets for this action (read/create/update/delete) on this entity (group, membership, connection, queue, transfer, run) in this group, or returns';

CREATE FUNCTION syncmaster.sees_all_groups() RETURNS boolean
    LANGUAGE c STABLE PARALLEL RESTRICTED
    AS 'MODULE_PATHNAME', 'syncmaster_sees_all_groups';
COMMENT ON FUNCTION syncmaster.sees_all_groups() IS
    'Whether the acting user sees every group: the system and superusers';

CREATE FUNCTION syncmaster.visible_group_ids() RETURNS bigint[]
    LANGUAGE c STABLE PARALLEL RESTRICTED
    AS 'MODULE_PATHNAME', 'syncmaster_visible_group_ids';
COMMENT ON FUNCTION syncmaster.visible_group_ids() IS
    'The groups the acting user reads: every group for the system and superusers, else those it owns or is a member of';

------------------------------------------------------------------------------------------------
-- Search (DESIGN §11): SyncMaster's query from free text.
------------------------------------------------------------------------------------------------
CREATE FUNCTION syncmaster.search_query(query text) RETURNS tsquery
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'syncmaster_search_query';
COMMENT ON FUNCTION syncmaster.search_query(text) IS
    'SyncMaster''s search: the words as an AND, as prefixes, split further as prefixes, ORed, or plainto_tsquery(''russian'', query); only punctuation matches nothing';

------------------------------------------------------------------------------------------------
-- Pagination of the list functions: page >= 1, page_size 1..50 (SyncMaster's bounds).
------------------------------------------------------------------------------------------------
CREATE FUNCTION syncmaster.check_page(page integer, page_size integer) RETURNS void
    LANGUAGE plpgsql IMMUTABLE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF page IS NULL OR page < 1 THEN
        RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
            MESSAGE = 'page should be greater than 0', DETAIL = format('Got %s.', page);
    END IF;
    IF page_size IS NULL OR page_size < 1 OR page_size > 50 THEN
        RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
            MESSAGE = 'page_size should be between 1 and 50', DETAIL = format('Got %s.', page_size);
    END IF;
END
$$;

------------------------------------------------------------------------------------------------
-- The bounds of the text the API takes (core/fields: names, descriptions, usernames, search),
-- checked before any row is written: a value too long for its varchar column would otherwise be
-- refused with the column's raw 22001 before any trigger runs. 22023 naming the field.
------------------------------------------------------------------------------------------------
CREATE FUNCTION syncmaster.check_input(entity text, field text, value text) RETURNS void
    LANGUAGE c IMMUTABLE PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'syncmaster_check_input';
COMMENT ON FUNCTION syncmaster.check_input(text, text, text) IS
    'Raises 22023 naming the field when value is outside the bounds of entity.field (user username/email/first_name/last_name/middle_name, group/connection/queue name/description, connection type, membership role, list search)';

GRANT EXECUTE ON FUNCTION
    syncmaster.current_user_id(),
    syncmaster.whoami(),
    syncmaster.authorize(text, text, bigint, bigint),
    syncmaster.sees_all_groups(),
    syncmaster.visible_group_ids(),
    syncmaster.search_query(text),
    syncmaster.check_page(integer, integer),
    syncmaster.check_input(text, text, text)
    TO syncmaster_user;
------------------------------------------------------------------------------------------------
-- "user": the people who act. A PostgreSQL role acts as the user of the same username; a
-- syncmaster_service member acts for the user named by syncmaster.acting_user.
------------------------------------------------------------------------------------------------
CREATE TABLE syncmaster."user" (
    id bigint GENERATED BY DEFAULT AS IDENTITY,
    username varchar(256) NOT NULL,
    email varchar(256),
    first_name varchar(256),
    last_name varchar(256),
    middle_name varchar(256),
    is_superuser boolean NOT NULL DEFAULT false,
    is_active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk__user PRIMARY KEY (id),
    CONSTRAINT ck__user__username CHECK (username <> '')
);
-- SyncMaster keeps usernames unique through this index (no separate constraint); identity
-- lookups read it directly.
COMMENT ON TABLE syncmaster."user" IS
    'People who act: a PostgreSQL role acts as the user of the same username';
CREATE UNIQUE INDEX ix__user__username ON syncmaster."user" (username);
-- list_users searches by trigram similarity. (While CREATE EXTENSION runs, the search_path holds
-- the schemas of the required extensions: the operator class is pg_trgm's wherever it lives.)
CREATE INDEX ix__user__username_trgm ON syncmaster."user" USING gin (username gin_trgm_ops);

CREATE FUNCTION syncmaster.user_rules() RETURNS trigger
    LANGUAGE c AS 'MODULE_PATHNAME', 'syncmaster_user_rules';
COMMENT ON FUNCTION syncmaster.user_rules() IS
    'The rules of users (core/user): superusers create, rename, promote, deactivate and delete; users edit their own names; usernames fit a login role';
CREATE TRIGGER rules BEFORE INSERT OR UPDATE OR DELETE ON syncmaster."user"
    FOR EACH ROW EXECUTE FUNCTION syncmaster.user_rules();
CREATE TRIGGER updated_at BEFORE UPDATE ON syncmaster."user"
    FOR EACH ROW EXECUTE FUNCTION syncmaster.touch_updated_at();

SELECT pg_catalog.pg_extension_config_dump('syncmaster."user"', '');
SELECT pg_catalog.pg_extension_config_dump('syncmaster.user_id_seq', '');

ALTER TABLE syncmaster."user" ENABLE ROW LEVEL SECURITY;
CREATE POLICY visible ON syncmaster."user"
    USING ((SELECT syncmaster.sees_all_groups()) OR is_active)
    WITH CHECK (true);

------------------------------------------------------------------------------------------------
-- Users API (DESIGN §8).
------------------------------------------------------------------------------------------------
CREATE FUNCTION syncmaster.create_user(
    username varchar,
    email varchar DEFAULT NULL,
    first_name varchar DEFAULT NULL,
    last_name varchar DEFAULT NULL,
    middle_name varchar DEFAULT NULL,
    is_superuser boolean DEFAULT false,
    is_active boolean DEFAULT true
) RETURNS bigint
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    new_id bigint;
BEGIN
    PERFORM syncmaster.check_input('user', 'username', create_user.username);
    PERFORM syncmaster.check_input('user', 'email', create_user.email);
    PERFORM syncmaster.check_input('user', 'first_name', create_user.first_name);
    PERFORM syncmaster.check_input('user', 'last_name', create_user.last_name);
    PERFORM syncmaster.check_input('user', 'middle_name', create_user.middle_name);
    -- The rules trigger decides who may do this and whether the username is free, for direct
    -- INSERTs too.
    INSERT INTO syncmaster."user" (username, email, first_name, last_name, middle_name,
                                   is_superuser, is_active)
    VALUES (create_user.username, create_user.email, create_user.first_name,
            create_user.last_name, create_user.middle_name, create_user.is_superuser,
            create_user.is_active)
    RETURNING id INTO new_id;
    RETURN new_id;
END
$$;
COMMENT ON FUNCTION syncmaster.create_user(varchar, varchar, varchar, varchar, varchar, boolean, boolean) IS
    'Creates a user (system or superuser only) and returns its id';

-- list_users: active users (all users for superusers), by username; search is pg_trgm's
-- similarity (username % search), as in SyncMaster, through trigram_similar(): pg_trgm may live in
-- any schema, which a function body fixed at install cannot name.
CREATE FUNCTION syncmaster.trigram_similar(a text, b text) RETURNS boolean
    LANGUAGE c STABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'syncmaster_trigram_similar';
COMMENT ON FUNCTION syncmaster.trigram_similar(text, text) IS
    'pg_trgm''s a % b (similarity above pg_trgm.similarity_threshold), wherever pg_trgm is installed';

CREATE FUNCTION syncmaster.list_users(search text DEFAULT NULL, page integer DEFAULT 1,
                                      page_size integer DEFAULT 20)
RETURNS TABLE (id bigint, username varchar, is_superuser boolean, total bigint)
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    sees_all boolean := syncmaster.sees_all_groups();  -- resolves the actor: 28000/42501 first
BEGIN
    PERFORM syncmaster.check_page(page, page_size);
    PERFORM syncmaster.check_input('list', 'search', search);
    RETURN QUERY
    SELECT u.id, u.username, u.is_superuser, count(*) OVER ()
    FROM syncmaster."user" u
    WHERE (sees_all OR u.is_active)
      AND (coalesce(search, '') = '' OR syncmaster.trigram_similar(u.username, search))
    ORDER BY u.username
    LIMIT page_size OFFSET (page - 1)::bigint * page_size;
END
$$;
COMMENT ON FUNCTION syncmaster.list_users(text, integer, integer) IS
    'Users by username: active ones (all for superusers); search by trigram similarity';

------------------------------------------------------------------------------------------------
-- Privileges: every column but id (ids belong to the database: nobody takes ids ahead of the
-- sequence to make other tenants' inserts fail, nor renumbers a row; superusers, who bypass
-- privileges, may choose them for migrations and restores). test/pgtap/01_schema.sql checks that
-- every column but id is granted.
------------------------------------------------------------------------------------------------
GRANT SELECT, DELETE ON syncmaster."user" TO syncmaster_user;
GRANT INSERT (username, email, first_name, last_name, middle_name, is_superuser, is_active,
              created_at, updated_at),
      UPDATE (username, email, first_name, last_name, middle_name, is_superuser, is_active,
              created_at, updated_at)
    ON syncmaster."user" TO syncmaster_user;
REVOKE ALL ON FUNCTION syncmaster.user_rules() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    syncmaster.create_user(varchar, varchar, varchar, varchar, varchar, boolean, boolean),
    syncmaster.trigram_similar(text, text),
    syncmaster.list_users(text, integer, integer)
    TO syncmaster_user;
------------------------------------------------------------------------------------------------
-- "group": the unit of ownership. Its owner (never a member row) and members with roles decide
-- what each user may see and do with the group's connections, queues, transfers and runs.
------------------------------------------------------------------------------------------------
CREATE TABLE syncmaster."group" (
    id bigint GENERATED BY DEFAULT AS IDENTITY,
    name varchar(128) NOT NULL,
    description varchar(512) NOT NULL DEFAULT '',
    owner_id bigint NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    search_vector tsvector NOT NULL DEFAULT ''::tsvector,  -- kept by the search_vector trigger
    CONSTRAINT pk__group PRIMARY KEY (id),
    CONSTRAINT uq__group__name UNIQUE (name),
    CONSTRAINT ck__group__name CHECK (char_length(name) BETWEEN 3 AND 128),
    -- NO ACTION: a user who owns groups cannot be deleted; ownership moves first.
    CONSTRAINT fk__group__owner_id__user FOREIGN KEY (owner_id)
        REFERENCES syncmaster."user" (id) ON DELETE NO ACTION
);
COMMENT ON TABLE syncmaster."group" IS
    'Groups own connections, queues and transfers; the owner and the members'' roles decide who may do what';
CREATE INDEX ix__group__owner_id ON syncmaster."group" (owner_id);
CREATE INDEX ix__group__search_vector ON syncmaster."group" USING gin (search_vector);

CREATE FUNCTION syncmaster.group_rules() RETURNS trigger
    LANGUAGE c AS 'MODULE_PATHNAME', 'syncmaster_group_rules';
COMMENT ON FUNCTION syncmaster.group_rules() IS
    'The rules of groups (core/group): any user creates one and owns it (a missing owner_id is the acting user''s); the owner or a superuser changes it; superusers delete it';
CREATE FUNCTION syncmaster.group_owner_changed() RETURNS trigger
    LANGUAGE c AS 'MODULE_PATHNAME', 'syncmaster_group_owner_changed';
COMMENT ON FUNCTION syncmaster.group_owner_changed() IS
    'After an owner change: the new owner''s member row goes, the previous owner becomes a Guest';
CREATE TRIGGER rules BEFORE INSERT OR UPDATE OR DELETE ON syncmaster."group"
    FOR EACH ROW EXECUTE FUNCTION syncmaster.group_rules();
CREATE TRIGGER search_vector BEFORE INSERT OR UPDATE ON syncmaster."group"
    FOR EACH ROW EXECUTE FUNCTION syncmaster.search_vector('group');
CREATE TRIGGER updated_at BEFORE UPDATE ON syncmaster."group"
    FOR EACH ROW EXECUTE FUNCTION syncmaster.touch_updated_at();
CREATE TRIGGER owner_changed AFTER UPDATE OF owner_id ON syncmaster."group"
    FOR EACH ROW EXECUTE FUNCTION syncmaster.group_owner_changed();

SELECT pg_catalog.pg_extension_config_dump('syncmaster."group"', '');
SELECT pg_catalog.pg_extension_config_dump('syncmaster.group_id_seq', '');

ALTER TABLE syncmaster."group" ENABLE ROW LEVEL SECURITY;
-- A group's owner sees it also when it became the owner in this very statement.
CREATE POLICY visible ON syncmaster."group"
    USING ((SELECT syncmaster.sees_all_groups())
           OR id = ANY ((SELECT syncmaster.visible_group_ids())::bigint[])
           OR owner_id = (SELECT syncmaster.current_user_id()))
    WITH CHECK (true);

------------------------------------------------------------------------------------------------
-- Groups API (DESIGN §8). Thin functions over the table: the rules trigger enforces every rule on
-- each path. authorize() first gives SyncMaster's errors in SyncMaster's order where no row would
-- reach the trigger (an invisible group).
------------------------------------------------------------------------------------------------
CREATE FUNCTION syncmaster.create_group(name varchar, description varchar DEFAULT '',
                                        owner_id bigint DEFAULT NULL) RETURNS bigint
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    new_id bigint;
BEGIN
    PERFORM syncmaster.check_input('group', 'name', create_group.name);
    PERFORM syncmaster.check_input('group', 'description', create_group.description);
    -- A NULL owner_id is the acting user's, the rules trigger decides (the system must name one).
    INSERT INTO syncmaster."group" (name, description, owner_id)
    VALUES (create_group.name, coalesce(create_group.description, ''), create_group.owner_id)
    RETURNING id INTO new_id;
    RETURN new_id;
END
$$;
COMMENT ON FUNCTION syncmaster.create_group(varchar, varchar, bigint) IS
    'Creates a group owned by the acting user (the system and superusers may name the owner)';

CREATE FUNCTION syncmaster.update_group(group_id bigint, name varchar DEFAULT NULL,
                                        description varchar DEFAULT NULL,
                                        owner_id bigint DEFAULT NULL) RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM syncmaster.authorize('group', 'update', update_group.group_id);
    IF update_group.name IS NOT NULL THEN
        PERFORM syncmaster.check_input('group', 'name', update_group.name);
    END IF;
    PERFORM syncmaster.check_input('group', 'description', update_group.description);
    UPDATE syncmaster."group" g
    SET name = coalesce(update_group.name, g.name),
        description = coalesce(update_group.description, g.description),
        owner_id = coalesce(update_group.owner_id, g.owner_id)
    WHERE g.id = update_group.group_id;
END
$$;
COMMENT ON FUNCTION syncmaster.update_group(bigint, varchar, varchar, bigint) IS
    'Renames, describes or hands over a group (owner or superuser); NULL keeps a value. A new owner loses its member row; the previous owner becomes a Guest';

CREATE FUNCTION syncmaster.delete_group(group_id bigint) RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- Superusers only: anyone else is refused before the group is even looked up.
    PERFORM syncmaster.authorize('group', 'delete', delete_group.group_id);
    DELETE FROM syncmaster."group" g WHERE g.id = delete_group.group_id;
END
$$;
COMMENT ON FUNCTION syncmaster.delete_group(bigint) IS
    'Deletes a group and everything in it (superusers only)';

-- The role filter of list_groups is a minimum: Guest < Developer < Maintainer < Owner < Superuser
-- (core/permissions); 22023 for anything else.
CREATE FUNCTION syncmaster.role_rank(role text) RETURNS integer
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'syncmaster_role_rank';
COMMENT ON FUNCTION syncmaster.role_rank(text) IS
    'The rank of a role in a group: Guest 1, Developer 2, Maintainer 3, Owner 4, Superuser 5';

CREATE FUNCTION syncmaster.list_groups(search text DEFAULT NULL, min_role text DEFAULT NULL,
                                       page integer DEFAULT 1, page_size integer DEFAULT 20)
RETURNS TABLE (id bigint, name varchar, description varchar, owner_id bigint, role text,
               total bigint)
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    sees_all boolean := syncmaster.sees_all_groups();  -- resolves the actor: 28000/42501 first
    me bigint := syncmaster.current_user_id();
    visible bigint[] := syncmaster.visible_group_ids();
    q tsquery;
    min_rank integer;
BEGIN
    PERFORM syncmaster.check_page(page, page_size);
    PERFORM syncmaster.check_input('list', 'search', search);
    q := CASE WHEN coalesce(search, '') <> '' THEN syncmaster.search_query(search) END;
    min_rank := syncmaster.role_rank(min_role);
    -- @@ is not leakproof: the group filter is spelled out, not left to row-level security.
    RETURN QUERY
    WITH mine AS (
        SELECT g.id, g.name, g.description, g.owner_id, g.search_vector,
               CASE WHEN sees_all THEN 'Superuser'
                    WHEN g.owner_id = me THEN 'Owner'
                    ELSE ug.role::text END AS role
        FROM syncmaster."group" g
        LEFT JOIN syncmaster.user_group ug ON ug.group_id = g.id AND ug.user_id = me
        WHERE (sees_all OR g.id = ANY (visible))
          AND (q IS NULL OR g.search_vector @@ q)
    )
    SELECT m.id, m.name, m.description, m.owner_id, m.role, count(*) OVER ()
    FROM mine m
    -- Superusers see every group whatever the filter, as in SyncMaster.
    WHERE sees_all OR min_rank IS NULL OR syncmaster.role_rank(m.role) >= min_rank
    ORDER BY CASE WHEN q IS NULL THEN 0 ELSE ts_rank(m.search_vector, q) END DESC, m.name
    LIMIT page_size OFFSET (page - 1)::bigint * page_size;
END
$$;
COMMENT ON FUNCTION syncmaster.list_groups(text, text, integer, integer) IS
    'The groups the acting user owns or belongs to (all for superusers) with its role in each; search, minimum role, pagination';

------------------------------------------------------------------------------------------------
-- Privileges: every column but id (see "user").
------------------------------------------------------------------------------------------------
GRANT SELECT, DELETE ON syncmaster."group" TO syncmaster_user;
GRANT INSERT (name, description, owner_id, created_at, updated_at, search_vector),
      UPDATE (name, description, owner_id, created_at, updated_at, search_vector)
    ON syncmaster."group" TO syncmaster_user;
REVOKE ALL ON FUNCTION syncmaster.group_rules(), syncmaster.group_owner_changed() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    syncmaster.create_group(varchar, varchar, bigint),
    syncmaster.update_group(bigint, varchar, varchar, bigint),
    syncmaster.delete_group(bigint),
    syncmaster.role_rank(text),
    syncmaster.list_groups(text, text, integer, integer)
    TO syncmaster_user;
------------------------------------------------------------------------------------------------
-- user_group: membership, with the member's role in the group.
------------------------------------------------------------------------------------------------
CREATE TABLE syncmaster.user_group (
    user_id bigint NOT NULL,
    group_id bigint NOT NULL,
    role varchar(255) NOT NULL,
    CONSTRAINT pk__user_group PRIMARY KEY (user_id, group_id),
    CONSTRAINT ck__user_group__role CHECK (role IN ('Maintainer', 'Developer', 'Guest')),
    CONSTRAINT fk__user_group__user_id__user FOREIGN KEY (user_id)
        REFERENCES syncmaster."user" (id) ON DELETE CASCADE,
    CONSTRAINT fk__user_group__group_id__group FOREIGN KEY (group_id)
        REFERENCES syncmaster."group" (id) ON DELETE CASCADE
);
-- The primary key serves lookups by user; this one serves a group's members and the cascade.
COMMENT ON TABLE syncmaster.user_group IS
    'Group membership with the member''s role (Maintainer, Developer, Guest); the owner is never a member row';
CREATE INDEX ix__user_group__group_id ON syncmaster.user_group (group_id);

CREATE FUNCTION syncmaster.membership_rules() RETURNS trigger
    LANGUAGE c AS 'MODULE_PATHNAME', 'syncmaster_membership_rules';
COMMENT ON FUNCTION syncmaster.membership_rules() IS
    'The rules of memberships (core/membership): the owner or a superuser adds, changes and removes members; any member leaves; the owner is never a member row';
CREATE TRIGGER rules BEFORE INSERT OR UPDATE OR DELETE ON syncmaster.user_group
    FOR EACH ROW EXECUTE FUNCTION syncmaster.membership_rules();

SELECT pg_catalog.pg_extension_config_dump('syncmaster.user_group', '');

ALTER TABLE syncmaster.user_group ENABLE ROW LEVEL SECURITY;
CREATE POLICY visible ON syncmaster.user_group
    USING (group_id = ANY ((SELECT syncmaster.visible_group_ids())::bigint[]))
    WITH CHECK (true);

------------------------------------------------------------------------------------------------
-- Members API (DESIGN §8): thin functions over the table, whose rules trigger enforces every rule.
------------------------------------------------------------------------------------------------
CREATE FUNCTION syncmaster.add_group_member(group_id bigint, user_id bigint, role varchar)
    RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM syncmaster.check_input('membership', 'role', add_group_member.role);
    INSERT INTO syncmaster.user_group (user_id, group_id, role)
    VALUES (add_group_member.user_id, add_group_member.group_id, add_group_member.role);
END
$$;
COMMENT ON FUNCTION syncmaster.add_group_member(bigint, bigint, varchar) IS
    'Adds a member with a role (Maintainer, Developer, Guest); owner or superuser';

CREATE FUNCTION syncmaster.set_member_role(group_id bigint, user_id bigint, role varchar)
    RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM syncmaster.authorize('membership', 'update', set_member_role.group_id);
    PERFORM syncmaster.check_input('membership', 'role', set_member_role.role);
    UPDATE syncmaster.user_group ug SET role = set_member_role.role
    WHERE ug.group_id = set_member_role.group_id AND ug.user_id = set_member_role.user_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'no_data_found', MESSAGE = 'User not found';
    END IF;
END
$$;
COMMENT ON FUNCTION syncmaster.set_member_role(bigint, bigint, varchar) IS
    'Changes a member''s role; owner or superuser';

CREATE FUNCTION syncmaster.remove_group_member(group_id bigint, user_id bigint) RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM syncmaster.authorize('membership', 'delete', remove_group_member.group_id,
                                 remove_group_member.user_id);
    DELETE FROM syncmaster.user_group ug
    WHERE ug.group_id = remove_group_member.group_id AND ug.user_id = remove_group_member.user_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'object_not_in_prerequisite_state',
            MESSAGE = 'User already is not group member';
    END IF;
END
$$;
COMMENT ON FUNCTION syncmaster.remove_group_member(bigint, bigint) IS
    'Removes a member (owner or superuser); any member may remove itself; the owner cannot leave';

CREATE FUNCTION syncmaster.list_group_members(group_id bigint, page integer DEFAULT 1,
                                              page_size integer DEFAULT 20)
RETURNS TABLE (id bigint, username varchar, role varchar, total bigint)
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM syncmaster.authorize('membership', 'read', list_group_members.group_id);
    PERFORM syncmaster.check_page(page, page_size);
    RETURN QUERY
    SELECT u.id, u.username, ug.role, count(*) OVER ()
    FROM syncmaster.user_group ug
    JOIN syncmaster."user" u ON u.id = ug.user_id
    WHERE ug.group_id = list_group_members.group_id AND u.is_active
    ORDER BY u.username
    LIMIT page_size OFFSET (page - 1)::bigint * page_size;
END
$$;
COMMENT ON FUNCTION syncmaster.list_group_members(bigint, integer, integer) IS
    'A group''s active members by username (the owner is not a member)';

GRANT SELECT, INSERT, UPDATE, DELETE ON syncmaster.user_group TO syncmaster_user;
REVOKE ALL ON FUNCTION syncmaster.membership_rules() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    syncmaster.add_group_member(bigint, bigint, varchar),
    syncmaster.set_member_role(bigint, bigint, varchar),
    syncmaster.remove_group_member(bigint, bigint),
    syncmaster.list_group_members(bigint, integer, integer)
    TO syncmaster_user;
------------------------------------------------------------------------------------------------
-- connection: a database or file system a transfer reads from or writes to. data holds the
-- non-secret settings of its type; the credentials live encrypted in auth_data.
------------------------------------------------------------------------------------------------
CREATE TABLE syncmaster.connection (
    id bigint GENERATED BY DEFAULT AS IDENTITY,
    group_id bigint NOT NULL,
    type varchar(32) NOT NULL,
    name varchar(128) NOT NULL,
    description varchar(512) NOT NULL DEFAULT '',
    data jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    search_vector tsvector NOT NULL DEFAULT ''::tsvector,  -- kept by the search_vector trigger
    CONSTRAINT pk__connection PRIMARY KEY (id),
    CONSTRAINT uq__connection__name_group_id UNIQUE (name, group_id),
    CONSTRAINT ck__connection__name CHECK (char_length(name) BETWEEN 3 AND 128),
    CONSTRAINT ck__connection__type CHECK (type IN (
        'clickhouse', 'hive', 'iceberg', 'mssql', 'mysql', 'oracle', 'postgres',
        'ftp', 'ftps', 'hdfs', 's3', 'samba', 'sftp', 'webdav')),
    CONSTRAINT fk__connection__group_id__group FOREIGN KEY (group_id)
        REFERENCES syncmaster."group" (id) ON DELETE CASCADE
);
COMMENT ON TABLE syncmaster.connection IS
    'Databases and file systems that transfers read from and write to; data holds the non-secret settings';
-- A group's connections in name order (SyncMaster has (group_id) alone): list_connections() takes
-- a page straight from it, and it serves every lookup by group_id as well.
CREATE INDEX ix__connection__group_id_name ON syncmaster.connection (group_id, name);
CREATE INDEX ix__connection__search_vector ON syncmaster.connection USING gin (search_vector);

CREATE FUNCTION syncmaster.connection_rules() RETURNS trigger
    LANGUAGE c AS 'MODULE_PATHNAME', 'syncmaster_connection_rules';
COMMENT ON FUNCTION syncmaster.connection_rules() IS
    'The rules of connections (core/connection): Developers and above write, Maintainers delete; data validated and normalized per type; names unique per group; type and existence kept while transfers use it; kept credentials re-sealed for a new type';
CREATE TRIGGER rules BEFORE INSERT OR UPDATE OR DELETE ON syncmaster.connection
    FOR EACH ROW EXECUTE FUNCTION syncmaster.connection_rules();
CREATE TRIGGER search_vector BEFORE INSERT OR UPDATE ON syncmaster.connection
    FOR EACH ROW EXECUTE FUNCTION syncmaster.search_vector('connection');
CREATE TRIGGER updated_at BEFORE UPDATE ON syncmaster.connection
    FOR EACH ROW EXECUTE FUNCTION syncmaster.touch_updated_at();

------------------------------------------------------------------------------------------------
-- auth_data: a connection's credentials, only ever as a Fernet token. No role but the extension
-- owner reads or writes it directly: credentials move through the API alone.
------------------------------------------------------------------------------------------------
CREATE TABLE syncmaster.auth_data (
    connection_id bigint NOT NULL,
    value text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk__auth_data PRIMARY KEY (connection_id),
    CONSTRAINT fk__auth_data__connection_id__connection FOREIGN KEY (connection_id)
        REFERENCES syncmaster.connection (id) ON DELETE CASCADE
);

COMMENT ON TABLE syncmaster.auth_data IS
    'A connection''s credentials as a Fernet token; readable by the extension owner only';
CREATE TRIGGER updated_at BEFORE UPDATE ON syncmaster.auth_data
    FOR EACH ROW EXECUTE FUNCTION syncmaster.touch_updated_at();

------------------------------------------------------------------------------------------------
-- credential_access: who read a connection's secrets, and when. Each call of
-- connection_credentials() adds a row; superusers read them. No foreign key: the record outlives
-- the connection.
------------------------------------------------------------------------------------------------
CREATE TABLE syncmaster.credential_access (
    id bigint GENERATED BY DEFAULT AS IDENTITY,
    connection_id bigint NOT NULL,
    session_role name NOT NULL,
    current_role_name name,
    accessed_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk__credential_access PRIMARY KEY (id)
);
CREATE INDEX ix__credential_access__connection_id ON syncmaster.credential_access (connection_id);
COMMENT ON TABLE syncmaster.credential_access IS
    'Audit of connection_credentials(): which connection''s secrets were read, by which role, when';

SELECT pg_catalog.pg_extension_config_dump('syncmaster.connection', '');
SELECT pg_catalog.pg_extension_config_dump('syncmaster.connection_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('syncmaster.auth_data', '');
SELECT pg_catalog.pg_extension_config_dump('syncmaster.credential_access', '');
SELECT pg_catalog.pg_extension_config_dump('syncmaster.credential_access_id_seq', '');

ALTER TABLE syncmaster.connection ENABLE ROW LEVEL SECURITY;
ALTER TABLE syncmaster.auth_data ENABLE ROW LEVEL SECURITY;
ALTER TABLE syncmaster.credential_access ENABLE ROW LEVEL SECURITY;
CREATE POLICY visible ON syncmaster.connection
    USING (group_id = ANY ((SELECT syncmaster.visible_group_ids())::bigint[]))
    WITH CHECK (true);

------------------------------------------------------------------------------------------------
-- Connections and credentials (DESIGN §7.2, §8). Credentials are stored only as a Fernet token of
-- the sorted-key JSON, with the key of syncmaster.encryption_key. auth_data has no grant at all:
-- the functions that touch it are SECURITY DEFINER; the rules trigger still judges the outer role.
------------------------------------------------------------------------------------------------
CREATE FUNCTION syncmaster.connection_types() RETURNS text[]
    LANGUAGE c IMMUTABLE PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'syncmaster_connection_types';
COMMENT ON FUNCTION syncmaster.connection_types() IS 'The 14 connection types, in SyncMaster''s order';

-- Internal: not granted to anyone; the SECURITY DEFINER functions below call them.
CREATE FUNCTION syncmaster._seal_credentials(connection_type text, data jsonb, auth jsonb,
                                             previous_token text) RETURNS text
    LANGUAGE c VOLATILE AS 'MODULE_PATHNAME', 'syncmaster_seal_credentials';
CREATE FUNCTION syncmaster._credentials_public(token text) RETURNS jsonb
    LANGUAGE c STABLE STRICT AS 'MODULE_PATHNAME', 'syncmaster_credentials_public';
-- Logs each read to the server log (a record no rollback removes), then returns the secrets.
CREATE FUNCTION syncmaster._credentials_full(connection_id bigint, token text) RETURNS jsonb
    LANGUAGE c VOLATILE STRICT AS 'MODULE_PATHNAME', 'syncmaster_credentials_full';

CREATE FUNCTION syncmaster.create_connection(group_id bigint, name varchar, type varchar,
                                             data jsonb, auth_data jsonb,
                                             description varchar DEFAULT '') RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    new_id bigint;
    stored jsonb;
BEGIN
    PERFORM syncmaster.authorize('connection', 'create', create_connection.group_id);
    PERFORM syncmaster.check_input('connection', 'name', create_connection.name);
    PERFORM syncmaster.check_input('connection', 'type', create_connection.type);
    PERFORM syncmaster.check_input('connection', 'description', create_connection.description);
    INSERT INTO syncmaster.connection (group_id, name, type, data, description)
    VALUES (create_connection.group_id, create_connection.name, create_connection.type,
            create_connection.data, coalesce(create_connection.description, ''))
    RETURNING id, connection.data INTO new_id, stored;
    INSERT INTO syncmaster.auth_data (connection_id, value)
    VALUES (new_id, syncmaster._seal_credentials(create_connection.type, stored,
                                                 create_connection.auth_data, NULL));
    RETURN new_id;
END
$$;
COMMENT ON FUNCTION syncmaster.create_connection(bigint, varchar, varchar, jsonb, jsonb, varchar) IS
    'Creates a connection with its credentials (Developer or above)';

CREATE FUNCTION syncmaster.update_connection(connection_id bigint, name varchar, type varchar,
                                             data jsonb, auth_data jsonb DEFAULT NULL,
                                             description varchar DEFAULT '') RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    old syncmaster.connection;
    stored jsonb;
    token text;
BEGIN
    SELECT * INTO old FROM syncmaster.connection c WHERE c.id = update_connection.connection_id;
    PERFORM syncmaster.authorize('connection', 'update', old.group_id);
    PERFORM syncmaster.check_input('connection', 'name', update_connection.name);
    PERFORM syncmaster.check_input('connection', 'type', update_connection.type);
    PERFORM syncmaster.check_input('connection', 'description', update_connection.description);
    SELECT a.value INTO token FROM syncmaster.auth_data a
    WHERE a.connection_id = update_connection.connection_id;
    IF update_connection.auth_data IS NOT NULL THEN
        -- New credentials replace the old ones, which go first: the rules trigger re-seals for a
        -- new type only the credentials a connection keeps.
        DELETE FROM syncmaster.auth_data a WHERE a.connection_id = update_connection.connection_id;
    END IF;
    UPDATE syncmaster.connection c
    SET name = update_connection.name, type = update_connection.type,
        data = update_connection.data, description = coalesce(update_connection.description, '')
    WHERE c.id = update_connection.connection_id
    RETURNING c.data INTO stored;
    IF update_connection.auth_data IS NOT NULL THEN
        -- Secrets left out keep their value when the auth type stays (else 55000).
        INSERT INTO syncmaster.auth_data (connection_id, value)
        VALUES (update_connection.connection_id,
                syncmaster._seal_credentials(update_connection.type, stored,
                                             update_connection.auth_data, token));
    END IF;
END
$$;
COMMENT ON FUNCTION syncmaster.update_connection(bigint, varchar, varchar, jsonb, jsonb, varchar) IS
    'Updates a connection (Developer or above); omitted secrets are kept when the auth type stays, kept credentials must fit a new type';

CREATE FUNCTION syncmaster.delete_connection(connection_id bigint) RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- Invisible and missing connections are alike: Connection not found.
    PERFORM syncmaster.authorize('connection', 'delete',
        (SELECT c.group_id FROM syncmaster.connection c WHERE c.id = delete_connection.connection_id));
    DELETE FROM syncmaster.connection c WHERE c.id = delete_connection.connection_id;
END
$$;
COMMENT ON FUNCTION syncmaster.delete_connection(bigint) IS
    'Deletes a connection no transfer uses (Maintainer or above)';

CREATE FUNCTION syncmaster.copy_connection(connection_id bigint, new_group_id bigint,
                                           new_name varchar DEFAULT NULL,
                                           remove_source boolean DEFAULT false) RETURNS bigint
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    source syncmaster.connection;
    new_id bigint;
BEGIN
    SELECT * INTO source FROM syncmaster.connection c WHERE c.id = copy_connection.connection_id;
    PERFORM syncmaster.authorize('connection', 'read', source.group_id);
    IF remove_source THEN
        PERFORM syncmaster.authorize('connection', 'delete', source.group_id);
    END IF;
    PERFORM syncmaster.authorize('connection', 'create', new_group_id);
    IF new_name IS NOT NULL THEN
        PERFORM syncmaster.check_input('connection', 'name', new_name);
    END IF;
    -- Credentials are not copied.
    INSERT INTO syncmaster.connection (group_id, type, name, description, data)
    VALUES (new_group_id, source.type, coalesce(new_name, source.name), source.description, source.data)
    RETURNING id INTO new_id;
    IF remove_source THEN
        DELETE FROM syncmaster.connection c WHERE c.id = source.id;
    END IF;
    RETURN new_id;
END
$$;
COMMENT ON FUNCTION syncmaster.copy_connection(bigint, bigint, varchar, boolean) IS
    'Copies a connection into a group, without credentials; remove_source moves it (a connection in use cannot move)';

CREATE FUNCTION syncmaster.connection_auth(connection_id bigint) RETURNS jsonb
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    token text;
BEGIN
    PERFORM syncmaster.authorize('connection', 'read',
        (SELECT c.group_id FROM syncmaster.connection c WHERE c.id = connection_auth.connection_id));
    SELECT a.value INTO token FROM syncmaster.auth_data a
    WHERE a.connection_id = connection_auth.connection_id;
    RETURN syncmaster._credentials_public(token);
END
$$;
COMMENT ON FUNCTION syncmaster.connection_auth(bigint) IS
    'A connection''s credentials without their secrets (NULL when it has none), for anyone who reads the connection';

CREATE FUNCTION syncmaster.connection_credentials(connection_id bigint) RETURNS jsonb
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    token text;
BEGIN
    IF syncmaster.current_user_id() IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', MESSAGE = 'You have no power here',
            DETAIL = 'Only the system (a syncmaster_service member with no acting user, or a superuser) reads credentials.';
    END IF;
    IF NOT EXISTS (SELECT FROM syncmaster.connection c WHERE c.id = connection_credentials.connection_id) THEN
        RAISE EXCEPTION USING ERRCODE = 'no_data_found', MESSAGE = 'Connection not found';
    END IF;
    SELECT a.value INTO token FROM syncmaster.auth_data a
    WHERE a.connection_id = connection_credentials.connection_id;
    IF token IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'object_not_in_prerequisite_state',
            MESSAGE = format('Credentials not set for connection %s', connection_id);
    END IF;
    INSERT INTO syncmaster.credential_access (connection_id, session_role, current_role_name)
    VALUES (connection_credentials.connection_id, session_user,
            nullif(current_setting('role'), 'none'));
    RETURN syncmaster._credentials_full(connection_credentials.connection_id, token);
END
$$;
COMMENT ON FUNCTION syncmaster.connection_credentials(bigint) IS
    'A connection''s credentials with their secrets: for the system actor (workers) only; each read is recorded in credential_access and in the server log';

CREATE FUNCTION syncmaster.list_connections(group_id bigint, types varchar[] DEFAULT NULL,
                                            search text DEFAULT NULL, page integer DEFAULT 1,
                                            page_size integer DEFAULT 20)
RETURNS TABLE (id bigint, name varchar, description varchar, type varchar, data jsonb,
               total bigint)
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    q tsquery;
BEGIN
    PERFORM syncmaster.authorize('group', 'read', list_connections.group_id);
    PERFORM syncmaster.check_page(page, page_size);
    PERFORM syncmaster.check_input('list', 'search', search);
    q := CASE WHEN coalesce(search, '') <> '' THEN syncmaster.search_query(search) END;
    PERFORM syncmaster.check_input('connection', 'type', t) FROM unnest(types) t;
    IF q IS NULL THEN
        -- The page in name order from ix__connection__group_id_name and the total counted apart:
        -- a count(*) OVER () would read and sort every row of the group to return 20.
        RETURN QUERY
        SELECT c.id, c.name, c.description, c.type, c.data,
               (SELECT count(*) FROM syncmaster.connection n
                WHERE n.group_id = list_connections.group_id AND (types IS NULL OR n.type = ANY (types)))
        FROM syncmaster.connection c
        WHERE c.group_id = list_connections.group_id AND (types IS NULL OR c.type = ANY (types))
        ORDER BY c.name
        LIMIT page_size OFFSET (page - 1)::bigint * page_size;
        RETURN;
    END IF;
    -- @@ is not leakproof: the group filter is spelled out.
    RETURN QUERY
    SELECT c.id, c.name, c.description, c.type, c.data, count(*) OVER ()
    FROM syncmaster.connection c
    WHERE c.group_id = list_connections.group_id
      AND (types IS NULL OR c.type = ANY (types))
      AND c.search_vector @@ q
    ORDER BY ts_rank(c.search_vector, q) DESC, c.name
    LIMIT page_size OFFSET (page - 1)::bigint * page_size;
END
$$;
COMMENT ON FUNCTION syncmaster.list_connections(bigint, varchar[], text, integer, integer) IS
    'A group''s connections (not their credentials: see connection_auth): type filter, search, pagination';

------------------------------------------------------------------------------------------------
-- Privileges: every column of connection but id (see "user"); nothing on auth_data and
-- credential_access but through the API.
------------------------------------------------------------------------------------------------
GRANT SELECT, DELETE ON syncmaster.connection TO syncmaster_user;
GRANT INSERT (group_id, type, name, description, data, created_at, updated_at, search_vector),
      UPDATE (group_id, type, name, description, data, created_at, updated_at, search_vector)
    ON syncmaster.connection TO syncmaster_user;
REVOKE ALL ON syncmaster.auth_data, syncmaster.credential_access FROM PUBLIC;
REVOKE ALL ON FUNCTION
    syncmaster.connection_rules(),
    syncmaster._seal_credentials(text, jsonb, jsonb, text),
    syncmaster._credentials_public(text),
    syncmaster._credentials_full(bigint, text)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    syncmaster.connection_types(),
    syncmaster.create_connection(bigint, varchar, varchar, jsonb, jsonb, varchar),
    syncmaster.update_connection(bigint, varchar, varchar, jsonb, jsonb, varchar),
    syncmaster.delete_connection(bigint),
    syncmaster.copy_connection(bigint, bigint, varchar, boolean),
    syncmaster.connection_auth(bigint),
    syncmaster.connection_credentials(bigint),
    syncmaster.list_connections(bigint, varchar[], text, integer, integer)
    TO syncmaster_user;
------------------------------------------------------------------------------------------------
-- queue: where a group's workers take runs from, addressed by its slug.
------------------------------------------------------------------------------------------------
CREATE TABLE syncmaster.queue (
    id bigint GENERATED BY DEFAULT AS IDENTITY,
    name varchar(128) NOT NULL,
    slug varchar(256) NOT NULL,
    group_id bigint NOT NULL,
    description varchar(512) NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    search_vector tsvector NOT NULL DEFAULT ''::tsvector,  -- kept by the search_vector trigger
    CONSTRAINT pk__queue PRIMARY KEY (id),
    CONSTRAINT uq__queue__slug UNIQUE (slug),
    -- printable ASCII, 3..128 characters
    CONSTRAINT ck__queue__name CHECK (name ~ '^[ -~]{3,128}$'),
    CONSTRAINT fk__queue__group_id__group FOREIGN KEY (group_id)
        REFERENCES syncmaster."group" (id) ON DELETE CASCADE
);
COMMENT ON TABLE syncmaster.queue IS
    'Worker queues of a group, addressed by slug';
CREATE INDEX ix__queue__group_id ON syncmaster.queue (group_id);
CREATE INDEX ix__queue__search_vector ON syncmaster.queue USING gin (search_vector);

CREATE FUNCTION syncmaster.queue_rules() RETURNS trigger
    LANGUAGE c AS 'MODULE_PATHNAME', 'syncmaster_queue_rules';
COMMENT ON FUNCTION syncmaster.queue_rules() IS
    'The rules of queues (core/queue): Maintainers and above write; printable names unique per group once normalized; the slug fixed at creation; kept while transfers use it';
CREATE TRIGGER rules BEFORE INSERT OR UPDATE OR DELETE ON syncmaster.queue
    FOR EACH ROW EXECUTE FUNCTION syncmaster.queue_rules();
CREATE TRIGGER search_vector BEFORE INSERT OR UPDATE ON syncmaster.queue
    FOR EACH ROW EXECUTE FUNCTION syncmaster.search_vector('queue');
CREATE TRIGGER updated_at BEFORE UPDATE ON syncmaster.queue
    FOR EACH ROW EXECUTE FUNCTION syncmaster.touch_updated_at();

SELECT pg_catalog.pg_extension_config_dump('syncmaster.queue', '');
SELECT pg_catalog.pg_extension_config_dump('syncmaster.queue_id_seq', '');

ALTER TABLE syncmaster.queue ENABLE ROW LEVEL SECURITY;
CREATE POLICY visible ON syncmaster.queue
    USING (group_id = ANY ((SELECT syncmaster.visible_group_ids())::bigint[]))
    WITH CHECK (true);

------------------------------------------------------------------------------------------------
-- Queues (DESIGN §7.1, §8): the slug is made by the rules trigger.
------------------------------------------------------------------------------------------------
CREATE FUNCTION syncmaster.create_queue(group_id bigint, name varchar, description varchar DEFAULT '')
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    new_id bigint;
BEGIN
    PERFORM syncmaster.authorize('queue', 'create', create_queue.group_id);
    PERFORM syncmaster.check_input('queue', 'name', create_queue.name);
    PERFORM syncmaster.check_input('queue', 'description', create_queue.description);
    INSERT INTO syncmaster.queue (group_id, name, description)
    VALUES (create_queue.group_id, create_queue.name, coalesce(create_queue.description, ''))
    RETURNING id INTO new_id;
    RETURN new_id;
END
$$;
COMMENT ON FUNCTION syncmaster.create_queue(bigint, varchar, varchar) IS
    'Creates a queue (Maintainer or above); its slug is {group_id}-{normalized name}, fixed';

CREATE FUNCTION syncmaster.update_queue(queue_id bigint, name varchar,
                                        description varchar DEFAULT NULL) RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM syncmaster.authorize('queue', 'update',
        (SELECT q.group_id FROM syncmaster.queue q WHERE q.id = update_queue.queue_id));
    PERFORM syncmaster.check_input('queue', 'name', update_queue.name);
    PERFORM syncmaster.check_input('queue', 'description', update_queue.description);
    UPDATE syncmaster.queue q
    SET name = update_queue.name, description = coalesce(update_queue.description, q.description)
    WHERE q.id = update_queue.queue_id;
END
$$;
COMMENT ON FUNCTION syncmaster.update_queue(bigint, varchar, varchar) IS
    'Renames or describes a queue (Maintainer or above); the slug stays';

CREATE FUNCTION syncmaster.delete_queue(queue_id bigint) RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM syncmaster.authorize('queue', 'delete',
        (SELECT q.group_id FROM syncmaster.queue q WHERE q.id = delete_queue.queue_id));
    DELETE FROM syncmaster.queue q WHERE q.id = delete_queue.queue_id;
END
$$;
COMMENT ON FUNCTION syncmaster.delete_queue(bigint) IS
    'Deletes a queue no transfer uses (Maintainer or above)';

CREATE FUNCTION syncmaster.list_queues(group_id bigint, search text DEFAULT NULL,
                                       page integer DEFAULT 1, page_size integer DEFAULT 20)
RETURNS TABLE (id bigint, name varchar, slug varchar, description varchar, total bigint)
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    q tsquery;
BEGIN
    PERFORM syncmaster.authorize('group', 'read', list_queues.group_id);
    PERFORM syncmaster.check_page(page, page_size);
    PERFORM syncmaster.check_input('list', 'search', search);
    q := CASE WHEN coalesce(search, '') <> '' THEN syncmaster.search_query(search) END;
    RETURN QUERY
    SELECT qu.id, qu.name, qu.slug, qu.description, count(*) OVER ()
    FROM syncmaster.queue qu
    WHERE qu.group_id = list_queues.group_id AND (q IS NULL OR qu.search_vector @@ q)
    ORDER BY CASE WHEN q IS NULL THEN 0 ELSE ts_rank(qu.search_vector, q) END DESC, qu.id
    LIMIT page_size OFFSET (page - 1)::bigint * page_size;
END
$$;
COMMENT ON FUNCTION syncmaster.list_queues(bigint, text, integer, integer) IS
    'A group''s queues: search, pagination (by rank, then id, as SyncMaster)';

------------------------------------------------------------------------------------------------
-- Privileges: every column but id (see "user").
------------------------------------------------------------------------------------------------
GRANT SELECT, DELETE ON syncmaster.queue TO syncmaster_user;
GRANT INSERT (name, slug, group_id, description, created_at, updated_at, search_vector),
      UPDATE (name, slug, group_id, description, created_at, updated_at, search_vector)
    ON syncmaster.queue TO syncmaster_user;
REVOKE ALL ON FUNCTION syncmaster.queue_rules() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    syncmaster.create_queue(bigint, varchar, varchar),
    syncmaster.update_queue(bigint, varchar, varchar),
    syncmaster.delete_queue(bigint),
    syncmaster.list_queues(bigint, text, integer, integer)
    TO syncmaster_user;
------------------------------------------------------------------------------------------------
-- transfer: what moves from a source connection to a target connection of the same group, on
-- which queue, how, and when.
------------------------------------------------------------------------------------------------
CREATE TABLE syncmaster.transfer (
    id bigint GENERATED BY DEFAULT AS IDENTITY,
    group_id bigint NOT NULL,
    name varchar(128) NOT NULL,
    description varchar(512) NOT NULL DEFAULT '',
    source_connection_id bigint NOT NULL,
    target_connection_id bigint NOT NULL,
    queue_id bigint NOT NULL,
    source_params jsonb NOT NULL DEFAULT '{}',
    target_params jsonb NOT NULL DEFAULT '{}',
    strategy_params jsonb NOT NULL DEFAULT '{"type": "full"}',
    transformations jsonb NOT NULL DEFAULT '[]',
    resources jsonb NOT NULL
        DEFAULT '{"max_parallel_tasks": 1, "cpu_cores_per_task": 1, "ram_bytes_per_task": 1073741824}',
    is_scheduled boolean NOT NULL DEFAULT false,
    schedule varchar(32) NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    search_vector tsvector NOT NULL DEFAULT ''::tsvector,  -- kept by the search_vector trigger
    CONSTRAINT pk__transfer PRIMARY KEY (id),
    CONSTRAINT uq__transfer__name_group_id UNIQUE (name, group_id),
    CONSTRAINT ck__transfer__name CHECK (char_length(name) BETWEEN 3 AND 128),
    CONSTRAINT fk__transfer__group_id__group FOREIGN KEY (group_id)
        REFERENCES syncmaster."group" (id) ON DELETE CASCADE,
    -- NO ACTION, not RESTRICT: checked at the end of the statement, so deleting a group still
    -- cascades through its transfers, connections and queues; alone, a used connection or queue
    -- cannot be deleted.
    CONSTRAINT fk__transfer__source_connection_id__connection FOREIGN KEY (source_connection_id)
        REFERENCES syncmaster.connection (id) ON DELETE NO ACTION,
    CONSTRAINT fk__transfer__target_connection_id__connection FOREIGN KEY (target_connection_id)
        REFERENCES syncmaster.connection (id) ON DELETE NO ACTION,
    CONSTRAINT fk__transfer__queue_id__queue FOREIGN KEY (queue_id)
        REFERENCES syncmaster.queue (id) ON DELETE NO ACTION
);
COMMENT ON TABLE syncmaster.transfer IS
    'What moves from a source connection to a target connection, on which queue, how and when';
CREATE INDEX ix__transfer__group_id ON syncmaster.transfer (group_id);
-- These three serve the foreign-key checks and the "in use" counts.
CREATE INDEX ix__transfer__source_connection_id ON syncmaster.transfer (source_connection_id);
CREATE INDEX ix__transfer__target_connection_id ON syncmaster.transfer (target_connection_id);
CREATE INDEX ix__transfer__queue_id ON syncmaster.transfer (queue_id);
CREATE INDEX ix__transfer__search_vector ON syncmaster.transfer USING gin (search_vector);

CREATE FUNCTION syncmaster.transfer_rules() RETURNS trigger
    LANGUAGE c AS 'MODULE_PATHNAME', 'syncmaster_transfer_rules';
COMMENT ON FUNCTION syncmaster.transfer_rules() IS
    'The rules of transfers (core/transfer): Developers and above write, Maintainers delete; connections and queue visible and in the group; every parameter valid; names unique per group; a valid schedule; no move by update';
CREATE FUNCTION syncmaster.transfer_schedule() RETURNS trigger
    LANGUAGE c AS 'MODULE_PATHNAME', 'syncmaster_transfer_schedule';
COMMENT ON FUNCTION syncmaster.transfer_schedule() IS
    'Keeps the pg_cron job syncmaster_transfer_<id> of each scheduled transfer in step, in the same transaction';
CREATE TRIGGER rules BEFORE INSERT OR UPDATE OR DELETE ON syncmaster.transfer
    FOR EACH ROW EXECUTE FUNCTION syncmaster.transfer_rules();
CREATE TRIGGER search_vector BEFORE INSERT OR UPDATE ON syncmaster.transfer
    FOR EACH ROW EXECUTE FUNCTION syncmaster.search_vector('transfer');
CREATE TRIGGER updated_at BEFORE UPDATE ON syncmaster.transfer
    FOR EACH ROW EXECUTE FUNCTION syncmaster.touch_updated_at();
-- After the row is written (and after a group's deletion cascades to it): its job follows.
CREATE TRIGGER schedule AFTER INSERT OR UPDATE OF is_scheduled, schedule OR DELETE ON syncmaster.transfer
    FOR EACH ROW EXECUTE FUNCTION syncmaster.transfer_schedule();

SELECT pg_catalog.pg_extension_config_dump('syncmaster.transfer', '');
SELECT pg_catalog.pg_extension_config_dump('syncmaster.transfer_id_seq', '');

ALTER TABLE syncmaster.transfer ENABLE ROW LEVEL SECURITY;
CREATE POLICY visible ON syncmaster.transfer
    USING (group_id = ANY ((SELECT syncmaster.visible_group_ids())::bigint[]))
    WITH CHECK (true);

------------------------------------------------------------------------------------------------
-- Transfers API (DESIGN §8): C++ functions over the table, whose rules trigger decides every write.
------------------------------------------------------------------------------------------------
CREATE FUNCTION syncmaster.create_transfer(
    group_id bigint, name varchar, source_connection_id bigint, target_connection_id bigint,
    queue_id bigint, source_params jsonb, target_params jsonb,
    strategy_params jsonb DEFAULT '{"type": "full"}', transformations jsonb DEFAULT '[]',
    resources jsonb DEFAULT NULL, is_scheduled boolean DEFAULT false, schedule varchar DEFAULT NULL,
    description varchar DEFAULT '') RETURNS bigint
    LANGUAGE c VOLATILE AS 'MODULE_PATHNAME', 'syncmaster_create_transfer';
COMMENT ON FUNCTION syncmaster.create_transfer(bigint, varchar, bigint, bigint, bigint, jsonb, jsonb, jsonb, jsonb, jsonb, boolean, varchar, varchar) IS
    'Creates a transfer (Developer or above); NULL strategy, transformations and resources are the defaults; a scheduled one gets its pg_cron job';

CREATE FUNCTION syncmaster.update_transfer(
    transfer_id bigint, name varchar, source_connection_id bigint, target_connection_id bigint,
    queue_id bigint, source_params jsonb, target_params jsonb,
    strategy_params jsonb DEFAULT '{"type": "full"}', transformations jsonb DEFAULT '[]',
    resources jsonb DEFAULT NULL, is_scheduled boolean DEFAULT false, schedule varchar DEFAULT NULL,
    description varchar DEFAULT '') RETURNS void
    LANGUAGE c VOLATILE AS 'MODULE_PATHNAME', 'syncmaster_update_transfer';
COMMENT ON FUNCTION syncmaster.update_transfer(bigint, varchar, bigint, bigint, bigint, jsonb, jsonb, jsonb, jsonb, jsonb, boolean, varchar, varchar) IS
    'Replaces a transfer''s fields (Developer or above), as SyncMaster''s PUT; the group stays (copy_transfer moves)';

CREATE FUNCTION syncmaster.delete_transfer(transfer_id bigint) RETURNS void
    LANGUAGE c VOLATILE AS 'MODULE_PATHNAME', 'syncmaster_delete_transfer';
COMMENT ON FUNCTION syncmaster.delete_transfer(bigint) IS
    'Deletes a transfer (Maintainer or above) with its runs and its pg_cron job; its connections stay';

CREATE FUNCTION syncmaster.copy_transfer(
    transfer_id bigint, new_group_id bigint, new_queue_id bigint, new_name varchar DEFAULT NULL,
    new_source_connection_name varchar DEFAULT NULL, new_target_connection_name varchar DEFAULT NULL,
    remove_source boolean DEFAULT false) RETURNS bigint
    LANGUAGE c VOLATILE AS 'MODULE_PATHNAME', 'syncmaster_copy_transfer';
COMMENT ON FUNCTION syncmaster.copy_transfer(bigint, bigint, bigint, varchar, varchar, varchar, boolean) IS
    'Copies a transfer and its connections (without credentials) into a group; remove_source moves it';

CREATE FUNCTION syncmaster.list_transfers(
    group_id bigint, source_connection_types varchar[] DEFAULT NULL,
    target_connection_types varchar[] DEFAULT NULL,
    filter_source_connection_id bigint DEFAULT NULL,
    filter_target_connection_id bigint DEFAULT NULL, filter_queue_id bigint DEFAULT NULL,
    filter_is_scheduled boolean DEFAULT NULL, search text DEFAULT NULL, page integer DEFAULT 1,
    page_size integer DEFAULT 20)
RETURNS TABLE (id bigint, name varchar, description varchar, source_connection_id bigint,
               target_connection_id bigint, queue_id bigint, source_params jsonb,
               target_params jsonb, strategy_params jsonb, transformations jsonb, resources jsonb,
               is_scheduled boolean, schedule varchar, total bigint)
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    q tsquery;
BEGIN
    PERFORM syncmaster.authorize('group', 'read', list_transfers.group_id);
    PERFORM syncmaster.check_page(page, page_size);
    PERFORM syncmaster.check_input('list', 'search', search);
    q := CASE WHEN coalesce(search, '') <> '' THEN syncmaster.search_query(search) END;
    PERFORM syncmaster.check_input('connection', 'type', t)
    FROM unnest(source_connection_types || target_connection_types) t;
    -- @@ is not leakproof: the group filter is spelled out.
    RETURN QUERY
    SELECT t.id, t.name, t.description, t.source_connection_id, t.target_connection_id,
           t.queue_id, t.source_params, t.target_params, t.strategy_params, t.transformations,
           t.resources, t.is_scheduled, t.schedule, count(*) OVER ()
    FROM syncmaster.transfer t
    JOIN syncmaster.connection s ON s.id = t.source_connection_id
    JOIN syncmaster.connection d ON d.id = t.target_connection_id
    WHERE t.group_id = list_transfers.group_id
      AND (source_connection_types IS NULL OR s.type = ANY (source_connection_types))
      AND (target_connection_types IS NULL OR d.type = ANY (target_connection_types))
      AND (filter_source_connection_id IS NULL OR t.source_connection_id = filter_source_connection_id)
      AND (filter_target_connection_id IS NULL OR t.target_connection_id = filter_target_connection_id)
      AND (filter_queue_id IS NULL OR t.queue_id = filter_queue_id)
      AND (filter_is_scheduled IS NULL OR t.is_scheduled = filter_is_scheduled)
      AND (q IS NULL OR t.search_vector @@ q)
    ORDER BY CASE WHEN q IS NULL THEN 0 ELSE ts_rank(t.search_vector, q) END DESC, t.name
    LIMIT page_size OFFSET (page - 1)::bigint * page_size;
END
$$;
COMMENT ON FUNCTION syncmaster.list_transfers(bigint, varchar[], varchar[], bigint, bigint, bigint, boolean, text, integer, integer) IS
    'A group''s transfers: SyncMaster''s filters (connection types; filter_* for the connection ids, queue and is_scheduled, whose names the rows carry), search, pagination';

------------------------------------------------------------------------------------------------
-- Scheduling with pg_cron (DESIGN §9): one job syncmaster_transfer_<id> per scheduled transfer,
-- run by the extension's owner (the system), kept in step by the schedule trigger.
------------------------------------------------------------------------------------------------
CREATE FUNCTION syncmaster.fire_scheduled_transfer(transfer_id bigint) RETURNS bigint
    LANGUAGE c VOLATILE AS 'MODULE_PATHNAME', 'syncmaster_fire_scheduled_transfer';
COMMENT ON FUNCTION syncmaster.fire_scheduled_transfer(bigint) IS
    'What a transfer''s pg_cron job runs (the system only): a SCHEDULED run when the transfer exists and is scheduled; its id, or NULL';

CREATE FUNCTION syncmaster.schedule_times(schedule text, after timestamptz, n integer)
    RETURNS timestamptz[]
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'syncmaster_schedule_next';
COMMENT ON FUNCTION syncmaster.schedule_times(text, timestamptz, integer) IS
    'schedule_next as an array';
CREATE FUNCTION syncmaster.schedule_next(schedule text, after timestamptz DEFAULT now(),
                                         n integer DEFAULT 1) RETURNS SETOF timestamptz
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    RETURN unnest(syncmaster.schedule_times(schedule, after, n));
COMMENT ON FUNCTION syncmaster.schedule_next(text, timestamptz, integer) IS
    'The next n fire times of a schedule after `after`, in UTC as pg_cron 1.4 fires them; 22023 naming the bad field';

-- Internal: the schedule as pg_cron is given it (@aliases as their five fields).
CREATE FUNCTION syncmaster._pg_cron_schedule(schedule text) RETURNS text
    LANGUAGE c IMMUTABLE STRICT AS 'MODULE_PATHNAME', 'syncmaster_pg_cron_schedule';

-- The role the extension's objects belong to, which its pg_cron jobs run as.
CREATE FUNCTION syncmaster._extension_owner() RETURNS text
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
    RETURN (SELECT r.rolname::text FROM pg_extension e JOIN pg_roles r ON r.oid = e.extowner
            WHERE e.extname = 'pg_syncmaster');

-- Reconciles cron.job with the transfers (after a restore, or a job removed by hand) and says what
-- it changed. For superusers (cron.job is pg_cron's).
CREATE FUNCTION syncmaster.sync_schedules()
RETURNS TABLE (transfer_id bigint, job_name text, action text)
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_extension WHERE extname = 'pg_cron') THEN
        RAISE EXCEPTION USING ERRCODE = 'object_not_in_prerequisite_state',
            MESSAGE = 'pg_cron is not installed in this database',
            HINT = 'Add pg_cron to shared_preload_libraries, set cron.database_name to this database, restart the server and run CREATE EXTENSION pg_cron.';
    END IF;
    -- Jobs restored from a dump of a database of another name, or of another owner: pg_cron
    -- runs jobs for this database only, and pg_syncmaster schedules from nowhere else, so a job
    -- named like ours is this database's. Point it here, to run as the extension's owner.
    RETURN QUERY
    SELECT substr(j.jobname, 21)::bigint, j.jobname::text, 'repointed'::text
    FROM cron.job j
    WHERE j.jobname LIKE 'syncmaster\_transfer\_%'
      AND (j.database <> current_database() OR j.username <> syncmaster._extension_owner());
    PERFORM cron.alter_job(j.jobid, database => current_database(),
                           username => syncmaster._extension_owner())
    FROM cron.job j
    WHERE j.jobname LIKE 'syncmaster\_transfer\_%'
      AND (j.database <> current_database() OR j.username <> syncmaster._extension_owner());
    -- Jobs of transfers that are gone or no longer scheduled.
    RETURN QUERY
    SELECT substr(j.jobname, 21)::bigint, j.jobname::text, 'unscheduled'::text
    FROM cron.job j
    WHERE j.jobname LIKE 'syncmaster\_transfer\_%' AND j.database = current_database()
      AND NOT EXISTS (SELECT FROM syncmaster.transfer t
                      WHERE 'syncmaster_transfer_' || t.id = j.jobname AND t.is_scheduled);
    PERFORM cron.unschedule(j.jobid)
    FROM cron.job j
    WHERE j.jobname LIKE 'syncmaster\_transfer\_%' AND j.database = current_database()
      AND NOT EXISTS (SELECT FROM syncmaster.transfer t
                      WHERE 'syncmaster_transfer_' || t.id = j.jobname AND t.is_scheduled);
    -- Scheduled transfers whose job is missing or differs: touching the schedule fires the
    -- schedule trigger, which schedules as the extension's owner.
    RETURN QUERY
    WITH missing AS (
        SELECT t.id, 'syncmaster_transfer_' || t.id AS jobname,
               CASE WHEN j.jobid IS NULL THEN 'scheduled' ELSE 'rescheduled' END AS action
        FROM syncmaster.transfer t
        LEFT JOIN cron.job j ON j.jobname = 'syncmaster_transfer_' || t.id
                            AND j.database = current_database()
        WHERE t.is_scheduled
          AND (j.jobid IS NULL OR j.schedule <> syncmaster._pg_cron_schedule(t.schedule)
               OR j.command <> 'SELECT syncmaster.fire_scheduled_transfer(' || t.id || ')')
    ), touched AS (
        UPDATE syncmaster.transfer t SET schedule = t.schedule
        FROM missing m WHERE t.id = m.id
        RETURNING t.id
    )
    SELECT m.id, m.jobname, m.action FROM missing m JOIN touched USING (id);
END
$$;
COMMENT ON FUNCTION syncmaster.sync_schedules() IS
    'Makes cron.job hold exactly one job per scheduled transfer, with its schedule, running in this database as the extension''s owner; returns what it changed (superusers)';

-- Privileges: every column but id (see "user").
GRANT SELECT, DELETE ON syncmaster.transfer TO syncmaster_user;
GRANT INSERT (group_id, name, description, source_connection_id, target_connection_id, queue_id,
              source_params, target_params, strategy_params, transformations, resources,
              is_scheduled, schedule, created_at, updated_at, search_vector),
      UPDATE (group_id, name, description, source_connection_id, target_connection_id, queue_id,
              source_params, target_params, strategy_params, transformations, resources,
              is_scheduled, schedule, created_at, updated_at, search_vector)
    ON syncmaster.transfer TO syncmaster_user;
REVOKE ALL ON FUNCTION syncmaster.transfer_rules() FROM PUBLIC;
REVOKE ALL ON FUNCTION syncmaster.transfer_schedule(), syncmaster.sync_schedules(),
    syncmaster._pg_cron_schedule(text), syncmaster._extension_owner() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    syncmaster.create_transfer(bigint, varchar, bigint, bigint, bigint, jsonb, jsonb, jsonb, jsonb, jsonb, boolean, varchar, varchar),
    syncmaster.update_transfer(bigint, varchar, bigint, bigint, bigint, jsonb, jsonb, jsonb, jsonb, jsonb, boolean, varchar, varchar),
    syncmaster.delete_transfer(bigint),
    syncmaster.copy_transfer(bigint, bigint, bigint, varchar, varchar, varchar, boolean),
    syncmaster.list_transfers(bigint, varchar[], varchar[], bigint, bigint, bigint, boolean, text, integer, integer),
    syncmaster.fire_scheduled_transfer(bigint),
    syncmaster.schedule_times(text, timestamptz, integer),
    syncmaster.schedule_next(text, timestamptz, integer)
    TO syncmaster_user;
------------------------------------------------------------------------------------------------
-- run: one execution of a transfer, from CREATED to a terminal state, with a snapshot of the
-- transfer as it was started.
------------------------------------------------------------------------------------------------
CREATE TABLE syncmaster.run (
    id bigint GENERATED BY DEFAULT AS IDENTITY,
    transfer_id bigint NOT NULL,
    started_at timestamptz,
    ended_at timestamptz,
    status varchar(255) NOT NULL DEFAULT 'CREATED',
    type varchar(64) NOT NULL DEFAULT 'MANUAL',
    log_url varchar(512),
    transfer_dump jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    -- Beyond SyncMaster (DESIGN §10): who runs it, until when its claim holds without a heartbeat,
    -- and why it failed when the reaper failed it.
    worker varchar(256),
    lease_expires_at timestamptz,
    failure_reason varchar(1024),
    -- The queue the run was sent to: its transfer's when it was created (SyncMaster sends the
    -- task to that queue), so a later change of the transfer's queue moves no waiting run. No
    -- foreign key: a queue no transfer uses any more may go while old runs still name it (a
    -- SET NULL would have to rewrite finished runs, which never change).
    queue_id bigint,
    CONSTRAINT pk__run PRIMARY KEY (id),
    CONSTRAINT ck__run__status CHECK (status IN (
        'CREATED', 'STARTED', 'FINISHED', 'FAILED', 'SEND_STOP_SIGNAL', 'STOPPED')),
    CONSTRAINT ck__run__type CHECK (type IN ('MANUAL', 'SCHEDULED')),
    CONSTRAINT fk__run__transfer_id__transfer FOREIGN KEY (transfer_id)
        REFERENCES syncmaster.transfer (id) ON DELETE CASCADE
);
-- A transfer's runs, newest first.
COMMENT ON TABLE syncmaster.run IS
    'Executions of transfers, from CREATED to a terminal state, with a snapshot of the transfer';
CREATE INDEX ix__run__transfer_id_created_at ON syncmaster.run (transfer_id, created_at DESC);
-- Runs waiting for a worker, oldest first per queue: claim_run reads the first entry of its queue
-- and never another queue's run or a finished one.
CREATE INDEX ix__run__queue_id_created_at_created ON syncmaster.run (queue_id, created_at, id)
    WHERE status = 'CREATED';

CREATE FUNCTION syncmaster.run_rules() RETURNS trigger
    LANGUAGE c AS 'MODULE_PATHNAME', 'syncmaster_run_rules';
COMMENT ON FUNCTION syncmaster.run_rules() IS
    'The rules of runs (core/run): users start and stop, workers (the system) claim, renew and finish; the state machine; credentials; transfer_dump and timestamps by the database';
CREATE FUNCTION syncmaster.run_notify() RETURNS trigger
    LANGUAGE c AS 'MODULE_PATHNAME', 'syncmaster_run_notify';
COMMENT ON FUNCTION syncmaster.run_notify() IS
    'NOTIFY syncmaster_runs, {"run_id", "transfer_id", "queue", "status", "type"}, for every new run and status change (at commit)';
CREATE TRIGGER rules BEFORE INSERT OR UPDATE OR DELETE ON syncmaster.run
    FOR EACH ROW EXECUTE FUNCTION syncmaster.run_rules();
CREATE TRIGGER updated_at BEFORE UPDATE ON syncmaster.run
    FOR EACH ROW EXECUTE FUNCTION syncmaster.touch_updated_at();
CREATE TRIGGER notify AFTER INSERT OR UPDATE OF status ON syncmaster.run
    FOR EACH ROW EXECUTE FUNCTION syncmaster.run_notify();

SELECT pg_catalog.pg_extension_config_dump('syncmaster.run', '');
SELECT pg_catalog.pg_extension_config_dump('syncmaster.run_id_seq', '');

ALTER TABLE syncmaster.run ENABLE ROW LEVEL SECURITY;
-- A run belongs to the group of its transfer: a hashed subplan, built once per statement.
CREATE POLICY visible ON syncmaster.run
    USING ((SELECT syncmaster.sees_all_groups())
           OR transfer_id IN (SELECT t.id FROM syncmaster.transfer t
                              WHERE t.group_id = ANY ((SELECT syncmaster.visible_group_ids())::bigint[])))
    WITH CHECK (true);

-- Privileges: every column but id (see "user").
GRANT SELECT, DELETE ON syncmaster.run TO syncmaster_user;
GRANT INSERT (transfer_id, started_at, ended_at, status, type, log_url, transfer_dump, created_at,
              updated_at, worker, lease_expires_at, failure_reason, queue_id),
      UPDATE (transfer_id, started_at, ended_at, status, type, log_url, transfer_dump, created_at,
              updated_at, worker, lease_expires_at, failure_reason, queue_id)
    ON syncmaster.run TO syncmaster_user;
REVOKE ALL ON FUNCTION syncmaster.run_rules(), syncmaster.run_notify() FROM PUBLIC;

------------------------------------------------------------------------------------------------
-- Runs API (DESIGN §8, §10): C++ functions; the run trigger checks every transition again.
------------------------------------------------------------------------------------------------
CREATE FUNCTION syncmaster.start_run(transfer_id bigint) RETURNS bigint
    LANGUAGE c VOLATILE AS 'MODULE_PATHNAME', 'syncmaster_start_run';
COMMENT ON FUNCTION syncmaster.start_run(bigint) IS
    'A MANUAL run in CREATED with the transfer''s dump (Developer or above); its queue''s workers hear of it';

CREATE FUNCTION syncmaster.stop_run(run_id bigint) RETURNS void
    LANGUAGE c VOLATILE AS 'MODULE_PATHNAME', 'syncmaster_stop_run';
COMMENT ON FUNCTION syncmaster.stop_run(bigint) IS
    'CREATED: STOPPED at once; STARTED: SEND_STOP_SIGNAL for its worker; else 55000 (Developer or above)';

CREATE FUNCTION syncmaster.claim_run_id(queue_slug text, worker text DEFAULT NULL) RETURNS bigint
    LANGUAGE c VOLATILE AS 'MODULE_PATHNAME', 'syncmaster_claim_run';
COMMENT ON FUNCTION syncmaster.claim_run_id(text, text) IS
    'claim_run, returning the claimed run''s id (NULL when none is free) (the system only)';
CREATE FUNCTION syncmaster.claim_run(queue_slug text, worker text DEFAULT NULL)
RETURNS SETOF syncmaster.run
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    claimed bigint := syncmaster.claim_run_id(queue_slug, worker);
BEGIN
    -- A statement of its own, whose snapshot sees the claim.
    RETURN QUERY SELECT r.* FROM syncmaster.run r WHERE r.id = claimed;
END
$$;
COMMENT ON FUNCTION syncmaster.claim_run(text, text) IS
    'The oldest CREATED run of a queue, now STARTED with a lease for this worker; no row when none is free (the system only)';

CREATE FUNCTION syncmaster.heartbeat_run(run_id bigint) RETURNS boolean
    LANGUAGE c VOLATILE AS 'MODULE_PATHNAME', 'syncmaster_heartbeat_run';
COMMENT ON FUNCTION syncmaster.heartbeat_run(bigint) IS
    'Renews a running run''s lease; true when its worker should stop (the system only)';

CREATE FUNCTION syncmaster.finish_run(run_id bigint, status text, log_url text DEFAULT NULL)
    RETURNS void
    LANGUAGE c VOLATILE AS 'MODULE_PATHNAME', 'syncmaster_finish_run';
COMMENT ON FUNCTION syncmaster.finish_run(bigint, text, text) IS
    'FINISHED, FAILED or STOPPED where the state machine allows; log_url from syncmaster.log_url_template when none is given (the system only)';

CREATE FUNCTION syncmaster.reap_stale_runs() RETURNS integer
    LANGUAGE c VOLATILE AS 'MODULE_PATHNAME', 'syncmaster_reap_stale_runs';
COMMENT ON FUNCTION syncmaster.reap_stale_runs() IS
    'Fails the running runs whose lease expired, keeping why; how many (the system; pg_cron runs it every minute)';

CREATE FUNCTION syncmaster.list_runs(transfer_id bigint, statuses varchar[] DEFAULT NULL,
                                     started_at_since timestamptz DEFAULT NULL,
                                     started_at_until timestamptz DEFAULT NULL,
                                     page integer DEFAULT 1, page_size integer DEFAULT 20)
RETURNS TABLE (id bigint, started_at timestamptz, ended_at timestamptz, status varchar,
               type varchar, log_url varchar, worker varchar, failure_reason varchar,
               total bigint)
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM syncmaster.authorize('transfer', 'read',
        (SELECT t.group_id FROM syncmaster.transfer t WHERE t.id = list_runs.transfer_id));
    PERFORM syncmaster.check_page(page, page_size);
    PERFORM syncmaster.run_status(s) FROM unnest(statuses) s;
    RETURN QUERY
    SELECT r.id, r.started_at, r.ended_at, r.status, r.type, r.log_url, r.worker, r.failure_reason,
           count(*) OVER ()
    FROM syncmaster.run r
    WHERE r.transfer_id = list_runs.transfer_id
      AND (statuses IS NULL OR r.status = ANY (statuses))
      AND (started_at_since IS NULL OR r.started_at >= started_at_since)
      AND (started_at_until IS NULL OR r.started_at <= started_at_until)
    ORDER BY r.created_at DESC, r.id DESC
    LIMIT page_size OFFSET (page - 1)::bigint * page_size;
END
$$;
COMMENT ON FUNCTION syncmaster.list_runs(bigint, varchar[], timestamptz, timestamptz, integer, integer) IS
    'A transfer''s runs, newest first (no transfer_dump): statuses, started_at range (runs not started are left out by a date filter), pagination';

-- The status names of core/run_state, for checking a filter: 22023 for an unknown one.
CREATE FUNCTION syncmaster.run_status(status text) RETURNS text
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'syncmaster_run_status';
COMMENT ON FUNCTION syncmaster.run_status(text) IS
    'The status if it is one of CREATED, STARTED, FINISHED, FAILED, SEND_STOP_SIGNAL, STOPPED; else 22023';

GRANT EXECUTE ON FUNCTION
    syncmaster.start_run(bigint),
    syncmaster.stop_run(bigint),
    syncmaster.claim_run_id(text, text),
    syncmaster.claim_run(text, text),
    syncmaster.heartbeat_run(bigint),
    syncmaster.finish_run(bigint, text, text),
    syncmaster.reap_stale_runs(),
    syncmaster.list_runs(bigint, varchar[], timestamptz, timestamptz, integer, integer),
    syncmaster.run_status(text)
    TO syncmaster_user;
------------------------------------------------------------------------------------------------
-- Last: nothing of the schema is PUBLIC's. Each part granted what syncmaster_user may use.
------------------------------------------------------------------------------------------------
REVOKE ALL ON ALL TABLES IN SCHEMA syncmaster FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA syncmaster FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA syncmaster FROM PUBLIC;
