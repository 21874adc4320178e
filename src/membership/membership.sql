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
COMMENT ON COLUMN syncmaster.user_group.user_id IS 'The member';
COMMENT ON COLUMN syncmaster.user_group.group_id IS 'The group';
COMMENT ON COLUMN syncmaster.user_group.role IS 'The member''s role: Maintainer, Developer or Guest';
CREATE INDEX ix__user_group__group_id ON syncmaster.user_group (group_id);

CREATE FUNCTION syncmaster.membership_rules() RETURNS trigger
    LANGUAGE c AS 'MODULE_PATHNAME', 'syncmaster_membership_rules';
COMMENT ON FUNCTION syncmaster.membership_rules() IS
    'The rules of memberships (src/membership/rules): the owner or a superuser adds, changes and removes members; any member leaves; the owner is never a member row';
CREATE TRIGGER rules BEFORE INSERT OR UPDATE OR DELETE ON syncmaster.user_group
    FOR EACH ROW EXECUTE FUNCTION syncmaster.membership_rules();

SELECT pg_catalog.pg_extension_config_dump('syncmaster.user_group', '');

ALTER TABLE syncmaster.user_group ENABLE ROW LEVEL SECURITY;
-- Reads see the rows of the actor's groups; an UPDATE, and a row lock (SELECT ... FOR UPDATE or
-- FOR SHARE, which PostgreSQL checks against the UPDATE policy), reach only the rows the actor may
-- change, and refuse the others it sees (refuse_update raises: it runs at most once). Inserts and
-- deletes are the rules trigger's to decide.
CREATE POLICY visible ON syncmaster.user_group FOR SELECT
    USING (group_id = ANY ((SELECT syncmaster.visible_group_ids())::bigint[]));
CREATE POLICY insertable ON syncmaster.user_group FOR INSERT
    WITH CHECK (true);
CREATE POLICY changeable ON syncmaster.user_group FOR UPDATE
    USING (group_id = ANY ((SELECT syncmaster.writable_group_ids('membership'))::bigint[])
           OR (group_id = ANY ((SELECT syncmaster.visible_group_ids())::bigint[])
               AND syncmaster.refuse_update('membership', group_id)))
    WITH CHECK (true);
CREATE POLICY deletable ON syncmaster.user_group FOR DELETE
    USING (group_id = ANY ((SELECT syncmaster.visible_group_ids())::bigint[]));

------------------------------------------------------------------------------------------------
-- Members API: C++ functions (src/membership/pg.cpp) over the table, whose rules trigger decides
-- every write.
------------------------------------------------------------------------------------------------
CREATE FUNCTION syncmaster.add_group_member(group_id bigint, user_id bigint, role varchar)
    RETURNS void
    LANGUAGE c VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'syncmaster_add_group_member';
COMMENT ON FUNCTION syncmaster.add_group_member(bigint, bigint, varchar) IS
    'Adds a member with a role (Maintainer, Developer, Guest); owner or superuser';

CREATE FUNCTION syncmaster.set_member_role(group_id bigint, user_id bigint, role varchar)
    RETURNS void
    LANGUAGE c VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'syncmaster_set_member_role';
COMMENT ON FUNCTION syncmaster.set_member_role(bigint, bigint, varchar) IS
    'Changes a member''s role; owner or superuser';

CREATE FUNCTION syncmaster.remove_group_member(group_id bigint, user_id bigint) RETURNS void
    LANGUAGE c VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'syncmaster_remove_group_member';
COMMENT ON FUNCTION syncmaster.remove_group_member(bigint, bigint) IS
    'Removes a member (owner or superuser); any member may remove itself; the owner cannot leave';

CREATE FUNCTION syncmaster.list_group_members(group_id bigint, page integer DEFAULT 1,
                                              page_size integer DEFAULT 20)
RETURNS TABLE (id bigint, username varchar, role varchar, total bigint)
    LANGUAGE c STABLE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'syncmaster_list_group_members';
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
