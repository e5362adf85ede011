package io.tollgate.infra.embedded;

import io.quarkus.redis.client.RedisHostsProvider;
import io.tollgate.infra.config.TollgateConfig;
import jakarta.enterprise.context.ApplicationScoped;
import io.smallrye.common.annotation.Identifier;
import java.net.URI;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where Redis is: {@code TOLLGATE_REDIS_URL} ({@code tollgate.redis.url}, comma-separated for a cluster) when set,
 * else the Redis that Tollgate starts itself. Called when the Redis client is created, so the build never starts
 * a server.
 */
@ApplicationScoped
@Identifier(RedisHosts.NAME)
public class RedisHosts implements RedisHostsProvider {
    public static final String NAME = "tollgate-redis";

    private final TollgateConfig config;

    public RedisHosts(TollgateConfig config) {
        this.config = config;
    }

    @Override
    public Set<URI> getHosts() {
        String urls = config.redis().url().filter(url -> !url.isBlank()).orElseGet(EmbeddedServices::redisUrl);
        return Arrays.stream(urls.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(URI::create)
                .collect(Collectors.toUnmodifiableSet());
    }
}
