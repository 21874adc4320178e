-- Every object of the extension, one line per fact, in a stable order: what a fresh install of
-- the newest version and an install of the oldest release brought up to it by ALTER EXTENSION
-- UPDATE must agree on. Names, definitions and privileges only: no OIDs, no row data.
\pset format unaligned
\pset tuples_only on
WITH ns AS (SELECT 'syncmaster'::regnamespace AS oid),
ext AS (SELECT oid, extversion, extconfig, extcondition FROM pg_extension WHERE extname = 'pg_syncmaster'),
rel AS (SELECT c.* FROM pg_class c, ns WHERE c.relnamespace = ns.oid),
facts(fact) AS (
    SELECT format('extension|version=%s|config=%s|conditions=%s', e.extversion,
                  (SELECT string_agg(c::regclass::text, ',' ORDER BY c::regclass::text) FROM unnest(e.extconfig) c),
                  array_to_string(e.extcondition, ','))
    FROM ext e
    UNION ALL
    SELECT format('member|%s', pg_describe_object(d.classid, d.objid, d.objsubid))
    FROM pg_depend d, ext e
    WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = e.oid AND d.deptype = 'e'
    UNION ALL
    SELECT format('schema|%s|owner=%s|acl=%s', n.nspname, pg_get_userbyid(n.nspowner), n.nspacl)
    FROM pg_namespace n, ns WHERE n.oid = ns.oid
    UNION ALL
    SELECT format('relation|%s|kind=%s|owner=%s|acl=%s|rls=%s,%s|options=%s|persistence=%s', r.relname, r.relkind,
                  pg_get_userbyid(r.relowner), r.relacl, r.relrowsecurity, r.relforcerowsecurity, r.reloptions,
                  r.relpersistence)
    FROM rel r
    UNION ALL
    SELECT format('column|%s.%s|%s|notnull=%s|default=%s|identity=%s|generated=%s|collation=%s|acl=%s|storage=%s',
                  r.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                  pg_get_expr(ad.adbin, ad.adrelid), a.attidentity, a.attgenerated, a.attcollation::regcollation,
                  a.attacl, a.attstorage)
    FROM rel r JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_attrdef ad ON ad.adrelid = r.oid AND ad.adnum = a.attnum
    WHERE r.relkind IN ('r', 'v', 'm', 'p', 'f')
    UNION ALL
    SELECT format('constraint|%s|%s|%s|deferrable=%s,%s', r.relname, co.conname, pg_get_constraintdef(co.oid),
                  co.condeferrable, co.condeferred)
    FROM rel r JOIN pg_constraint co ON co.conrelid = r.oid
    UNION ALL
    SELECT format('index|%s', pg_get_indexdef(i.indexrelid)) FROM rel r JOIN pg_index i ON i.indrelid = r.oid
    UNION ALL
    SELECT format('trigger|%s|enabled=%s', pg_get_triggerdef(t.oid), t.tgenabled)
    FROM rel r JOIN pg_trigger t ON t.tgrelid = r.oid AND NOT t.tgisinternal
    UNION ALL
    SELECT format('policy|%s|%s|cmd=%s|permissive=%s|roles=%s|using=%s|check=%s', r.relname, p.polname, p.polcmd,
                  p.polpermissive, (SELECT string_agg(CASE WHEN x = 0 THEN 'public' ELSE pg_get_userbyid(x) END, ',' ORDER BY 1)
                                    FROM unnest(p.polroles) x),
                  pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid))
    FROM rel r JOIN pg_policy p ON p.polrelid = r.oid
    UNION ALL
    SELECT format('sequence|%s|%s|%s|%s|%s|%s|%s|%s', r.relname, format_type(s.seqtypid, NULL), s.seqstart,
                  s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle)
    FROM rel r JOIN pg_sequence s ON s.seqrelid = r.oid
    UNION ALL
    SELECT format('view|%s|%s', r.relname, pg_get_viewdef(r.oid)) FROM rel r WHERE r.relkind IN ('v', 'm')
    UNION ALL
    SELECT format('function|%s|owner=%s|acl=%s|%s', p.oid::regprocedure, pg_get_userbyid(p.proowner), p.proacl,
                  CASE WHEN p.prokind = 'a' THEN 'aggregate' ELSE pg_get_functiondef(p.oid) END)
    FROM pg_proc p, ns WHERE p.pronamespace = ns.oid
    UNION ALL
    SELECT format('type|%s|%s|%s', t.typname, t.typtype, (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
                                                          FROM pg_enum e WHERE e.enumtypid = t.oid))
    FROM pg_type t, ns WHERE t.typnamespace = ns.oid AND t.typtype <> 'b' AND t.typrelid = 0
    UNION ALL
    SELECT format('comment|%s|%s', pg_describe_object(d.classoid, d.objoid, d.objsubid), d.description)
    FROM pg_description d
    WHERE (d.classoid = 'pg_class'::regclass AND d.objoid IN (SELECT oid FROM rel))
       OR (d.classoid = 'pg_proc'::regclass AND d.objoid IN (SELECT p.oid FROM pg_proc p, ns WHERE p.pronamespace = ns.oid))
       OR (d.classoid = 'pg_namespace'::regclass AND d.objoid IN (SELECT oid FROM ns))
       OR (d.classoid = 'pg_constraint'::regclass AND d.objoid IN (SELECT co.oid FROM pg_constraint co JOIN rel r ON co.conrelid = r.oid))
       OR (d.classoid = 'pg_trigger'::regclass AND d.objoid IN (SELECT t.oid FROM pg_trigger t JOIN rel r ON t.tgrelid = r.oid))
       OR (d.classoid = 'pg_policy'::regclass AND d.objoid IN (SELECT p.oid FROM pg_policy p JOIN rel r ON p.polrelid = r.oid))
       OR (d.classoid = 'pg_extension'::regclass AND d.objoid IN (SELECT oid FROM ext))
    UNION ALL
    SELECT format('event trigger|%s|%s|%s|%s', e.evtname, e.evtevent, e.evtfoid::regproc, e.evttags)
    FROM pg_event_trigger e
)
SELECT fact FROM facts ORDER BY fact COLLATE "C";
