package io.tollgate.pricing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import io.tollgate.infra.ExpiringCache;
import io.tollgate.infra.Times;
import io.tollgate.infra.config.TollgateConfig;
import io.tollgate.infra.http.ProblemException;
import io.tollgate.infra.http.ProblemType;
import io.tollgate.infra.redis.Keys;
import io.tollgate.infra.redis.ScriptRunner;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Rate cards per tenant and currency, stored in Redis as JSON. Each pod caches a card for
 * {@code tollgate.pricing.cache-ttl} (at most 5 s), so a change is priced everywhere within that time.
 * Errors: {@code invalid-request}, {@code unknown-item} (no card in that currency).
 */
@ApplicationScoped
@io.quarkus.runtime.Startup
public class RateCardService {
    static final Duration MAX_CACHE_TTL = Duration.ofSeconds(5);
    static final int CACHE_MAX_ENTRIES = 10_000;

    private final ScriptRunner gateway;
    private final ReactiveValueCommands<String, String> values;
    private final Keys keys;
    private final ObjectMapper json;
    private final ExpiringCache<String, Optional<RateCard>> cache;

    public RateCardService(ReactiveRedisDataSource redis, ScriptRunner gateway, Keys keys, ObjectMapper json, TollgateConfig config) {
        this.gateway = gateway;
        this.values = redis.value(String.class);
        this.keys = keys;
        this.json = json;
        Duration ttl = config.pricing().cacheTtl();
        if (ttl.isNegative() || ttl.compareTo(MAX_CACHE_TTL) > 0) {
            throw new IllegalArgumentException("tollgate.pricing.cache-ttl must be 0..5s");
        }
        this.cache = new ExpiringCache<>(ttl, CACHE_MAX_ENTRIES);
    }

    /** The tenant's card in that currency, or null when it has none. Served from the pod cache when fresh. */
    public Uni<RateCard> find(String tenantId, String currency) {
        String key = keys.rateCard(tenantId, currency);
        return cache.get(key, () -> gateway.send(Request.cmd(Command.GET).arg(key))
                .map(reply -> reply == null ? Optional.<RateCard>empty() : Optional.of(parse(reply.toString()))))
                .map(card -> card.orElse(null));
    }

    public Uni<RateCard> get(String tenantId, String currency) {
        return find(tenantId, currency).map(card -> {
            if (card == null) {
                throw new ProblemException(ProblemType.NOT_FOUND, "no rate card in " + currency);
            }
            return card;
        });
    }

    public Uni<RateCard> put(String tenantId, String currency, RateCard.Update update) {
        Pricing.validate(update == null ? null : update.items());
        RateCard card = new RateCard(currency, new TreeMap<>(update.items()), Times.now());
        String key = keys.rateCard(tenantId, currency);
        return values.set(key, write(card)).invoke(() -> cache.invalidate(key)).replaceWith(card);
    }

    private RateCard parse(String text) {
        try {
            // lenient on stored data only: a card written before 2026-12-03 has updatedAtMillis, which reads as no time
            return json.readerFor(RateCard.class).without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored rate card is not valid JSON", e);
        }
    }

    private String write(RateCard card) {
        try {
            return json.writeValueAsString(card);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
