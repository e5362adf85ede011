package io.tollgate.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.tollgate.infra.Ids;
import io.tollgate.infra.http.ProblemException;
import io.tollgate.infra.http.ProblemType;
import io.tollgate.infra.redis.Keys;
import io.tollgate.infra.redis.LuaScript;
import io.tollgate.infra.redis.ScriptRunner;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Restores a wallet's Redis state from the ledger after Redis lost it: balance and sequence from the last event,
 * settings by replaying the wallet's configuration events. The low-balance and depleted flags are set when the
 * balance is already at or below their level, so a rebuild never starts a second top-up for the same crossing.
 * Idempotency and debit records are not in the ledger: replays and reversals of older requests are not restored.
 * Errors: {@code wallet-not-found} (the ledger does not know it), {@code wallet-exists} (present; pass force),
 * {@code redis-ahead} (Redis has events the ledger has not recorded yet).
 */
@ApplicationScoped
public class WalletRebuild {
    static final List<String> CONFIG_TYPES = List.of("wallet.created", "wallet.updated", "wallet.suspended", "wallet.activated");

    private final ScriptRunner scripts;
    private final ReactiveRedisDataSource redis;
    private final Keys keys;
    private final ObjectMapper json;

    @Schema(name = "WalletRebuildResult", description = "The wallet state written to Redis from the ledger.")
    public record Result(
            @Schema(description = "The wallet.") String walletId,
            @Schema(description = "The wallet's tenant.") String tenantId,
            @Schema(description = "The balance restored, in micros.") long balanceMicros,
            @Schema(description = "The `seq` restored; the wallet's next event gets `seq` + 1.") long seq,
            @Schema(description = "`active` or `suspended`.", enumeration = {"active", "suspended"}) String status) {
    }

    public WalletRebuild(ScriptRunner scripts, ReactiveRedisDataSource redis, Keys keys, ObjectMapper json) {
        this.scripts = scripts;
        this.redis = redis;
        this.keys = keys;
        this.json = json;
    }

    public Uni<Result> rebuild(String walletId, boolean force) {
        if (!Ids.isWellFormed(walletId)) {
            return Uni.createFrom().failure(new ProblemException(ProblemType.WALLET_NOT_FOUND, "no wallet " + walletId));
        }
        return Panache.withSession(() -> Panache.getSession().chain(session -> session.createNativeQuery("""
                select seq, type, tenant_id, currency, balance_after_micros, data::text,
                       (extract(epoch from occurred_at) * 1000)::bigint
                from ledger_entry
                where wallet_id = ?1 and (type in ('wallet.created', 'wallet.updated', 'wallet.suspended', 'wallet.activated')
                      or seq = (select max(seq) from ledger_entry where wallet_id = ?1))
                order by seq""", Object[].class).setParameter(1, walletId).getResultList()))
                .chain(rows -> {
                    if (rows.isEmpty()) {
                        throw new ProblemException(ProblemType.WALLET_NOT_FOUND, "the ledger has no wallet " + walletId);
                    }
                    State state = replay(rows);
                    return scripts.run(LuaScript.WALLET_REBUILD, List.of(keys.wallet(walletId)), state.args(walletId, force))
                            .chain(reply -> {
                                if ("error".equals(reply.get(0).toString())) {
                                    String reason = reply.get(1).toString();
                                    throw reason.equals("redis_ahead")
                                            ? new ProblemException(ProblemType.REDIS_AHEAD, "let the pipeline drain, then reconcile")
                                            : new ProblemException(ProblemType.WALLET_EXISTS, "the wallet exists in Redis; pass force=true to overwrite it");
                                }
                                return redis.set(String.class).sadd(keys.tenantWallets(state.tenantId), walletId);
                            })
                            .replaceWith(new Result(walletId, state.tenantId, state.balance, state.seq, state.status));
                });
    }

    /** The wallet as its configuration events and its last event leave it. */
    private State replay(List<Object[]> rows) {
        State s = new State();
        for (Object[] row : rows) {
            String type = (String) row[1];
            s.seq = ((Number) row[0]).longValue();
            s.tenantId = (String) row[2];
            s.currency = ((String) row[3]).trim();
            s.balance = ((Number) row[4]).longValue();
            JsonNode data = parse((String) row[5]);
            switch (type) {
                case "wallet.created" -> {
                    s.created = ((Number) row[6]).longValue();
                    s.apply(data);
                }
                case "wallet.updated" -> s.apply(data);
                case "wallet.suspended" -> s.status = "suspended";
                case "wallet.activated" -> s.status = "active";
                default -> { }
            }
        }
        return s;
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("ledger data is not JSON", e);
        }
    }

    static final class State {
        String tenantId;
        String currency;
        long balance;
        long seq;
        long created;
        String name = "";
        long floor;
        long automationFloor = 5_000_000;
        List<String> channels = new ArrayList<>();
        boolean autoRecharge;
        Long threshold;
        Long amount;
        String status = "active";
        String paymentMethod = "";
        String autoRechargeStatus = "";
        boolean emergency;
        Long emergencyTarget;
        Long emergencyCap;

        void apply(JsonNode d) {
            if (d.has("name")) {
                name = d.get("name").asText();
            }
            if (d.has("floorMicros")) {
                floor = d.get("floorMicros").asLong();
            }
            if (d.has("automationFloorMicros")) {
                automationFloor = d.get("automationFloorMicros").asLong();
            }
            if (d.has("channels")) {
                channels = new ArrayList<>();
                d.get("channels").forEach(c -> channels.add(c.asText()));
            }
            if (d.has("status")) {
                status = d.get("status").asText();
            }
            JsonNode ar = d.get("autoRecharge");
            if (ar != null) {
                if (ar.has("enabled")) {
                    autoRecharge = ar.get("enabled").asBoolean();
                }
                if (ar.has("thresholdMicros")) {
                    threshold = ar.get("thresholdMicros").asLong();
                }
                if (ar.has("amountMicros")) {
                    amount = ar.get("amountMicros").asLong();
                }
                if (ar.has("paymentMethodId")) {
                    paymentMethod = ar.get("paymentMethodId").asText();
                }
                if (ar.has("status")) {
                    autoRechargeStatus = "failing".equals(ar.get("status").asText()) ? "failing" : "";
                } else if (ar.has("enabled") && ar.get("enabled").asBoolean()) {
                    autoRechargeStatus = ""; // turning it on clears failing (WalletService.update)
                }
            }
            JsonNode em = d.get("emergencyTopUp");
            if (em != null) {
                if (em.has("enabled")) {
                    emergency = em.get("enabled").asBoolean();
                }
                if (em.has("targetMicros")) {
                    emergencyTarget = em.get("targetMicros").asLong();
                }
                if (em.has("capMicros")) {
                    emergencyCap = em.get("capMicros").asLong();
                }
            }
        }

        List<String> args(String walletId, boolean force) {
            boolean low = threshold != null && balance <= threshold;
            return List.of(walletId, tenantId, currency, String.valueOf(balance), String.valueOf(seq), String.valueOf(floor),
                    String.valueOf(automationFloor), status, channels.isEmpty() ? "" : "|" + String.join("|", channels) + "|",
                    autoRecharge ? "1" : "0", threshold == null ? "" : String.valueOf(threshold), amount == null ? "" : String.valueOf(amount),
                    name, low ? "1" : "0", balance <= 0 ? "1" : "0", String.valueOf(created), force ? "1" : "0",
                    paymentMethod, autoRechargeStatus, emergency ? "1" : "0", emergencyTarget == null ? "" : String.valueOf(emergencyTarget),
                    emergencyCap == null ? "" : String.valueOf(emergencyCap));
        }
    }
}
