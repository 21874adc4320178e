------------------------------------------------------------------------------------------------
-- Last: nothing of the schema is PUBLIC's. Each part granted what syncmaster_user may use.
------------------------------------------------------------------------------------------------
REVOKE ALL ON ALL TABLES IN SCHEMA syncmaster FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA syncmaster FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA syncmaster FROM PUBLIC;
