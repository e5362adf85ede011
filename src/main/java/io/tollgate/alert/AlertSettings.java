package io.tollgate.alert;

import io.smallrye.mutiny.Uni;
import io.tollgate.infra.Ids;
import io.tollgate.infra.http.ProblemException;
import io.tollgate.infra.http.ProblemType;
import io.tollgate.wallet.WalletService;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * What a tenant has set up for alerts: email recipients, per-wallet low-balance levels and webhook endpoints, and
 * the delivery log. Uses the reactive SQL client directly (not Hibernate sessions): these are small independent
 * statements, called from request, Kafka and dispatcher contexts alike. Errors: {@code invalid-request},
 * {@code wallet-not-found}, {@code webhook-endpoint-not-found}, {@code webhook-endpoint-limit}.
 */
@ApplicationScoped
public class AlertSettings implements io.tollgate.wallet.LowBalanceLevels {
    static final int ENDPOINTS_MAX = 10;
    static final int DELIVERIES_LIMIT_MAX = 500;

    private final Pool db;
    private final WalletService wallets;
    private final AlertEventWatcher watcher;
    private final WebhookTargets targets;

    public AlertSettings(Pool db, WalletService wallets, AlertEventWatcher watcher, WebhookTargets targets) {
        this.db = db;
        this.targets = targets;
        this.wallets = wallets;
        this.watcher = watcher;
    }

    public Uni<AlertRequests.TenantSettings> emails(String tenantId) {
        return db.preparedQuery("select email from alert_contact where tenant_id = $1 order by email").execute(Tuple.of(tenantId))
                .map(rows -> new AlertRequests.TenantSettings(strings(rows)));
    }

    public Uni<AlertRequests.TenantSettings> setEmails(String tenantId, AlertRequests.TenantSettings settings) {
        if (settings == null) {
            throw AlertRequests.invalid("a body is required");
        }
        settings.validate();
        return db.withTransaction(tx -> tx.preparedQuery("delete from alert_contact where tenant_id = $1").execute(Tuple.of(tenantId))
                .chain(() -> tx.preparedQuery("insert into alert_contact (tenant_id, email) select $1, unnest($2::text[])")
                        .execute(Tuple.of(tenantId, settings.emails().toArray(String[]::new)))))
                .chain(() -> emails(tenantId));
    }

    /** Error: {@code wallet-not-found} for another tenant's wallet. */
    public Uni<AlertRequests.WalletSettings> levels(String tenantId, String walletId) {
        return wallets.ref(tenantId, walletId).chain(ref -> db.preparedQuery(
                "select level_micros from wallet_alert_level where wallet_id = $1 order by level_micros desc").execute(Tuple.of(walletId)))
                .map(rows -> {
                    List<Long> levels = new ArrayList<>();
                    rows.forEach(row -> levels.add(row.getLong(0)));
                    return new AlertRequests.WalletSettings(levels);
                });
    }

    /** One query for up to {@code walletIds.size()} wallets of the tenant (a wallet list holds at most 1000). */
    @Override
    public Uni<java.util.Map<String, List<Long>>> levelsOf(String tenantId, java.util.Collection<String> walletIds) {
        return db.preparedQuery("select wallet_id, level_micros from wallet_alert_level where tenant_id = $1 and wallet_id = any($2)")
                .execute(Tuple.of(tenantId, walletIds.toArray(String[]::new)))
                .map(rows -> {
                    java.util.Map<String, List<Long>> levels = new java.util.HashMap<>();
                    rows.forEach(row -> levels.computeIfAbsent(row.getString(0), w -> new ArrayList<>()).add(row.getLong(1)));
                    return levels;
                });
    }

    public Uni<AlertRequests.WalletSettings> setLevels(String tenantId, String walletId, AlertRequests.WalletSettings settings) {
        if (settings == null) {
            throw AlertRequests.invalid("a body is required");
        }
        settings.validate();
        return wallets.ref(tenantId, walletId).chain(ref -> db.withTransaction(tx -> tx
                .preparedQuery("delete from wallet_alert_level where wallet_id = $1").execute(Tuple.of(walletId))
                .chain(() -> tx.preparedQuery("insert into wallet_alert_level (wallet_id, tenant_id, level_micros) select $1, $2, unnest($3::bigint[])")
                        .execute(Tuple.of(walletId, tenantId, settings.lowBalanceLevelsMicros().toArray(Long[]::new))))))
                .invoke(() -> watcher.forget(walletId)) // this pod sees the change at once, others within the cache TTL
                .chain(() -> levels(tenantId, walletId));
    }

    /** Creates an endpoint and answers its signing secret, the only time it is shown. */
    public Uni<AlertRequests.Endpoint> createEndpoint(String tenantId, AlertRequests.NewEndpoint request) {
        if (request == null) {
            throw AlertRequests.invalid("a body is required");
        }
        request.validate();
        if (!targets.mayRegister(java.net.URI.create(request.url()).getHost())) {
            throw AlertRequests.invalid("url must not name a private, loopback, link-local or otherwise internal address");
        }
        String id = Ids.newId("we_");
        String secret = Ids.newSecret("whsec_");
        return db.withTransaction(tx -> lockTenant(tx, tenantId)
                .chain(() -> tx.preparedQuery("select count(*) from webhook_endpoint where tenant_id = $1 and active").execute(Tuple.of(tenantId)))
                .chain(count -> {
                    if (count.iterator().next().getLong(0) >= ENDPOINTS_MAX) {
                        throw new ProblemException(ProblemType.WEBHOOK_ENDPOINT_LIMIT, "at most " + ENDPOINTS_MAX + " webhook endpoints per tenant");
                    }
                    return tx.preparedQuery("insert into webhook_endpoint (id, tenant_id, url, secret) values ($1, $2, $3, $4) returning created_at")
                            .execute(Tuple.of(id, tenantId, request.url(), secret));
                }))
                .map(rows -> new AlertRequests.Endpoint(id, request.url(), instant(rows.iterator().next(), "created_at"), secret));
    }

    /** Serialises endpoint creation per tenant for the limit check, without a table lock. */
    private static Uni<RowSet<Row>> lockTenant(SqlConnection tx, String tenantId) {
        return tx.preparedQuery("select pg_advisory_xact_lock(hashtext('webhook_endpoint:' || $1))").execute(Tuple.of(tenantId));
    }

    public Uni<List<AlertRequests.Endpoint>> endpoints(String tenantId) {
        return db.preparedQuery("select id, url, created_at from webhook_endpoint where tenant_id = $1 and active order by created_at, id")
                .execute(Tuple.of(tenantId)).map(rows -> {
                    List<AlertRequests.Endpoint> out = new ArrayList<>();
                    rows.forEach(row -> out.add(new AlertRequests.Endpoint(row.getString("id"), row.getString("url"), instant(row, "created_at"), null)));
                    return out;
                });
    }

    /** Deactivates the endpoint; deliveries still pending for it end as failed. Error: {@code webhook-endpoint-not-found}. */
    public Uni<Void> deleteEndpoint(String tenantId, String endpointId) {
        if (!Ids.isWellFormed(endpointId)) {
            return Uni.createFrom().failure(endpointNotFound(endpointId));
        }
        return db.preparedQuery("update webhook_endpoint set active = false where id = $1 and tenant_id = $2 and active")
                .execute(Tuple.of(endpointId, tenantId)).map(rows -> {
                    if (rows.rowCount() == 0) {
                        throw endpointNotFound(endpointId);
                    }
                    return null;
                });
    }

    /** The tenant's delivery log, newest first. */
    public Uni<List<AlertRequests.Delivery>> deliveries(String tenantId, Integer limit) {
        int bounded = limit == null ? 100 : limit;
        if (bounded < 1 || bounded > DELIVERIES_LIMIT_MAX) {
            throw AlertRequests.invalid("limit must be 1.." + DELIVERIES_LIMIT_MAX);
        }
        return db.preparedQuery("""
                select id, alert_type, dedupe_key, wallet_id, channel, target, state, attempts, last_status, last_error,
                       created_at, next_attempt_at, delivered_at
                from alert_delivery where tenant_id = $1 order by created_at desc, id limit $2""")
                .execute(Tuple.of(tenantId, bounded)).map(rows -> {
                    List<AlertRequests.Delivery> out = new ArrayList<>();
                    rows.forEach(row -> out.add(delivery(row)));
                    return out;
                });
    }

    private static AlertRequests.Delivery delivery(Row row) {
        String state = row.getString("state");
        return new AlertRequests.Delivery(row.getString("id"), row.getString("alert_type"), row.getString("dedupe_key"),
                row.getString("wallet_id"), row.getString("channel"), row.getString("target"), state, row.getInteger("attempts"),
                row.getInteger("last_status"), row.getString("last_error"), instant(row, "created_at"),
                "pending".equals(state) ? instant(row, "next_attempt_at") : null, instant(row, "delivered_at"));
    }

    static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    private static List<String> strings(RowSet<Row> rows) {
        List<String> out = new ArrayList<>();
        rows.forEach(row -> out.add(row.getString(0)));
        return out;
    }

    static ProblemException endpointNotFound(String endpointId) {
        return new ProblemException(ProblemType.WEBHOOK_ENDPOINT_NOT_FOUND, "no webhook endpoint " + endpointId);
    }
}
