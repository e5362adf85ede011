package io.tollgate.infra.db;

import io.quarkus.runtime.StartupEvent;
import io.tollgate.infra.config.TollgateConfig;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

/**
 * Applies the Flyway migrations in {@code db/migration} once at start, over JDBC on the start-up thread (never on
 * an event loop). Several pods starting together are safe: Flyway takes a lock in the database.
 */
@Singleton
public class Migrations {
    private static final Logger LOG = Logger.getLogger(Migrations.class);

    void migrate(@Observes StartupEvent start, TollgateConfig config) {
        DatabaseTarget target = DatabaseTarget.resolve(config);
        var result = Flyway.configure()
                .dataSource(target.jdbcUrl(), target.user(), target.password())
                .locations("classpath:db/migration")
                .connectRetries(10)
                .load()
                .migrate();
        LOG.infof("Database %s at schema version %s (%d migrations applied now)", target, result.targetSchemaVersion,
                result.migrationsExecuted);
    }
}
