package io.tollgate.infra.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.tollgate.infra.config.TollgateConfig;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A start after the first finds the schema migrated and says at which version, not "schema version null". */
@QuarkusTest
class MigrationsIT {
    @Inject
    TollgateConfig config;

    @Test
    void aStartWithNothingToApplyReportsTheCurrentVersion() throws IOException {
        Migrations.Outcome again = Migrations.apply(DatabaseTarget.resolve(config)); // the application's start migrated already
        assertEquals(new Migrations.Outcome(latestMigration(), 0), again);
        assertEquals("up to date, no migration applied", again.describe());
    }

    @Test
    void appliedMigrationsAreCounted() {
        assertEquals("3 migrations applied now", new Migrations.Outcome("3", 3).describe());
    }

    /** The highest V<n>__ file in src/main/resources/db/migration. */
    static String latestMigration() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            return String.valueOf(files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElseThrow());
        }
    }
}
