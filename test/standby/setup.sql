-- On the primary, before the replica is taken: test/dump/fill.sql's rows (run first) and users
-- of every standing in its group, each with a LOGIN role of the same name.
\set ON_ERROR_STOP on
SELECT id AS team FROM syncmaster."group" WHERE name = 'dump_team' \gset
SELECT syncmaster.add_group_member(:team, syncmaster.create_user('standby_guest'), 'Guest');
SELECT syncmaster.add_group_member(:team, syncmaster.create_user('standby_maintainer'), 'Maintainer');
SELECT syncmaster.create_user('standby_stranger');
SELECT syncmaster.create_group('standby_other', 'someone else''s', syncmaster.create_user('standby_owner'));
SELECT syncmaster.create_connection(g.id, 'other_dwh', 'postgres', '{"host": "dwh", "database_name": "x"}',
                                    '{"type": "basic", "user": "u", "password": "p"}')
FROM syncmaster."group" g WHERE g.name = 'standby_other';
CREATE ROLE standby_guest LOGIN IN ROLE syncmaster_user;
CREATE ROLE standby_maintainer LOGIN IN ROLE syncmaster_user;
CREATE ROLE standby_stranger LOGIN IN ROLE syncmaster_user;
