-- What the demo shows of a refusal: the SQLSTATE, the message and the detail.
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
