package io.tollgate.infra.embedded;

import io.quarkus.runtime.Application;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Starts the real services Tollgate needs when no external one is configured, once per JVM.
 *
 * <p>Each service is started the first time a client asks for its address (at runtime, never during the build),
 * and stopped when the JVM exits. The address is published as a system property so that every class loader in
 * the JVM (Quarkus restarts in tests and dev mode) reuses the same process instead of starting another.
 *
 * <p>The services stop only after the application has: JVM shutdown hooks run all at once, and a broker or Redis
 * that went away first made every Kafka and Redis client of the stopping application log its lost connection.
 * With {@code tollgate.embedded.ephemeral} (the tests) the data folder is this JVM's alone and is deleted after
 * the services stop; folders of earlier runs are deleted when a new one is claimed.
 */
public final class EmbeddedServices {
    private static final Logger LOG = Logger.getLogger(EmbeddedServices.class);
    static final String REDIS_URL_PROPERTY = "embedded-services.redis-url";
    static final String KAFKA_PROPERTY = "embedded-services.kafka-bootstrap";
    static final String POSTGRES_PROPERTY = "embedded-services.postgres-url";
    static final String DATA_DIR_PROPERTY = "embedded-services.data-dir";
    static final String EPHEMERAL_PROPERTY = "embedded-services.ephemeral";
    /** The longest the services wait for the application to close its clients before they stop anyway. */
    static final Duration APPLICATION_STOP_WAIT = Duration.ofSeconds(30);

    private record Started(AutoCloseable service, Path dir) {
    }

    /** What this class loader started, in start order; one shutdown hook stops them in reverse. */
    private static final List<Started> STARTED = new ArrayList<>();
    private static Path runDir;
    private static final java.util.Map<String, String> PUBLISHED = new java.util.TreeMap<>();
    private static boolean ephemeral;

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
            stopAtExit(redis, dataDir);
            System.setProperty(REDIS_URL_PROPERTY, redis.url());
            publish("TOLLGATE_EMBEDDED_REDIS_PORT", String.valueOf(java.net.URI.create(redis.url()).getPort()));
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
            stopAtExit(kafka, dir);
            System.setProperty(KAFKA_PROPERTY, kafka.bootstrapServers());
            publish("TOLLGATE_EMBEDDED_KAFKA", kafka.bootstrapServers());
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
            stopAtExit(postgres, dir);
            System.setProperty(POSTGRES_PROPERTY, postgres.url());
            publish("TOLLGATE_EMBEDDED_POSTGRES_PORT", String.valueOf(java.net.URI.create(postgres.url()).getPort()));
            return postgres.url();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + dir, e);
        }
    }

    /**
     * The JVM's data folder, resolved once: {@code tollgate.embedded.data-dir} may differ between Quarkus restarts
     * (the tests' folder name is a fresh uuid per start), and all services of a JVM belong in one folder.
     */
    static synchronized Path dataDir() {
        String resolved = System.getProperty(DATA_DIR_PROPERTY);
        if (resolved != null) {
            runDir = Path.of(resolved);
            ephemeral = Boolean.getBoolean(EPHEMERAL_PROPERTY);
            return runDir;
        }
        var config = ConfigProvider.getConfig();
        Path dir = Path.of(config.getOptionalValue("tollgate.embedded.data-dir", String.class).orElse(".tollgate/data"));
        ephemeral = config.getOptionalValue("tollgate.embedded.ephemeral", Boolean.class).orElse(false);
        if (ephemeral) {
            try {
                RunDirectory.claim(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("could not claim the data folder " + dir, e);
            }
        }
        LOG.debugf("embedded data dir %s (ephemeral: %s)", dir, ephemeral);
        System.setProperty(DATA_DIR_PROPERTY, dir.toString());
        System.setProperty(EPHEMERAL_PROPERTY, String.valueOf(ephemeral));
        runDir = dir;
        return dir;
    }

    /**
     * Writes what a person needs to reach the services by hand (redis-cli, psql) to {@code services.env} in the data
     * folder, as shell assignments: {@code . .tollgate/data/services.env} (the quickstart does). Best effort: a folder
     * that cannot be written costs only the convenience.
     */
    private static void publish(String name, String value) {
        PUBLISHED.put(name, value);
        StringBuilder text = new StringBuilder("# The embedded services of the running Tollgate (written at start; ports change every start)\n");
        PUBLISHED.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        try {
            java.nio.file.Files.writeString(dataDir().resolve("services.env"), text);
        } catch (IOException e) {
            LOG.debugf("could not write services.env: %s", e.getMessage());
        }
    }

    private static void stopAtExit(AutoCloseable service, Path dir) {
        if (STARTED.isEmpty()) {
            Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedServices::stopAll, "embedded-services-stop"));
        }
        STARTED.add(new Started(service, dir));
    }

    /** The shutdown hook: after the application, the services in reverse start order, then their data if ephemeral. */
    private static void stopAll() {
        awaitApplicationStopped();
        List<Started> services;
        synchronized (EmbeddedServices.class) {
            services = new ArrayList<>(STARTED);
        }
        List<Path> dirs = new ArrayList<>();
        for (int i = services.size() - 1; i >= 0; i--) {
            stop(services.get(i).service());
            dirs.add(services.get(i).dir());
        }
        if (ephemeral) {
            RunDirectory.delete(runDir, dirs);
        }
    }

    /** Waits until Quarkus has stopped (its own shutdown hook stops it meanwhile), at most APPLICATION_STOP_WAIT. */
    private static void awaitApplicationStopped() {
        Application application = Application.currentApplication();
        if (application == null) {
            return; // stopped already (tests), or never started
        }
        Thread waiter = new Thread(application::awaitShutdown, "embedded-services-await-application");
        waiter.setDaemon(true);
        waiter.start();
        try {
            waiter.join(APPLICATION_STOP_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (waiter.isAlive()) {
            LOG.warnf("the application did not stop within %d s; stopping the embedded services anyway",
                    APPLICATION_STOP_WAIT.toSeconds());
        }
    }

    private static void stop(AutoCloseable service) {
        try {
            service.close();
        } catch (Exception e) {
            LOG.warnf("stopping %s failed: %s", service.getClass().getSimpleName(), e.toString());
        }
    }
}
