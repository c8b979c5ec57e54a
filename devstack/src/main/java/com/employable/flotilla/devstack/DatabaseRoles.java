package com.employable.flotilla.devstack;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;

/**
 * One database role per service on the embedded PostgreSQL, as in production: a service's credentials reach its own
 * schema and nothing else, so the registry's password cannot read the provisioner's tables or any team's notes. The
 * provisioner's role may create roles (the per-team login roles). Passwords are passed as bind parameters, never
 * spliced into SQL text, so no error message or statement log can show one.
 */
final class DatabaseRoles {

    private static final Map<String, String> SCHEMAS = Map.of(
            "provisioner-service",
            "provisioner",
            "registry-service",
            "registry",
            "health-service",
            "health",
            "billing-service",
            "billing");

    private DatabaseRoles() {}

    /** Devstack manages the roles of the database it runs itself; an external database comes with its own users. */
    static boolean managed(StackConfig config) {
        return config.externalDatabase() == null;
    }

    static String roleOf(String service) {
        return "flotilla_" + SCHEMAS.get(service);
    }

    /** Creates or updates each service's role and hands it its schema (kept from an earlier run under one user). */
    static void ensure(StackConfig config, Secrets secrets) throws SQLException {
        try (Connection admin =
                DriverManager.getConnection(config.databaseUrl(), config.databaseUser(), config.databasePassword())) {
            for (var service : SCHEMAS.entrySet()) {
                String role = roleOf(service.getKey());
                try (PreparedStatement password =
                        admin.prepareStatement("select set_config('flotilla.role_password', ?, false)")) {
                    password.setString(1, secrets.databasePasswords().get(service.getKey()));
                    password.execute();
                }
                try (PreparedStatement ensure = admin.prepareStatement("""
                        do $$
                        declare
                            role_name name := %s;
                            schema_name name := %s;
                            creates_roles boolean := %s;
                            rel record;
                        begin
                            if not exists (select from pg_roles where rolname = role_name) then
                                execute format('create role %%I login', role_name);
                            end if;
                            execute format('alter role %%I login password %%L %s', role_name,
                                           current_setting('flotilla.role_password'),
                                           case when creates_roles then 'createrole' else 'nocreaterole' end);
                            execute format('grant connect, create on database %%I to %%I', current_database(),
                                           role_name);
                            if exists (select from pg_namespace where nspname = schema_name) then
                                execute format('alter schema %%I owner to %%I', schema_name, role_name);
                                for rel in select c.relname, c.relkind from pg_class c
                                           join pg_namespace n on n.oid = c.relnamespace
                                           where n.nspname = schema_name and c.relkind in ('r', 'S', 'v', 'p') loop
                                    execute format('alter %%s %%I.%%I owner to %%I',
                                                   case rel.relkind when 'S' then 'sequence' when 'v' then 'view'
                                                                    else 'table' end,
                                                   schema_name, rel.relname, role_name);
                                end loop;
                            end if;
                        end $$""".formatted(
                                literal(role),
                                literal(service.getValue()),
                                service.getKey().equals("provisioner-service"),
                                "%s"))) {
                    ensure.execute();
                }
                try (PreparedStatement forget =
                        admin.prepareStatement("select set_config('flotilla.role_password', '', false)")) {
                    forget.execute();
                }
            }
        }
    }

    /** Role and schema names are our own constants; quoted anyway. */
    private static String literal(String name) {
        return "'" + name.replace("'", "''") + "'";
    }
}
