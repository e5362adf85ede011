package io.tollgate.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.tollgate.infra.Ids;
import io.tollgate.infra.Times;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Raises alerts for a tenant: records one delivery per channel (email recipients, webhook endpoints), idempotent on
 * the alert's dedupe key, and completes once they are recorded; sending happens afterwards, with retries, and never
 * holds up the caller.
 */
@ApplicationScoped
public class AlertService {
    static final int DEDUPE_KEY_MAX_CHARS = 200;

    private final Pool db;
    private final AlertDispatcher dispatcher;
    private final ObjectMapper json;

    /** Where one alert goes: channel "email" with an address, or "webhook" with an endpoint id. */
    record Target(String channel, String target) {
    }

    public AlertService(Pool db, AlertDispatcher dispatcher, ObjectMapper json) {
        this.db = db;
        this.dispatcher = dispatcher;
        this.json = json;
    }

    /**
     * Records the alert's deliveries to the tenant's current recipients and endpoints. Raising a dedupe key again
     * records only targets that did not have it yet (an endpoint added since), so nobody is told twice. A tenant
     * with no recipient and no endpoint records nothing. Fails with IllegalArgumentException for an incomplete alert.
     */
    public Uni<Void> raise(Alert alert) {
        return Uni.createFrom().deferred(() -> {
            check(alert);
            return targets(alert.tenantId()).chain(targets -> record(alert, targets));
        }).invoke(recorded -> {
            if (recorded > 0) {
                dispatcher.signal();
            }
        }).replaceWithVoid();
    }

    private static void check(Alert alert) {
        if (alert == null || alert.tenantId() == null || alert.type() == null || alert.dedupeKey() == null
                || alert.dedupeKey().isEmpty() || alert.dedupeKey().length() > DEDUPE_KEY_MAX_CHARS) {
            throw new IllegalArgumentException("an alert needs a tenant, a type and a dedupe key of 1.." + DEDUPE_KEY_MAX_CHARS + " characters");
        }
    }

    private Uni<List<Target>> targets(String tenantId) {
        return db.preparedQuery("""
                select 'email', email from alert_contact where tenant_id = $1
                union all select 'webhook', id from webhook_endpoint where tenant_id = $1 and active""")
                .execute(Tuple.of(tenantId)).map(rows -> {
                    List<Target> targets = new ArrayList<>();
                    rows.forEach(row -> targets.add(new Target(row.getString(0), row.getString(1))));
                    return targets;
                });
    }

    /** One multi-row insert that skips targets which already have this dedupe key; answers how many are new. */
    private Uni<Integer> record(Alert alert, List<Target> targets) {
        if (targets.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        String payload = payload(alert);
        StringBuilder sql = new StringBuilder("insert into alert_delivery (id, tenant_id, wallet_id, alert_type, dedupe_key, channel, target, payload) values ");
        List<Object> params = new ArrayList<>();
        for (Target t : targets) {
            int p = params.size();
            sql.append(p == 0 ? "" : ",").append(String.format("($%d,$%d,$%d,$%d,$%d,$%d,$%d,$%d::text::json)", p + 1, p + 2, p + 3, p + 4, p + 5, p + 6, p + 7, p + 8));
            params.addAll(List.of(Ids.newId("dl_"), alert.tenantId()));
            params.add(alert.walletId()); // may be null: tenant-wide alerts
            params.addAll(List.of(alert.type().json(), alert.dedupeKey(), t.channel(), t.target(), payload));
        }
        sql.append(" on conflict (tenant_id, dedupe_key, channel, target) do nothing");
        return db.preparedQuery(sql.toString()).execute(Tuple.from(params)).map(rows -> rows.rowCount());
    }

    /**
     * The webhook body, also the source of the email text. Its id is derived from tenant and dedupe key, so every
     * channel and every later raise of the same alert carries the same id: receivers can dedupe on it.
     */
    String payload(Alert alert) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", "al_" + Ids.sha256Hex(alert.tenantId() + "\n" + alert.dedupeKey()).substring(0, 24));
        body.put("type", alert.type().json());
        body.put("tenantId", alert.tenantId());
        body.put("walletId", alert.walletId());
        body.put("createdAt", Times.format(Times.now()));
        body.put("data", alert.details() == null ? Map.of() : alert.details());
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("alert details must be JSON-serialisable: " + e.getMessage(), e);
        }
    }
}
