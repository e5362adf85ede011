package io.tollgate.load;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.TimeUnit;

/**
 * The two ways of offering load. Both run entirely on the generator's single event loop, warm up first (results
 * discarded), then measure a fixed window, and stop: every phase is bounded in count and time.
 */
final class Driver {
    /** One request of a phase; {@code n} is its sequence number (unique within the run, for idempotency keys). */
    interface Shot {
        Future<Outcome> fire(long n);
    }

    /** What a request achieved: approved debits, debits in it that were not approved, or an error description. */
    record Outcome(long debits, long notApproved, String error) {
        static Outcome ok(long debits) {
            return new Outcome(debits, 0, null);
        }

        static Outcome failed(String error) {
            return new Outcome(0, 0, error);
        }
    }

    private static final boolean SLOW_LOG = Boolean.getBoolean("load.slowlog");
    /** Open loop: send what has fallen due after each reply too, not only on the 1 ms timer (see {@link #open}). */
    private static final boolean SEND_ON_REPLY = !"false".equals(System.getProperty("load.sendOnReply"));
    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(30);

    private Driver() {
    }

    /**
     * Closed loop: {@code concurrency} requests always in flight, each sent as soon as the previous one of its slot
     * completes. Throughput = completions inside the window / window; latency = completion − send.
     */
    static void closed(Http http, Measure m, int concurrency, double warmupSeconds, double durationSeconds, Shot shot)
            throws Exception {
        Promise<Void> done = Promise.promise();
        Promise<Void> windowClosed = Promise.promise();
        http.vertx.runOnContext(v -> {
            long t0 = System.nanoTime();
            long windowStart = t0 + (long) (warmupSeconds * 1e9);
            long windowEnd = windowStart + (long) (durationSeconds * 1e9);
            ClosedState s = new ClosedState(http, m, shot, windowStart, windowEnd, concurrency, done);
            http.vertx.setTimer(Math.max(1, (windowStart - t0) / 1_000_000), id -> m.windowStarted());
            http.vertx.setTimer(Math.max(1, (windowEnd - t0) / 1_000_000), id -> {
                m.windowEnded();
                windowClosed.complete();
            });
            http.vertx.setTimer(Math.max(1, (windowEnd + DRAIN_NANOS - t0) / 1_000_000), id -> s.giveUp());
            for (int i = 0; i < concurrency; i++) {
                s.next();
            }
        });
        Future.all(done.future(), windowClosed.future()).toCompletionStage().toCompletableFuture().get();
    }

    private static final class ClosedState {
        final Http http;
        final Measure m;
        final Shot shot;
        final long windowStart;
        final long windowEnd;
        final Promise<Void> done;
        int inFlight;
        int slots;
        long counter;

        ClosedState(Http http, Measure m, Shot shot, long windowStart, long windowEnd, int slots, Promise<Void> done) {
            this.http = http;
            this.m = m;
            this.shot = shot;
            this.windowStart = windowStart;
            this.windowEnd = windowEnd;
            this.slots = slots;
            this.done = done;
        }

        void next() {
            long start = System.nanoTime();
            if (start >= windowEnd) {
                if (--slots == 0) {
                    done.tryComplete();
                }
                return;
            }
            inFlight++;
            shot.fire(counter++).onComplete(ar -> {
                long end = System.nanoTime();
                inFlight--;
                if (end >= windowStart && end < windowEnd) {
                    account(m, ar.succeeded() ? ar.result() : Outcome.failed(String.valueOf(ar.cause())));
                    m.recordLatencyNanos(end - start);
                }
                next();
            });
        }

        void giveUp() {
            if (done.future().isComplete()) {
                return;
            }
            m.unfinished += inFlight;
            done.tryComplete();
        }
    }

    /**
     * Open loop: request i is due at t0 + i/rate whatever happened to earlier ones. Latency = completion − intended
     * send time, so a stall counts against every request that should have been sent during it (no coordinated
     * omission). The window holds the requests intended in it.
     *
     * <p>What has fallen due is sent by a 1 ms timer and, unless {@code -Dload.sendOnReply=false}, also right after each
     * reply: on a VM whose timer interrupts come 2–4 ms late (2026-12-01), a timer alone sent requests in bursts,
     * late, and that lateness (the generator's, measured as the send lag) was charged to Tollgate's latency.
     */
    static void open(Http http, Measure m, double rate, double warmupSeconds, double durationSeconds, Shot shot)
            throws Exception {
        Promise<Void> done = Promise.promise();
        Promise<Void> windowClosed = Promise.promise();
        http.vertx.runOnContext(v -> {
            long t0 = System.nanoTime() + 2_000_000;
            double interval = 1e9 / rate;
            long warmupCount = Math.round(rate * warmupSeconds);
            long total = warmupCount + Math.round(rate * durationSeconds);
            long windowStart = t0 + (long) (warmupCount * interval);
            long windowEnd = t0 + (long) (total * interval);
            OpenState s = new OpenState(m, total, warmupCount, done, t0, interval, shot);
            http.vertx.setTimer(Math.max(1, (windowStart - System.nanoTime()) / 1_000_000), id -> m.windowStarted());
            http.vertx.setTimer(Math.max(1, (windowEnd - System.nanoTime()) / 1_000_000), id -> {
                m.windowEnded();
                windowClosed.complete();
            });
            http.vertx.setTimer(Math.max(1, (windowEnd + DRAIN_NANOS - System.nanoTime()) / 1_000_000), id -> s.giveUp());
            http.vertx.setPeriodic(1, 1, timer -> {
                s.sendDue();
                if (s.sent == total) {
                    http.vertx.cancelTimer(timer);
                }
            });
        });
        Future.all(done.future(), windowClosed.future()).toCompletionStage().toCompletableFuture().get();
    }

    private static final class OpenState {
        final Measure m;
        final long total;
        final long warmupCount;
        final Promise<Void> done;
        final long t0;
        final double interval;
        final Shot shot;
        long sent;
        long completed;
        int inFlight;
        int maxInFlight;
        /** True while {@link #sendDue} runs: a reply completed synchronously inside it must not start another. */
        boolean sending;

        OpenState(Measure m, long total, long warmupCount, Promise<Void> done, long t0, double interval, Shot shot) {
            this.m = m;
            this.total = total;
            this.warmupCount = warmupCount;
            this.done = done;
            this.t0 = t0;
            this.interval = interval;
            this.shot = shot;
        }

        /** Sends every request whose intended time has come. Event loop only. */
        void sendDue() {
            if (sending) {
                return;
            }
            sending = true;
            try {
                long now = System.nanoTime();
                long due = Math.min(total, now < t0 ? 0 : (long) ((now - t0) / interval) + 1);
                while (sent < due) {
                    send(sent++);
                }
            } finally {
                sending = false;
            }
        }

        private void send(long i) {
            long intended = t0 + (long) (i * interval);
            long actual = System.nanoTime();
            inFlight++;
            if (i >= warmupCount) {
                maxInFlight = Math.max(maxInFlight, inFlight);
                m.recordSendLagNanos(actual - intended);
            }
            shot.fire(i).onComplete(ar -> {
                long end = System.nanoTime();
                inFlight--;
                if (i >= warmupCount) {
                    account(m, ar.succeeded() ? ar.result() : Outcome.failed(String.valueOf(ar.cause())));
                    m.recordLatencyNanos(end - intended);
                    if (SLOW_LOG && end - intended > 20_000_000L) {
                        System.err.printf("slow %d ms intended at %d ms (epoch) service %d ms%n", (end - intended) / 1_000_000,
                                System.currentTimeMillis() - (System.nanoTime() - intended) / 1_000_000, (end - actual) / 1_000_000);
                    }
                    m.recordServiceNanos(end - actual);
                }
                completed++;
                if (completed == total) {
                    finish();
                } else if (SEND_ON_REPLY) {
                    sendDue();
                }
            });
        }

        void giveUp() {
            if (done.future().isComplete()) {
                return;
            }
            m.unfinished += total - completed;
            finish();
        }

        void finish() {
            m.put("maxInFlight", maxInFlight);
            done.tryComplete();
        }
    }

    private static void account(Measure m, Outcome o) {
        if (o.error() != null) {
            m.error(o.error());
            return;
        }
        m.ok++;
        m.debits += o.debits();
        m.itemsNotApproved += o.notApproved();
    }
}
