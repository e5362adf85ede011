package io.tollgate.ledger;

import io.smallrye.mutiny.Uni;
import io.tollgate.infra.http.ProblemException;
import io.tollgate.infra.http.ProblemType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Set;

/**
 * Each tenant's IANA time zone, which decides its months and days in the reports (table {@code tenant_zone}; UTC
 * when unset). The ledger writer reads it in every batch's transaction, so a change applies to every movement
 * recorded after it; months and days aggregated before keep the zone they were filed under (docs/concepts/reports.md).
 */
@ApplicationScoped
public class TenantZones {
    private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();
    /** The zone of a tenant that set none; its id is "UTC" (ZoneOffset.UTC's would be "Z"). */
    public static final ZoneId DEFAULT = ZoneId.of("UTC");

    private final Pool db;

    public TenantZones(Pool db) {
        this.db = db;
    }

    public Uni<ZoneId> zoneOf(String tenantId) {
        return db.preparedQuery("select time_zone from tenant_zone where tenant_id = $1").execute(Tuple.of(tenantId))
                .map(rows -> rows.iterator().hasNext() ? zoneOrUtc(rows.iterator().next().getString(0)) : DEFAULT);
    }

    /** Sets the zone. Error: {@code invalid-request} for anything but an IANA region id such as {@code Asia/Kathmandu} or {@code UTC}. */
    public Uni<ZoneId> setZone(String tenantId, String timeZone) {
        ZoneId zone = parse(timeZone);
        return db.preparedQuery("""
                insert into tenant_zone (tenant_id, time_zone) values ($1, $2)
                on conflict (tenant_id) do update set time_zone = excluded.time_zone, updated_at = now()""")
                .execute(Tuple.of(tenantId, zone.getId())).replaceWith(zone);
    }

    /** An IANA zone id, as stored; a fixed offset such as {@code +05:45} is refused: it would not follow the zone's rules. */
    public static ZoneId parse(String timeZone) {
        if (timeZone == null || timeZone.length() > 64 || !ZONES.contains(timeZone)) {
            throw new ProblemException(ProblemType.INVALID_REQUEST, "timeZone must be an IANA time zone such as Europe/Berlin or UTC");
        }
        try {
            return ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            throw new ProblemException(ProblemType.INVALID_REQUEST, "timeZone must be an IANA time zone such as Europe/Berlin or UTC");
        }
    }

    /** A stored zone; UTC if it no longer parses (a zone id a newer JDK dropped), so the ledger never stops on it. */
    static ZoneId zoneOrUtc(String stored) {
        try {
            return ZoneId.of(stored);
        } catch (DateTimeException e) {
            return DEFAULT;
        }
    }
}
