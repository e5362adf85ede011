package io.tollgate.infra.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Starts the real services Tollgate needs when no external one is configured, once per JVM.
 *
 * <p>Each service is started the first time a client asks for its address (at runtime, never during the build),
 * and stopped when the JVM exits. The address is published as a system property so that every class loader in
 * the JVM (Quarkus restarts in tests and dev mode) reuses the same process instead of starting another.
 */
public final class EmbeddedServices {
    private static final Logger LOG = Logger.getLogger(EmbeddedServices.class);
    static final String REDIS_URL_PROPERTY = "embedded-services.redis-url";
    static final String KAFKA_PROPERTY = "embedded-services.kafka-bootstrap";
    static final String POSTGRES_PROPERTY = "embedded-services.postgres-url";

    private EmbeddedServices() {
    }

    /** The URL of the JVM's embedded Redis, starting it on first use. */
    public static synchronized String redisUrl() {
        String started = System.getProperty(REDIS_URL_PROPERTY);
        if (started != null) {
            return started;
        }
        Path dataDir = dataDir().resolve("redis");
        int port = ConfigProvider.getConfig().getOptionalValue("tollgate.embedded.redis.port", Integer.class).orElse(0);
        try {
            EmbeddedRedis redis = EmbeddedRedis.start(dataDir, port);
            Runtime.getRuntime().addShutdownHook(new Thread(redis::close, "embedded-redis-stop"));
            System.setProperty(REDIS_URL_PROPERTY, redis.url());
            return redis.url();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded Redis in " + dataDir, e);
        }
    }

    /** host:port of the JVM's embedded Kafka broker, starting it on first use. */
    public static synchronized String kafkaBootstrap() {
        String started = System.getProperty(KAFKA_PROPERTY);
        if (started != null) {
            return started;
        }
        Path dir = dataDir().resolve("kafka");
        try {
            EmbeddedKafka kafka = EmbeddedKafka.start(dir);
            Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "embedded-kafka-stop"));
            System.setProperty(KAFKA_PROPERTY, kafka.bootstrapServers());
            return kafka.bootstrapServers();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded Kafka in " + dir, e);
        }
    }

    /** postgresql://user@host:port/db of the JVM's embedded PostgreSQL, starting it on first use. */
    public static synchronized String postgresUrl() {
        String started = System.getProperty(POSTGRES_PROPERTY);
        if (started != null) {
            return started;
        }
        Path dir = dataDir().resolve("postgres");
        try {
            boolean durable = ConfigProvider.getConfig().getOptionalValue("tollgate.embedded.postgres.durable", Boolean.class).orElse(true);
            EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dir, durable);
            Runtime.getRuntime().addShutdownHook(new Thread(postgres::close, "embedded-postgres-stop"));
            System.setProperty(POSTGRES_PROPERTY, postgres.url());
            return postgres.url();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + dir, e);
        }
    }

    static Path dataDir() {
        String dir = ConfigProvider.getConfig().getOptionalValue("tollgate.embedded.data-dir", String.class).orElse(".tollgate/data");
        LOG.debugf("embedded data dir %s", dir);
        return Path.of(dir);
    }
}
