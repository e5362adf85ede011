package io.tollgate.infra.kafka;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.tollgate.infra.config.TollgateConfig;
import io.tollgate.infra.embedded.EmbeddedServices;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
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
import org.jboss.logging.Logger;

/**
 * Where Kafka is ({@code TOLLGATE_KAFKA_BOOTSTRAP}, else the broker Tollgate starts itself), handed to the
 * SmallRye Kafka connector as its default configuration, and the events topic, created at start if missing.
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
