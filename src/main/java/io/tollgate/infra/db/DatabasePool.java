package io.tollgate.infra.db;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.tollgate.infra.config.TollgateConfig;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Singleton;

/**
 * Creates the reactive PostgreSQL pool that Hibernate Reactive uses, pointed at {@link DatabaseTarget}: the
 * placeholder URL in application.properties only keeps the datasource active until this runs.
 */
@Singleton
public class DatabasePool implements PgPoolCreator {
    private final TollgateConfig config;

    public DatabasePool(TollgateConfig config) {
        this.config = config;
    }

    @Override
    public Pool create(Input input) {
        DatabaseTarget target = DatabaseTarget.resolve(config);
        for (PgConnectOptions options : input.pgConnectOptionsList()) {
            options.setHost(target.host()).setPort(target.port()).setDatabase(target.database())
                    .setUser(target.user()).setPassword(target.password());
        }
        return PgBuilder.pool().with(input.poolOptions()).connectingTo(input.pgConnectOptionsList().get(0)).using(input.vertx()).build();
    }
}
