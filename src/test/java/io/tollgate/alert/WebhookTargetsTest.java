package io.tollgate.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Webhooks must not reach the pods' own network unless an operator allows it (SSRF). */
class WebhookTargetsTest {
    static final WebhookTargets NONE = new WebhookTargets(Optional.empty());
    static final WebhookTargets LOOPBACK_V4 = new WebhookTargets(Optional.of(List.of("127.0.0.0/8")));

    static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal); // literals only: no DNS lookup
    }

    @Test
    void internalAddressesAreRecognised() throws Exception {
        for (String a : List.of("10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "127.0.0.1", "127.255.0.9",
                "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "198.18.0.1", "::1", "::",
                "fe80::1", "fc00::1", "fd12:3456::1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a00:1", "ff02::1")) {
            assertTrue(WebhookTargets.isInternal(ip(a)), a + " is internal");
            assertFalse(NONE.isAllowed(ip(a)), a + " is not a webhook target by default");
        }
        for (String a : List.of("8.8.8.8", "1.1.1.1", "11.0.0.1", "172.32.0.1", "100.128.0.1", "169.255.0.1", "2001:4860:4860::8888",
                "2606:4700::1111")) {
            assertFalse(WebhookTargets.isInternal(ip(a)), a + " is public");
            assertTrue(NONE.isAllowed(ip(a)), a + " is a webhook target");
        }
    }

    @Test
    void anAllowedNetworkOpensOnlyItself() throws Exception {
        assertTrue(LOOPBACK_V4.isAllowed(ip("127.0.0.1")));
        assertTrue(LOOPBACK_V4.isAllowed(ip("127.1.2.3")));
        assertFalse(LOOPBACK_V4.isAllowed(ip("::1")));
        assertFalse(LOOPBACK_V4.isAllowed(ip("10.0.0.1")));
        assertFalse(LOOPBACK_V4.isAllowed(ip("169.254.169.254")));
        WebhookTargets office = new WebhookTargets(Optional.of(List.of(" 10.20.0.0/16 ", "fd00:1::/32")));
        assertTrue(office.isAllowed(ip("10.20.255.1")));
        assertFalse(office.isAllowed(ip("10.21.0.1")));
        assertTrue(office.isAllowed(ip("fd00:1:ffff::1")));
        assertFalse(office.isAllowed(ip("fd00:2::1")));
    }

    @Test
    void badNetworksAreRefusedAtStart() {
        for (String cidr : List.of("10.0.0.0", "10.0.0.0/33", "10.0.0.0/x", "example.com/8", "::1/129", "/8", "10.0.0/8")) {
            assertThrows(IllegalArgumentException.class, () -> new WebhookTargets(Optional.of(List.of(cidr))), cidr);
        }
        assertThrows(IllegalArgumentException.class,
                () -> new WebhookTargets(Optional.of(Collections.nCopies(WebhookTargets.ALLOWED_NETWORKS_MAX + 1, "10.0.0.0/8"))));
    }

    @Test
    void registrationRefusesInternalLiteralsAndLeavesNamesToDelivery() {
        for (String host : List.of("169.254.169.254", "10.0.0.1", "127.0.0.1", "[::1]", "[fd00::1]", "[::ffff:192.168.0.1]")) {
            assertFalse(NONE.mayRegister(host), host);
        }
        for (String host : List.of("8.8.8.8", "[2001:4860:4860::8888]", "example.com", "hooks.example.com", "localhost")) {
            assertTrue(NONE.mayRegister(host), host);
        }
        assertTrue(LOOPBACK_V4.mayRegister("127.0.0.1"));
        assertFalse(LOOPBACK_V4.mayRegister("[::1]"));
    }

    @Test
    void deliveryChecksEveryAddressTheNameResolvesTo() throws Exception {
        Duration wait = Duration.ofSeconds(10);
        // localhost resolves (hosts file) to loopback addresses only: refused unless loopback is allowed
        assertThrows(WebhookTargets.Refused.class, () -> NONE.resolve("localhost").await().atMost(wait));
        assertThrows(WebhookTargets.Refused.class, () -> NONE.resolve("127.0.0.1").await().atMost(wait));
        assertThrows(WebhookTargets.Refused.class, () -> NONE.resolve("[::1]").await().atMost(wait));
        WebhookTargets loopback = new WebhookTargets(Optional.of(List.of("127.0.0.0/8", "::1/128")));
        assertTrue(loopback.resolve("localhost").await().atMost(wait).isLoopbackAddress());
        assertEquals(ip("127.0.0.1"), LOOPBACK_V4.resolve("127.0.0.1").await().atMost(wait));
        assertEquals(ip("8.8.8.8"), NONE.resolve("8.8.8.8").await().atMost(wait), "a public literal needs no lookup");
    }
}
