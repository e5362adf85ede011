package io.tollgate.infra.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/** A real PostgreSQL 17 server (zonky's packaged binaries) owned by this JVM, with its data in {@code dataDir}. */
public final class EmbeddedPostgresServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EmbeddedPostgresServer.class);
    public static final String DATABASE = "postgres";
    public static final String USER = "postgres";

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** {@code durable}: fsync and synchronous commit on, as a ledger needs; tests turn them off for speed. */
    public static EmbeddedPostgresServer start(Path dataDir, boolean durable) throws IOException {
        Files.createDirectories(dataDir);
        String on = durable ? "on" : "off";
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setServerConfig("fsync", on)
                .setServerConfig("synchronous_commit", on)
                .setServerConfig("full_page_writes", on)
                .setDataDirectory(dataDir.resolve("pgdata"))
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(dataDir.resolve("work").toFile())
                .setPort(EmbeddedRedis.freePort())
                .start();
        LOG.infof("Embedded PostgreSQL on 127.0.0.1:%d, data in %s", postgres.getPort(), dataDir.toAbsolutePath());
        return new EmbeddedPostgresServer(postgres);
    }

    public int port() {
        return postgres.getPort();
    }

    /** postgresql://user@host:port/database, the form TOLLGATE_DATABASE_URL takes. */
    public String url() {
        return "postgresql://" + USER + "@127.0.0.1:" + port() + "/" + DATABASE;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warn("stopping the embedded PostgreSQL failed", e);
        }
    }
}
