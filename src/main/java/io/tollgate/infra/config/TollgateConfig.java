package io.tollgate.infra.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Every tunable of Tollgate, with its limit. Names end in their unit. */
@ConfigMapping(prefix = "tollgate")
public interface TollgateConfig {

    /** Number of buckets B; fixed at install time: changing it moves every wallet to another key. */
    @WithDefault("64")
    int buckets();

    Admin admin();

    Auth auth();

    Idempotency idempotency();

    Debit debit();

    Pricing pricing();

    Embedded embedded();

    Redis redis();

    Database database();

    Relay relay();

    Reconciliation reconciliation();

    /** The job that compares Redis with the ledger (ledger.Reconciliation). */
    interface Reconciliation {
        /** How often the job runs (a scheduler interval such as 5m). */
        @WithDefault("5m")
        String every();

        /** Wallets compared per run at most, in wallet id order; bounds one run's work. */
        @WithDefault("100000")
        int maxWallets();

        /** Redis reads in flight at once during a run. */
        @WithDefault("64")
        int concurrency();
    }

    /** The outbox relay that runs in every pod (OutboxRelay). */
    interface Relay {
        @WithDefault("true")
        boolean enabled();

        /**
         * Entries read and acknowledged per bucket per round, and events awaiting Kafka per bucket at a time (a packed
         * entry of a batch call holds many events); bounds the work in flight.
         */
        @WithDefault("256")
        int batchSize();

        /** The longest pause between polls of an idle bucket: an idle relay costs buckets / this in reads per second. */
        @WithDefault("1S")
        Duration idlePollMax();

        /**
         * The pause after a round that relayed some entries but less than a full batch: lets a busy bucket gather a
         * batch, so that a read and an acknowledgement carry many events instead of one or two. Adds at most this to
         * an event's way to the ledger.
         */
        @WithDefault("50MS")
        Duration busyPause();

        /** Entries a consumer has held this long without acknowledging are claimed by another pod. */
        @WithDefault("30S")
        Duration claimIdle();

        /** Relayed entries stay in the stream at least this long (for operators and replays), then are trimmed. */
        @WithDefault("60S")
        Duration retain();

        /** How often each bucket is checked for entries to claim, and trimmed. */
        @WithDefault("5S")
        Duration maintenanceEvery();

        /** This pod's consumer name in the relay group; unset: the host name plus a random suffix. */
        Optional<String> consumerName();
    }

    Kafka kafka();

    interface Database {
        /** An external PostgreSQL: postgresql://user:password@host:port/database. Unset: the embedded one. */
        Optional<String> url();
    }

    interface Kafka {
        /** External brokers (host:port,host:port). Unset: the embedded broker. */
        Optional<String> bootstrap();

        @WithDefault("tollgate.wallet-events")
        String topic();

        /** Partitions of the events topic when Tollgate creates it; the key is the wallet id. */
        @WithDefault("16")
        int partitions();

        @WithDefault("1")
        short replicationFactor();
    }

    interface Redis {
        /** An external Redis (redis://host:port; comma-separated for a cluster). Unset: the embedded one. */
        Optional<String> url();

        /** Long-lived, pipelined connections of the hot path per pod (ScriptRunner). */
        @WithDefault("4")
        int connections();
    }

    /** The services Tollgate starts itself when no external ones are configured (see EmbeddedServices). */
    interface Embedded {
        @WithDefault(".tollgate/data")
        String dataDir();

        /**
         * The data folder belongs to one JVM and is deleted when its services stop; folders next to it left by
         * finished runs are deleted at start. The tests set it; a local run keeps its data.
         */
        @WithDefault("false")
        boolean ephemeral();

        EmbeddedRedis redis();

        EmbeddedPostgres postgres();

        interface EmbeddedPostgres {
            /** fsync and synchronous commit on; tests turn them off for speed. */
            @WithDefault("true")
            boolean durable();
        }

        interface EmbeddedRedis {
            /** 0 = a free port. */
            @WithDefault("0")
            int port();
        }
    }

    interface Admin {
        /** The bootstrap admin key. Without it, a random one is generated and logged once at start. */
        Optional<String> bootstrapKey();
    }

    interface Auth {
        /** How long a pod trusts a resolved API key; revocation is visible after at most this. At most 5 s. */
        @WithDefault("2S")
        Duration cacheTtl();

        @WithDefault("10000")
        int cacheMaxEntries();
    }

    interface Idempotency {
        /** How long an idempotency record is kept; at least 24 hours. */
        @WithDefault("24H")
        Duration ttl();
    }

    interface Debit {
        /** How long a debit can be reversed after it was approved (Redis keeps one small hash per debit). */
        @WithDefault("48H")
        Duration reversalWindow();

        @WithDefault("1000")
        int batchMaxItems();

        /** Serve POST /v1/wallets/{id}/debits from its own Vert.x route (DebitRoute) rather than the REST layer. */
        @WithDefault("true")
        boolean directRoute();

        Coalesce coalesce();

        /** Natural batching of single debits (DebitLanes). */
        interface Coalesce {
            /** Single debits of one tenant and bucket read in the same event-loop turn share one script call. */
            @WithDefault("true")
            boolean enabled();

            /** At most this many debits in one coalesced call (a full call goes at once). 1..1000. */
            @WithDefault("64")
            int maxItems();
        }
    }

    interface Pricing {
        /** How long a pod caches a rate card; a change is visible after at most this. At most 5 s. */
        @WithDefault("2S")
        Duration cacheTtl();
    }
}
