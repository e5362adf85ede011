package io.tollgate.report;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** The activity log, look-ups and CSV exports (docs/operating/configuration.md#activity-log). */
@ConfigMapping(prefix = "tollgate.activity")
public interface ActivityConfig {
    /**
     * The secret that signs activity cursors (HMAC-SHA256), at least 32 characters; every pod needs the same one, so a
     * cursor made by one pod is accepted by the others. Unset: a random key per process (cursors then work only on the
     * pod that made them, and not after a restart) and a warning at start.
     */
    Optional<String> cursorKey();

    /**
     * Ledger rows one page reads at most. A page whose filters match fewer rows than its limit within this many answers
     * with the rows it found and a cursor to go on (documented in api.md): no page reads more than this, however rare
     * the filter. 10..1000000.
     */
    @WithDefault("10000")
    int scanMaxRows();

    /** Rows one CSV export writes at most; beyond, its last line says how to go on. 1..1000000. */
    @WithDefault("1000000")
    int csvMaxRows();
}
