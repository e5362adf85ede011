package io.tollgate.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.net.SocketAddress;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.WebClient;
import io.vertx.mutiny.ext.web.codec.BodyCodec;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Sends the recorded deliveries: email through the reactive mailer, webhooks as signed POSTs.
 *
 * <p>Runs when {@link #signal() signalled} (a new alert) and every {@code tollgate.alerts.dispatch-every}. A round
 * claims due pending rows with {@code for update skip locked} and pushes their next attempt a lease into the future
 * in the same statement, so pods never send the same row at once and a pod that dies mid-send leaves rows that are
 * retried after the lease; no transaction stays open while sending.
 *
 * <p>Each send runs on its own: nothing waits for a batch. At most {@code max-in-flight} sends per pod and
 * {@code max-in-flight-per-target} per email address or endpoint, each bounded by its timeout, so a dead endpoint
 * holds a couple of slots for a few seconds at a time and other tenants' deliveries go past it. A failed attempt is
 * retried with exponential backoff (with a little jitter) until {@code max-attempts}, then marked failed. Delivery
 * is at least once: a pod that dies after sending and before recording sends again after the lease.
 *
 * <p>Every step of a round is bounded in time (each statement by {@link #DB_TIMEOUT}, each send by its timeout) and
 * no failure, synchronous or not, can leave {@code claiming} set or an in-flight slot taken: a round that goes wrong
 * ends, and the next signal or scheduled tick starts another; a row whose outcome could not be recorded is sent again
 * after its lease.
 */
@ApplicationScoped
@io.quarkus.runtime.Startup
public class AlertDispatcher {
    private static final Logger LOG = Logger.getLogger(AlertDispatcher.class);
    static final Duration LEASE_MARGIN = Duration.ofSeconds(30);
    /**
     * The longest any statement of the dispatcher may take, waiting for a pooled connection included (the pool's
     * wait queue is unbounded). Well inside LEASE_MARGIN, so an outcome is recorded before the row's lease runs out,
     * or the attempt is given up and the row sent again after it; never a round or a slot held for ever.
     */
    static final Duration DB_TIMEOUT = Duration.ofSeconds(10);
    static final Duration DEFER = Duration.ofSeconds(1);
    static final int ERROR_MAX_CHARS = 500;

    private final Pool db;
    private final ReactiveMailer mailer;
    private final WebClient web;
    private final WebhookTargets targets;
    private final AlertsConfig config;
    private final ObjectMapper json;
    private final Counter delivered;
    private final Counter failedAttempts;
    private final Counter givenUp;
    private final AtomicBoolean ready = new AtomicBoolean();
    private final AtomicBoolean claiming = new AtomicBoolean();
    private final AtomicBoolean signalled = new AtomicBoolean();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, AtomicInteger> inFlightPerTarget = new ConcurrentHashMap<>();

    /** A claimed delivery; url, secret and active come from its endpoint (null for email). */
    record Claimed(String id, String channel, String target, String payload, int attempts, String url, String secret, Boolean active) {
    }

    /** The receiver answered, but not with 2xx. */
    static final class Refused extends RuntimeException {
        final int status;

        Refused(int status) {
            super("answered HTTP " + status, null, false, false);
            this.status = status;
        }
    }

    public AlertDispatcher(Pool db, ReactiveMailer mailer, Vertx vertx, AlertsConfig config, ObjectMapper json, MeterRegistry metrics,
            WebhookTargets targets) {
        check(config);
        this.db = db;
        this.targets = targets;
        this.mailer = mailer;
        this.config = config;
        this.json = json;
        this.web = WebClient.create(vertx, new WebClientOptions().setConnectTimeout((int) config.webhookTimeout().toMillis())
                .setFollowRedirects(false).setUserAgent("Tollgate-Webhooks/1")
                // Connections are pooled per host, and unrelated tenants may share one (a hosting provider, the tests'
                // receiver): the per-host pool must not be the limit, or a dead endpoint would queue its neighbours.
                .setMaxPoolSize(config.maxInFlight()));
        this.delivered = Counter.builder("tollgate.alerts.delivered").description("Alert deliveries (emails, webhooks) that succeeded")
                .register(metrics);
        this.failedAttempts = Counter.builder("tollgate.alerts.attempts.failed")
                .description("Alert delivery attempts that failed and are retried or given up").register(metrics);
        this.givenUp = Counter.builder("tollgate.alerts.given.up")
                .description("Alert deliveries given up after tollgate.alerts.max-attempts failed attempts").register(metrics);
        Gauge.builder("tollgate.alerts.in.flight", inFlight, AtomicInteger::get)
                .description("Alert deliveries this pod is sending right now").register(metrics);
    }

    private static void check(AlertsConfig c) {
        if (c.batchSize() < 1 || c.batchSize() > 1000 || c.maxInFlight() < 1 || c.maxInFlight() > 1024
                || c.maxInFlightPerTarget() < 1 || c.maxInFlightPerTarget() > 64 || c.maxAttempts() < 1 || c.maxAttempts() > 50
                || between(c.webhookTimeout(), 1, 60) || between(c.emailTimeout(), 1, 120)
                || c.backoffFirst().isNegative() || c.backoffMax().compareTo(c.backoffFirst()) < 0) {
            throw new IllegalArgumentException("tollgate.alerts: batch-size 1..1000, max-in-flight 1..1024, max-in-flight-per-target 1..64, "
                    + "max-attempts 1..50, webhook-timeout 1..60 s, email-timeout 1..120 s, backoff-max >= backoff-first >= 0");
        }
    }

    private static boolean between(Duration d, long minSeconds, long maxSeconds) {
        return d.compareTo(Duration.ofSeconds(minSeconds)) < 0 || d.compareTo(Duration.ofSeconds(maxSeconds)) > 0;
    }

    /** After the migrations (which observe start-up at the default priority): before them there is no table to claim from. */
    void started(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) StartupEvent start) {
        ready.set(true);
        signal(); // deliveries left pending by a previous run
    }

    /** Stops claiming before the database pool closes. */
    void stopping(@Observes ShutdownEvent stop) {
        ready.set(false);
    }

    @Scheduled(every = "${tollgate.alerts.dispatch-every:1s}", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        signal();
    }

    /** Asks for a claim round soon; never blocks and never fails. A round already running picks the signal up. */
    public void signal() {
        signalled.set(true);
        if (ready.get() && claiming.compareAndSet(false, true)) {
            signalled.set(false);
            round();
        }
    }

    /**
     * Claims and starts one batch. Whatever happens, the round ends (claiming cleared) or the next one runs: an
     * exception in a callback would otherwise be dropped by Mutiny with {@code claiming} still set, and no round
     * would ever run again in this pod.
     */
    private void round() {
        try {
            int room = Math.min(config.batchSize(), config.maxInFlight() - inFlight.get());
            if (room <= 0) {
                endRound(); // a finishing send signals again
                return;
            }
            claim(room).map(claimed -> {
                claimed.forEach(this::start); // start never throws: one bad row cannot strand the others
                return claimed.size() == room;
            }).subscribe().with(full -> {
                if (full) {
                    round(); // more may be due
                } else {
                    endRound();
                }
            }, this::roundFailed);
        } catch (RuntimeException e) {
            roundFailed(e);
        }
    }

    /** Waits for the next scheduled tick rather than claiming again at once: the database may be away. */
    private void roundFailed(Throwable failure) {
        LOG.warnf("alert dispatcher: claiming deliveries failed (%s); next round in %s", failure.toString(), config.dispatchEvery());
        claiming.set(false);
    }

    private void endRound() {
        claiming.set(false);
        if (signalled.get()) {
            signal();
        }
    }

    private Uni<List<Claimed>> claim(int max) {
        long leaseMillis = Math.max(config.webhookTimeout().toMillis(), config.emailTimeout().toMillis()) + LEASE_MARGIN.toMillis();
        return db.preparedQuery("""
                with claimed as (
                    update alert_delivery d set attempts = d.attempts + 1,
                        next_attempt_at = now() + $2::float8 * interval '1 millisecond'
                    where d.id in (select id from alert_delivery where state = 'pending' and next_attempt_at <= now()
                                   order by next_attempt_at limit $1 for update skip locked)
                    returning d.id, d.channel, d.target, d.payload::text as payload, d.attempts)
                select c.id, c.channel, c.target, c.payload, c.attempts, e.url, e.secret, e.active
                from claimed c left join webhook_endpoint e on c.channel = 'webhook' and e.id = c.target""")
                .execute(Tuple.of(max, (double) leaseMillis)).map(rows -> {
                    List<Claimed> out = new ArrayList<>();
                    rows.forEach(row -> out.add(claimed(row)));
                    return out;
                })
                .ifNoItem().after(DB_TIMEOUT).failWith(() -> new TimeoutException("claiming took over " + DB_TIMEOUT)); // rows it may have claimed wait for their lease
    }

    private static Claimed claimed(Row row) {
        return new Claimed(row.getString("id"), row.getString("channel"), row.getString("target"), row.getString("payload"),
                row.getInteger("attempts"), row.getString("url"), row.getString("secret"), row.getBoolean("active"));
    }

    /**
     * Sends one claimed row and records the outcome, holding its slots until both are done (each bounded in time).
     * Never throws: a row that cannot even be started keeps its lease and is sent again when that runs out.
     */
    private void start(Claimed d) {
        AtomicInteger perTarget = null;
        boolean counted = false;
        try {
            perTarget = inFlightPerTarget.computeIfAbsent(d.target(), k -> new AtomicInteger());
            if (perTarget.incrementAndGet() > config.maxInFlightPerTarget()) {
                release(d.target(), perTarget);
                perTarget = null;
                defer(d).subscribe().with(x -> { }, f -> LOG.warnf("alert dispatcher: deferring %s failed (%s); it is retried after its lease",
                        d.id(), f.toString()));
                return;
            }
            inFlight.incrementAndGet();
            counted = true;
            AtomicInteger slot = perTarget;
            send(d).onItemOrFailure().transformToUni((status, failure) -> failure == null ? succeeded(d, status) : failed(d, failure))
                    .onTermination().invoke(() -> { // item, failure or cancellation: exactly once
                        release(d.target(), slot);
                        inFlight.decrementAndGet();
                        signal();
                    })
                    .subscribe().with(x -> { }, f -> LOG.warnf("alert dispatcher: recording the outcome of %s failed (%s); it is retried after its lease",
                            d.id(), f.toString()));
        } catch (RuntimeException e) {
            // Only a bug gets here, before the pipeline above was subscribed: give the slots back, the lease does the rest.
            if (counted) {
                inFlight.decrementAndGet();
            }
            if (perTarget != null) {
                release(d.target(), perTarget);
            }
            LOG.errorf(e, "alert dispatcher: could not start %s; it is retried after its lease", d.id());
        }
    }

    private void release(String target, AtomicInteger perTarget) {
        if (perTarget.decrementAndGet() <= 0) {
            inFlightPerTarget.remove(target, perTarget); // keeps the map as small as what is in flight
        }
    }

    /** Over its target's limit: hand the row back for a moment without counting an attempt. */
    private Uni<Void> defer(Claimed d) {
        return db.preparedQuery("update alert_delivery set attempts = attempts - 1, next_attempt_at = now() + $2::float8 * interval '1 millisecond' where id = $1")
                .execute(Tuple.of(d.id(), (double) DEFER.toMillis())).replaceWithVoid()
                .ifNoItem().after(DB_TIMEOUT).failWith(() -> new TimeoutException("deferring took over " + DB_TIMEOUT));
    }

    /** Sends once; answers the HTTP status for webhooks, null for email. */
    private Uni<Integer> send(Claimed d) {
        return Uni.createFrom().deferred(() -> "email".equals(d.channel()) ? email(d) : webhook(d));
    }

    private Uni<Integer> email(Claimed d) {
        JsonNode body = parse(d.payload());
        Mail mail = Mail.withText(d.target(), AlertEmails.subject(body), AlertEmails.text(body)).setFrom(config.emailFrom());
        return mailer.send(mail).ifNoItem().after(config.emailTimeout())
                .failWith(() -> new TimeoutException("the SMTP server did not accept the mail within " + config.emailTimeout()))
                .replaceWith((Integer) null);
    }

    private Uni<Integer> webhook(Claimed d) {
        if (!Boolean.TRUE.equals(d.active())) {
            return Uni.createFrom().failure(new EndpointGone());
        }
        URI url = URI.create(d.url()); // checked when the endpoint was registered
        long now = System.currentTimeMillis() / 1000;
        return targets.resolve(url.getHost()).chain(address -> post(web, url, address)
                .timeout(config.webhookTimeout().toMillis())
                .putHeader("Content-Type", "application/json")
                .putHeader(WebhookSignature.HEADER, WebhookSignature.header(d.secret(), now, d.payload()))
                .putHeader("Tollgate-Delivery-Id", d.id())
                .as(BodyCodec.none())
                .sendBuffer(Buffer.buffer(d.payload())))
                .ifNoItem().after(config.webhookTimeout())
                .failWith(() -> new TimeoutException("no answer within " + config.webhookTimeout()))
                .map(response -> {
                    if (response.statusCode() / 100 != 2) {
                        throw new Refused(response.statusCode());
                    }
                    return response.statusCode();
                });
    }

    /**
     * A POST to {@code url} that connects to {@code address}, the one {@link WebhookTargets} checked, not to whatever
     * the name resolves to next; the Host header, TLS server name and certificate check still use the URL's host.
     */
    static HttpRequest<Buffer> post(WebClient web, URI url, InetAddress address) {
        boolean https = "https".equalsIgnoreCase(url.getScheme());
        int port = url.getPort() != -1 ? url.getPort() : https ? 443 : 80;
        String host = WebhookTargets.unbracketed(url.getHost());
        String path = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        return web.request(HttpMethod.POST, SocketAddress.inetSocketAddress(port, address.getHostAddress()), port, host, path).ssl(https);
    }

    /** The endpoint was deleted after the alert was recorded: nothing to send to, ever. */
    static final class EndpointGone extends RuntimeException {
        EndpointGone() {
            super("the webhook endpoint was deleted", null, false, false);
        }
    }

    private Uni<Void> succeeded(Claimed d, Integer status) {
        delivered.increment();
        return db.preparedQuery("update alert_delivery set state = 'delivered', delivered_at = now(), last_status = $2, last_error = null where id = $1")
                .execute(Tuple.of(d.id(), status)).replaceWithVoid()
                .ifNoItem().after(DB_TIMEOUT).failWith(() -> new TimeoutException("recording the delivery took over " + DB_TIMEOUT));
    }

    private Uni<Void> failed(Claimed d, Throwable failure) {
        failedAttempts.increment();
        boolean last = failure instanceof EndpointGone || d.attempts() >= config.maxAttempts();
        Integer status = failure instanceof Refused refused ? refused.status : null;
        String error = clip(failure instanceof TimeoutException || failure instanceof Refused || failure instanceof EndpointGone
                ? failure.getMessage() : failure.toString());
        if (last) {
            givenUp.increment();
            LOG.warnf("alert delivery %s (%s to %s) failed after %d attempts: %s", d.id(), d.channel(), d.target(), d.attempts(), error);
        }
        Duration wait = backoff(d.attempts());
        if (!last) { // the retry falls due between scheduled rounds: wake up for it rather than wait for the next one
            Uni.createFrom().voidItem().onItem().delayIt().by(wait).subscribe().with(x -> signal());
        }
        return db.preparedQuery("""
                update alert_delivery set state = $2, next_attempt_at = now() + $3::float8 * interval '1 millisecond',
                    last_status = $4, last_error = $5 where id = $1""")
                .execute(Tuple.of(d.id(), last ? "failed" : "pending", (double) wait.toMillis(), status, error))
                .replaceWithVoid()
                .ifNoItem().after(DB_TIMEOUT).failWith(() -> new TimeoutException("recording the failed attempt took over " + DB_TIMEOUT));
    }

    /** backoffFirst × 2^(attempts−1), at most backoffMax, plus up to 10 % jitter so retries of many rows spread out. */
    Duration backoff(int attempts) {
        long max = config.backoffMax().toMillis();
        long millis = config.backoffFirst().toMillis();
        for (int i = 1; i < attempts && millis < max; i++) {
            millis *= 2;
        }
        millis = Math.min(millis, max);
        return Duration.ofMillis(millis + ThreadLocalRandom.current().nextLong(millis / 10 + 1));
    }

    private JsonNode parse(String payload) {
        try {
            return json.readTree(payload);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("an alert payload is not JSON", e);
        }
    }

    private static String clip(String text) {
        return text == null ? null : text.length() > ERROR_MAX_CHARS ? text.substring(0, ERROR_MAX_CHARS) : text;
    }
}
