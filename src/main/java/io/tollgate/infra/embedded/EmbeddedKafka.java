package io.tollgate.infra.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.jboss.logging.Logger;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one) inside this JVM, with its log in
 * {@code dataDir}. Its ports are kept in the data folder so a restarted local run finds its cluster again.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EmbeddedKafka.class);

    private final KafkaRaftServer server;
    private final int port;

    private EmbeddedKafka(KafkaRaftServer server, int port) {
        this.server = server;
        this.port = port;
    }

    public static EmbeddedKafka start(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        Properties ports = ports(dataDir.resolve("ports.properties"));
        int port = Integer.parseInt(ports.getProperty("broker"));
        int controllerPort = Integer.parseInt(ports.getProperty("controller"));
        Path logDir = dataDir.resolve("log");
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", logDir.toAbsolutePath().toString());
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "4");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        props.put("log.flush.interval.messages", "1000");
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            format(dataDir, props);
        }
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
        server.startup();
        LOG.infof("Embedded Kafka (KRaft) on 127.0.0.1:%d, data in %s", port, dataDir.toAbsolutePath());
        return new EmbeddedKafka(server, port);
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    private static void format(Path dataDir, Properties props) throws IOException {
        Path config = dataDir.resolve("server.properties");
        try (Writer out = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            props.store(out, "written by Tollgate's EmbeddedKafka to format the storage");
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int code = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()},
                new PrintStream(output, true, StandardCharsets.UTF_8));
        if (code != 0) {
            throw new IOException("formatting Kafka storage failed (" + code + "): " + output.toString(StandardCharsets.UTF_8));
        }
    }

    /** The broker and controller ports of this data folder: chosen once, then reused. */
    private static Properties ports(Path file) throws IOException {
        Properties ports = new Properties();
        if (Files.exists(file)) {
            try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                ports.load(in);
            }
            return ports;
        }
        ports.setProperty("broker", String.valueOf(EmbeddedRedis.freePort()));
        ports.setProperty("controller", String.valueOf(EmbeddedRedis.freePort()));
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            ports.store(out, "ports of the embedded Kafka broker");
        }
        return ports;
    }
}
