-- OneStopWindow: the database, the application login and its database user (run ONCE, before the first migration).
-- DbUp (the migrate command) creates the tables but not the database; Hangfire.SqlServer creates its HangFire schema
-- on the first start of a node. Reviewable like the migrations; idempotent (running it again changes nothing, and the
-- password of an existing login is left as it is).
--
-- As a sysadmin, with sqlcmd (scripting variables; the password must not contain a single quote):
--   sqlcmd -C -S <server> -U sa -b -i deploy/sql/create-database.sql \
--     -v OSW_DB_NAME="OneStopWindow" OSW_DB_USER="osw_app" OSW_DB_PASSWORD="<the application's password>"
-- deploy/compose.yaml runs it in its db-init service.
--
-- Roles: db_datareader and db_datawriter always; db_ddladmin for the migrate command and for Hangfire's first start
-- (its schema) and its upgrades. A policy that forbids DDL rights at run time grants db_ddladmin for an upgrade and
-- revokes it after (deploy/README.md, "Upgrades").

SET NOCOUNT ON;

IF DB_ID(N'$(OSW_DB_NAME)') IS NULL
    CREATE DATABASE [$(OSW_DB_NAME)];
GO

-- Full recovery: point-in-time restore from full + log backups (deploy/README.md, "Backup and restore").
ALTER DATABASE [$(OSW_DB_NAME)] SET RECOVERY FULL;
GO

IF SUSER_ID(N'$(OSW_DB_USER)') IS NULL
    CREATE LOGIN [$(OSW_DB_USER)] WITH PASSWORD = N'$(OSW_DB_PASSWORD)', CHECK_POLICY = ON, DEFAULT_DATABASE = [$(OSW_DB_NAME)];
GO

USE [$(OSW_DB_NAME)];
GO

IF DATABASE_PRINCIPAL_ID(N'$(OSW_DB_USER)') IS NULL
    CREATE USER [$(OSW_DB_USER)] FOR LOGIN [$(OSW_DB_USER)];
ALTER ROLE db_datareader ADD MEMBER [$(OSW_DB_USER)];
ALTER ROLE db_datawriter ADD MEMBER [$(OSW_DB_USER)];
ALTER ROLE db_ddladmin ADD MEMBER [$(OSW_DB_USER)];
GO
