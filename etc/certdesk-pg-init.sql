-- certdesk-pg-init.sql - the roles of a PostgreSQL store for certdesk.
--
-- Run once, as a superuser, connected to the (empty) database the store
-- will live in:
--
--   createdb certdesk
--   psql -d certdesk -f /etc/certdesk/certdesk-pg-init.sql
--   psql -d certdesk -c "\password certdesk_owner"
--   psql -d certdesk -c "\password certdesk_server"
--
-- Then create the schema as the owner (certdesk.conf with
-- dsn = "... user=certdesk_owner" and the owner's password file):
--
--   certdesk init            (or: certdesk store migrate --from ... --to ...)
--
-- and run every certdeskd with dsn = "... user=certdesk_server".
--
-- certdesk_owner owns the tables: it runs the schema migrations.
-- certdesk_server reads and writes the tables, but on the audit table it
-- may only SELECT and INSERT: the first migration revokes UPDATE, DELETE
-- and TRUNCATE on it from every role but the owner, and a trigger
-- refuses them for the owner too.  The audit trail is append-only by
-- the database, whatever the program does.  Passwords are set apart
-- (\password), never written in this file or in certdesk.conf.

CREATE ROLE certdesk_owner LOGIN;
CREATE ROLE certdesk_server LOGIN;

GRANT CONNECT, TEMPORARY ON DATABASE :"DBNAME" TO certdesk_owner,
    certdesk_server;
GRANT USAGE, CREATE ON SCHEMA public TO certdesk_owner;
GRANT USAGE ON SCHEMA public TO certdesk_server;

-- what the owner creates, the server may use (the audit is narrowed by
-- the schema itself when it is created)
ALTER DEFAULT PRIVILEGES FOR ROLE certdesk_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO certdesk_server;
ALTER DEFAULT PRIVILEGES FOR ROLE certdesk_owner IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO certdesk_server;
