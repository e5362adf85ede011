package io.tollgate.infra.db;

import io.tollgate.infra.config.TollgateConfig;
import io.tollgate.infra.embedded.EmbeddedServices;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where PostgreSQL is: {@code TOLLGATE_DATABASE_URL} ({@code postgresql://user:password@host:port/database}) when
 * set, else the PostgreSQL Tollgate starts itself. Resolved at runtime only, so the build never starts a server.
 */
public record DatabaseTarget(String host, int port, String database, String user, String password) {
    static final String FORM = "TOLLGATE_DATABASE_URL must look like postgresql://user:password@host:port/database";

    public static DatabaseTarget resolve(TollgateConfig config) {
        return parse(config.database().url().filter(url -> !url.isBlank()).orElseGet(EmbeddedServices::postgresUrl));
    }

    static DatabaseTarget parse(String url) {
        URI uri;
        try {
            uri = new URI(url.startsWith("jdbc:") ? url.substring(5) : url);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(FORM + " (percent-encode special characters in the password)"); // never the URL itself
        }
        if ((!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException(FORM);
        }
        String user = "postgres";
        String password = "";
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
            password = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "";
        }
        String database = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
        return new DatabaseTarget(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 5432, database, user, password);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return "postgresql://" + user + "@" + host + ":" + port + "/" + database; // never the password
    }
}
