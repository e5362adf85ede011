package io.tollgate.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpServer;
import io.vertx.mutiny.ext.web.client.WebClient;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A webhook goes to the address WebhookTargets checked, whatever the name resolves to, while the Host header and the
 * TLS certificate check still use the URL's name. Real servers on loopback; the test certificate is for "localhost"
 * only (src/test/resources/tls, self-signed, valid until 2126).
 */
class WebhookPostTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static Vertx vertx;
    static HttpServer plain;
    static HttpServer tls;
    static WebClient client;
    static final List<String> seen = new CopyOnWriteArrayList<>();
    static InetAddress loopback;

    @BeforeAll
    static void servers() throws Exception {
        vertx = Vertx.vertx();
        loopback = InetAddress.getByName("127.0.0.1");
        plain = vertx.createHttpServer().requestHandler(r -> {
            seen.add("http " + r.host() + " " + r.uri());
            r.response().setStatusCode(204).endAndForget();
        }).listen(0, "127.0.0.1").await().atMost(WAIT);
        tls = vertx.createHttpServer(new HttpServerOptions().setSsl(true)
                .setKeyCertOptions(new PfxOptions().setPath("tls/webhook-tls.p12").setPassword("changeit")))
                .requestHandler(r -> {
                    seen.add("https " + r.host() + " " + r.uri());
                    r.response().setStatusCode(204).endAndForget();
                }).listen(0, "127.0.0.1").await().atMost(WAIT);
        // Trusts the test certificate only, and checks the host name as the dispatcher's client does (the default).
        client = WebClient.create(vertx, new WebClientOptions().setTrustOptions(new PemTrustOptions().addCertPath("tls/webhook-tls.crt")));
    }

    @AfterAll
    static void close() {
        client.close();
        vertx.closeAndAwait();
    }

    static int post(String url) {
        return AlertDispatcher.post(client, URI.create(url), loopback).sendBuffer(Buffer.buffer("{}")).await().atMost(WAIT).statusCode();
    }

    @Test
    void theRequestGoesToTheCheckedAddressWithTheNameInHost() {
        // .invalid never resolves (RFC 6761): only the pinned address can have answered
        assertEquals(204, post("http://hooks.example.invalid:" + plain.actualPort() + "/tollgate?tenant=acme"));
        assertEquals("http hooks.example.invalid:" + plain.actualPort() + " /tollgate?tenant=acme", seen.get(seen.size() - 1));
        assertEquals(204, post("http://hooks.example.invalid:" + plain.actualPort()));
        assertEquals("http hooks.example.invalid:" + plain.actualPort() + " /", seen.get(seen.size() - 1));
    }

    @Test
    void tlsVerifiesTheCertificateAgainstTheUrlsNameNotTheAddress() {
        // the certificate names localhost and no address: accepted only because the name is checked, not 127.0.0.1
        assertEquals(204, post("https://localhost:" + tls.actualPort() + "/hook"));
        assertEquals("https localhost:" + tls.actualPort() + " /hook", seen.get(seen.size() - 1));
        int before = seen.size();
        assertThrows(RuntimeException.class, () -> post("https://hooks.example.invalid:" + tls.actualPort() + "/hook"),
                "a certificate for another name is refused");
        assertEquals(before, seen.size(), "nothing was sent over the refused connection");
    }
}
