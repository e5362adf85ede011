package io.tollgate.alert;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where webhooks may be sent: tenants name the URL, so without this a tenant could make Tollgate's pods call their
 * own network (the cloud metadata service, Redis, the database, an admin port). Only public unicast addresses are
 * allowed, plus the networks an operator lists in {@code tollgate.alerts.webhook-allowed-networks}.
 *
 * <p>The check is made on the address a delivery connects to: the host is resolved, every address it resolves to
 * must be allowed, and the request goes to the address that was checked (a DNS answer that changes between check and
 * connect cannot redirect it). Registration also refuses a URL whose host is a literal address that is not allowed,
 * so the mistake is answered at once; a host name is only resolved when a delivery is sent.
 */
@jakarta.inject.Singleton
public class WebhookTargets {
    static final int ALLOWED_NETWORKS_MAX = 32;
    // before INTERNAL, whose parsing uses it
    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /** Not public unicast internet: IANA special-purpose ranges (RFC 6890 and successors), multicast, reserved. */
    private static final List<Network> INTERNAL = List.of(
            Network.parse("0.0.0.0/8"), Network.parse("10.0.0.0/8"), Network.parse("100.64.0.0/10"), Network.parse("127.0.0.0/8"),
            Network.parse("169.254.0.0/16"), Network.parse("172.16.0.0/12"), Network.parse("192.0.0.0/24"),
            Network.parse("192.0.2.0/24"), Network.parse("192.88.99.0/24"), Network.parse("192.168.0.0/16"),
            Network.parse("198.18.0.0/15"), Network.parse("198.51.100.0/24"), Network.parse("203.0.113.0/24"),
            Network.parse("224.0.0.0/4"), Network.parse("240.0.0.0/4"),
            Network.parse("::/96"), Network.parse("64:ff9b::/96"), Network.parse("64:ff9b:1::/48"), Network.parse("100::/64"),
            Network.parse("2001::/23"), Network.parse("2001:db8::/32"), Network.parse("2002::/16"), Network.parse("fc00::/7"),
            Network.parse("fe80::/10"), Network.parse("fec0::/10"), Network.parse("ff00::/8"));

    private final List<Network> allowed;

    @jakarta.inject.Inject
    public WebhookTargets(AlertsConfig config) {
        this(config.webhookAllowedNetworks());
    }

    /** @param allowedNetworks CIDRs ("127.0.0.0/8", "::1/128") whose addresses are allowed even though internal */
    WebhookTargets(Optional<List<String>> allowedNetworks) {
        List<String> cidrs = allowedNetworks.orElse(List.of());
        if (cidrs.size() > ALLOWED_NETWORKS_MAX) {
            throw new IllegalArgumentException("tollgate.alerts.webhook-allowed-networks: at most " + ALLOWED_NETWORKS_MAX + " networks");
        }
        try {
            this.allowed = cidrs.stream().map(String::trim).filter(s -> !s.isEmpty()).map(Network::parse).toList();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tollgate.alerts.webhook-allowed-networks: " + e.getMessage(), e);
        }
    }

    static boolean isInternal(InetAddress address) {
        return INTERNAL.stream().anyMatch(n -> n.contains(address));
    }

    boolean isAllowed(InetAddress address) {
        return !isInternal(address) || allowed.stream().anyMatch(n -> n.contains(address));
    }

    /**
     * The address a URL's host literally names, if it is an IPv4 dotted quad or a bracketed IPv6 address (as
     * {@link java.net.URI#getHost()} gives it); empty for a host name. Never a DNS lookup.
     */
    static Optional<InetAddress> literal(String host) {
        boolean v6 = host.startsWith("[") && host.endsWith("]");
        if (!v6 && !IPV4_LITERAL.matcher(host).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(unbracketed(host)));
        } catch (UnknownHostException e) {
            return Optional.empty(); // not a valid literal after all (e.g. 999.1.1.1): resolution fails at delivery
        }
    }

    /** A URL host without the brackets of an IPv6 literal ("[::1]" → "::1"); any other host as it is. */
    static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** Whether registration may accept this host: a literal address must be allowed; a name is checked at delivery. */
    boolean mayRegister(String host) {
        return literal(host).map(this::isAllowed).orElse(true);
    }

    /**
     * Resolves the host on a worker thread (the JDK resolver blocks) and answers the address to connect to; fails with
     * {@link Refused} if any address it resolves to is not allowed, and with an IllegalStateException (caused by the
     * {@link UnknownHostException}) if it resolves to nothing.
     */
    Uni<InetAddress> resolve(String host) {
        Optional<InetAddress> literal = literal(host);
        Uni<InetAddress[]> addresses = literal.isPresent() ? Uni.createFrom().item(new InetAddress[] {literal.get()})
                : Uni.createFrom().item(() -> lookup(host)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        return addresses.map(all -> {
            for (InetAddress a : all) {
                if (!isAllowed(a)) {
                    throw new Refused(host, a);
                }
            }
            return all[0];
        });
    }

    private static InetAddress[] lookup(String host) {
        try {
            return InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("unknown host " + host, e);
        }
    }

    /** A webhook host that is, or resolves to, an internal address nobody allowed. */
    static final class Refused extends RuntimeException {
        Refused(String host, InetAddress address) {
            super("not sent: " + host + " resolves to " + address.getHostAddress()
                    + ", an internal address (allow its network in tollgate.alerts.webhook-allowed-networks if intended)", null, false, false);
        }
    }

    /** An address prefix: "10.0.0.0/8", "fc00::/7". The JDK gives an IPv4-mapped address (::ffff:a.b.c.d) as IPv4. */
    record Network(byte[] prefix, int bits) {
        static Network parse(String cidr) {
            int slash = cidr.indexOf('/');
            if (slash < 1) {
                throw new IllegalArgumentException("not a network (address/prefix-length): " + cidr);
            }
            String address = cidr.substring(0, slash);
            if (!IPV4_LITERAL.matcher(address).matches() && !address.contains(":")) {
                throw new IllegalArgumentException("not an IP address: " + cidr); // never a DNS lookup
            }
            byte[] bytes;
            int bits;
            try {
                bytes = InetAddress.getByName(address).getAddress();
                bits = Integer.parseInt(cidr.substring(slash + 1));
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("not a network (address/prefix-length): " + cidr);
            }
            if (bits < 0 || bits > bytes.length * 8) {
                throw new IllegalArgumentException("prefix length out of range: " + cidr);
            }
            return new Network(bytes, bits);
        }

        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != prefix.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            return rest == 0 || ((a[full] ^ prefix[full]) & (0xff << (8 - rest)) & 0xff) == 0;
        }
    }
}
