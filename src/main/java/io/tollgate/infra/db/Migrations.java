package io.tollgate.infra.db;

import io.quarkus.runtime.StartupEvent;
import io.tollgate.infra.config.TollgateConfig;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.jboss.logging.Logger;

/**
 * Applies the Flyway migrations in {@code db/migration} once at start, over JDBC on the start-up thread (never on
 * an event loop). Several pods starting together are safe: Flyway takes a lock in the database.
 */
@Singleton
public class Migrations {
    private static final Logger LOG = Logger.getLogger(Migrations.class);

    /** The schema version after the start's migration ("none" for an empty schema) and how many it applied. */
    record Outcome(String schemaVersion, int appliedNow) {
        String describe() {
            return appliedNow == 0 ? "up to date, no migration applied" : appliedNow + " migrations applied now";
        }
    }

    void migrate(@Observes StartupEvent start, TollgateConfig config) {
        DatabaseTarget target = DatabaseTarget.resolve(config);
        Outcome outcome = apply(target);
        LOG.infof("Database %s at schema version %s (%s)", target, outcome.schemaVersion(), outcome.describe());
    }

    /**
     * Applies what is missing. The version is read back from the schema history: Flyway's result names a target
     * version only when it applied something, so every start after the first logged "schema version null".
     */
    static Outcome apply(DatabaseTarget target) {
        Flyway flyway = Flyway.configure()
                .dataSource(target.jdbcUrl(), target.user(), target.password())
                .locations("classpath:db/migration")
                .connectRetries(10)
                .load();
        int applied = flyway.migrate().migrationsExecuted;
        MigrationInfo current = flyway.info().current();
        return new Outcome(current == null || current.getVersion() == null ? "none" : current.getVersion().getVersion(), applied);
    }
}
