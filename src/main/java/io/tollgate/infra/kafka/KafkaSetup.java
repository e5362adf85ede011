package io.tollgate.infra.kafka;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConnector;
import io.tollgate.infra.config.TollgateConfig;
import io.tollgate.infra.embedded.EmbeddedServices;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.eclipse.microprofile.reactive.messaging.spi.Connector;
import org.jboss.logging.Logger;

/**
 * Where Kafka is ({@code TOLLGATE_KAFKA_BOOTSTRAP}, else the broker Tollgate starts itself), handed to the
 * SmallRye Kafka connector as its default configuration, and the events topic, created at start if missing. At
 * shutdown it closes the Kafka clients before the database pool and the Redis client close.
 */
@Singleton
public class KafkaSetup {
    private static final Logger LOG = Logger.getLogger(KafkaSetup.class);
    public static final String CONFIGURATION = "tollgate-kafka";
    static final long ADMIN_TIMEOUT_SECONDS = 30;

    private final TollgateConfig config;

    public KafkaSetup(TollgateConfig config) {
        this.config = config;
    }

    public String bootstrapServers() {
        return config.kafka().bootstrap().filter(b -> !b.isBlank()).orElseGet(EmbeddedServices::kafkaBootstrap);
    }

    /** The connector's default configuration (mp.messaging.connector.smallrye-kafka.kafka-configuration). */
    @Produces
    @Identifier(CONFIGURATION)
    Map<String, Object> connectorConfiguration() {
        return Map.of("bootstrap.servers", bootstrapServers());
    }

    /**
     * Closes the connector's consumers and producers while the database pool and Redis are still open. Quarkus
     * closes the reactive pool and the Redis client in shutdown tasks that run before the beans are destroyed, and
     * the connector closes its clients only then: a ledger batch still being written failed with "Pool closed" and
     * was retried until the consumer went away. Here, after the application's own stop observers (the relay hands
     * its last sends over first), the connector's graceful close lets in-flight batches finish and commits their
     * offsets; its own close at bean destruction then finds nothing left to do.
     */
    void closeClientsFirst(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER) ShutdownEvent stop,
            @Connector(KafkaConnector.CONNECTOR_NAME) KafkaConnector connector) {
        connector.terminate(stop);
    }

    void ensureTopic(@Observes StartupEvent start) throws InterruptedException {
        TollgateConfig.Kafka kafka = config.kafka();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            Set<String> topics = admin.listTopics().names().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            for (String topic : List.of(kafka.topic(), kafka.topic() + ".dlq")) {
                if (!topics.contains(topic)) {
                    admin.createTopics(List.of(new NewTopic(topic, kafka.partitions(), kafka.replicationFactor())))
                            .all().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    LOG.infof("Created topic %s with %d partitions", topic, kafka.partitions());
                }
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("could not create topic " + kafka.topic(), e);
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrapServers() + " did not answer within " + ADMIN_TIMEOUT_SECONDS + " s", e);
        }
    }
}
