package io.tollgate.ledger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.tollgate.infra.config.TollgateConfig;
import io.tollgate.infra.redis.Keys;
import io.tollgate.infra.redis.Replies;
import io.tollgate.infra.redis.ScriptRunner;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.logging.Logger;

/**
 * Compares each wallet's Redis balance and sequence with the ledger's last balanceAfterMicros and seq.
 *
 * <ul>
 * <li>IN_SYNC: same seq, same balance.</li>
 * <li>LAGGING: Redis is ahead; the events between are still in flight (outbox or Kafka). Not drift by itself;
 * the oldest-unrelayed metric tells whether the pipeline is stuck.</li>
 * <li>DRIFT: same seq but another balance, or Redis behind the ledger (Redis lost writes).</li>
 * <li>MISSING_IN_REDIS: the ledger knows the wallet, Redis does not; debits answer wallet-not-found until an admin
 * rebuilds it (POST /v1/admin/wallets/{id}/rebuild). It is never recreated at zero.</li>
 * </ul>
 * Runs every {@code tollgate.reconciliation.every} and on demand; drift is a metric, a log line with wallet ids and
 * the endpoint's answer.
 */
@ApplicationScoped
@io.quarkus.runtime.Startup
public class Reconciliation {
    private static final Logger LOG = Logger.getLogger(Reconciliation.class);
    static final int REPORTED_MAX = 1000;

    @Schema(name = "ReconciliationStatus", description = "`IN_SYNC`: same seq and balance. `LAGGING`: Redis is ahead, events "
            + "still in flight. `DRIFT`: same seq but another balance, or Redis behind the ledger. `MISSING_IN_REDIS`: the ledger "
            + "knows the wallet, Redis does not (rebuild it).")
    public enum Status { IN_SYNC, LAGGING, DRIFT, MISSING_IN_REDIS }

    @Schema(name = "ReconciliationProblem", description = "A wallet whose Redis state does not match the ledger.")
    public record WalletCheck(
            @Schema(description = "The wallet.") String walletId,
            @Schema(description = "The wallet's tenant.") String tenantId,
            @Schema(description = "`DRIFT` or `MISSING_IN_REDIS`.") Status status,
            @Schema(description = "`seq` of the wallet's last ledger row.") long ledgerSeq,
            @Schema(description = "`balanceAfterMicros` of the wallet's last ledger row.") long ledgerBalanceMicros,
            @Schema(description = "The wallet's `seq` in Redis; null when missing.") Long redisSeq,
            @Schema(description = "The wallet's balance in Redis; null when missing.") Long redisBalanceMicros) {
    }

    @Schema(name = "ReconciliationReport", description = "Every wallet the ledger knows compared with Redis, now.")
    public record Report(
            @Schema(description = "Wallets compared (at most `tollgate.reconciliation.max-wallets`).") long checked,
            @Schema(description = "Wallets `IN_SYNC`.") long inSync,
            @Schema(description = "Wallets `LAGGING`.") long lagging,
            @Schema(description = "Wallets in `DRIFT`.") long drifting,
            @Schema(description = "Wallets `MISSING_IN_REDIS`.") long missingInRedis,
            @Schema(description = "The `DRIFT` and `MISSING_IN_REDIS` wallets, at most 1000.") List<WalletCheck> problems) {
    }

    private final ScriptRunner redis;
    private final Keys keys;
    private final TollgateConfig.Reconciliation config;
    private final AtomicLong drifting = new AtomicLong();
    private volatile boolean stopping;

    public Reconciliation(ScriptRunner redis, Keys keys, TollgateConfig config, MeterRegistry metrics) {
        this.redis = redis;
        this.keys = keys;
        this.config = config.reconciliation();
        if (this.config.maxWallets() < 1 || this.config.concurrency() < 1 || this.config.concurrency() > 1024) {
            throw new IllegalArgumentException("tollgate.reconciliation.max-wallets must be >= 1 and concurrency 1..1024");
        }
        Gauge.builder("tollgate.reconciliation.drifting.wallets", drifting, AtomicLong::get)
                .description("Wallets whose Redis state disagrees with the ledger (DRIFT or MISSING_IN_REDIS) in this pod's last reconciliation")
                .register(metrics);
    }

    /** The scheduler may still fire while the application stops, when the database pool is closing. */
    void stopping(@Observes ShutdownEvent stop) {
        stopping = true;
    }

    @Scheduled(every = "${tollgate.reconciliation.every:5m}", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        if (stopping) {
            return Uni.createFrom().voidItem();
        }
        return run().replaceWithVoid()
                .onFailure(failure -> stopping).recoverWithUni(failure -> {
                    LOG.debugf("reconciliation cut off by the stop (%s); the next start runs it again", failure.toString());
                    return Uni.createFrom().voidItem();
                });
    }

    public Uni<Report> run() {
        return heads().chain(heads -> Multi.createFrom().iterable(heads)
                .onItem().transformToUni(this::check).merge(config.concurrency())
                .collect().asList())
                .map(this::report);
    }

    /**
     * The last ledger row of each wallet, the first max-wallets in wallet id order. PostgreSQL has no skip scan, so
     * {@code distinct on (wallet_id)} would read every row of the (wallet_id, seq) index, a cost that grows with the
     * ledger; the recursive query jumps from one wallet id to the next instead: two index descents per wallet, and
     * the limit stops the recursion early.
     */
    private Uni<List<Object[]>> heads() {
        return Panache.withSession(() -> Panache.getSession().chain(session -> session.createNativeQuery("""
                with recursive w(wallet_id) as (
                    (select wallet_id from ledger_entry order by wallet_id limit 1)
                    union all
                    select (select e.wallet_id from ledger_entry e where e.wallet_id > w.wallet_id
                            order by e.wallet_id limit 1)
                    from w where w.wallet_id is not null)
                select h.wallet_id, h.tenant_id, h.seq, h.balance_after_micros
                from w cross join lateral (
                    select e.wallet_id, e.tenant_id, e.seq, e.balance_after_micros from ledger_entry e
                    where e.wallet_id = w.wallet_id order by e.seq desc limit 1) h
                limit ?1""", Object[].class)
                .setParameter(1, config.maxWallets()).getResultList()));
    }

    private Uni<WalletCheck> check(Object[] head) {
        String walletId = (String) head[0];
        String tenantId = (String) head[1];
        long ledgerSeq = ((Number) head[2]).longValue();
        long ledgerBalance = ((Number) head[3]).longValue();
        return redis.send(Request.cmd(Command.HMGET).arg(keys.wallet(walletId)).arg("seq").arg("bal")).map(reply -> {
            String[] v = Replies.values(reply);
            if (v[0] == null) {
                return new WalletCheck(walletId, tenantId, Status.MISSING_IN_REDIS, ledgerSeq, ledgerBalance, null, null);
            }
            long redisSeq = Long.parseLong(v[0]);
            long redisBalance = Long.parseLong(v[1]);
            Status status = redisSeq > ledgerSeq ? Status.LAGGING
                    : redisSeq == ledgerSeq && redisBalance == ledgerBalance ? Status.IN_SYNC : Status.DRIFT;
            return new WalletCheck(walletId, tenantId, status, ledgerSeq, ledgerBalance, redisSeq, redisBalance);
        });
    }

    private Report report(List<WalletCheck> checks) {
        long[] counts = new long[Status.values().length];
        List<WalletCheck> problems = new ArrayList<>();
        for (WalletCheck check : checks) {
            counts[check.status().ordinal()]++;
            if ((check.status() == Status.DRIFT || check.status() == Status.MISSING_IN_REDIS) && problems.size() < REPORTED_MAX) {
                problems.add(check);
            }
        }
        long bad = counts[Status.DRIFT.ordinal()] + counts[Status.MISSING_IN_REDIS.ordinal()];
        drifting.set(bad);
        if (bad > 0) {
            LOG.errorf("reconciliation: %d wallets drift from the ledger: %s", bad,
                    problems.stream().map(p -> p.walletId() + "=" + p.status()).toList());
        }
        return new Report(checks.size(), counts[Status.IN_SYNC.ordinal()], counts[Status.LAGGING.ordinal()],
                counts[Status.DRIFT.ordinal()], counts[Status.MISSING_IN_REDIS.ordinal()], problems);
    }
}
