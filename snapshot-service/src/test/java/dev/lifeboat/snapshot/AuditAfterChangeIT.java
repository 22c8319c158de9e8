package dev.lifeboat.snapshot;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lifeboat.events.Topics;
import dev.lifeboat.testing.EtcdServer;
import dev.lifeboat.testing.KafkaBroker;
import dev.lifeboat.testing.LifeboatInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;

/**
 * An audit record names only changes that were made: the registry write comes first, the audit
 * record after it. Faults are real: the broker refuses records of one topic (a per-topic size
 * limit) or is stopped; the audit topic is then read up to its end as the oracle.
 */
@QuarkusTest
@QuarkusTestResource(LifeboatInfrastructure.class)
class AuditAfterChangeIT extends SnapshotServiceTestBase {
    static Path dir;
    static EtcdServer etcd;

    @BeforeAll
    static void startEtcd() throws Exception {
        dir = Files.createTempDirectory("snapshot-audit-");
        etcd = EtcdServer.start(dir.resolve("etcd"));
    }

    @AfterAll
    static void stopEtcd() {
        etcd.close();
    }

    @Test
    void aRegistryWriteKafkaRefusesLeavesNoAuditRecord() {
        String clusterId = "audit-write-refused";
        try (RefusedTopic refused = RefusedTopic.of(Topics.CLUSTERS)) {
            put(clusterId).then().statusCode(503).contentType("application/problem+json");
        }
        asAdmin().get("/api/v1/clusters/" + clusterId).then().statusCode(404);
        assertThat(auditRecordsOf(clusterId)).as("audit records of a change that was not made").isEmpty();
    }

    @Test
    void anAuditRecordKafkaRefusesIsAnsweredAndLoggedAndTheChangeStands() throws Exception {
        String clusterId = "audit-record-refused";
        try (RefusedTopic refused = RefusedTopic.of(Topics.AUDIT)) {
            put(clusterId).then().statusCode(503).contentType("application/problem+json")
                    .body("detail", containsString("was made, but Kafka did not take its audit record"));
        }
        asAdmin().get("/api/v1/clusters/" + clusterId).then().statusCode(200);
        assertThat(auditRecordsOf(clusterId)).isEmpty();
        assertThat(Files.readString(Path.of("target", "snapshot-service-test.log")))
                .contains("AUDIT RECORD NOT PUBLISHED (the change was made): cluster.register " + clusterId + " by test-admin");
        // the next change is audited again
        put(clusterId).then().statusCode(200);
        assertThat(auditRecordsOf(clusterId)).hasSize(1);
    }

    @Test
    void withTheBrokerStoppedNothingChangesAndNothingIsAudited() {
        String clusterId = "audit-broker-down";
        KafkaBroker kafka = LifeboatInfrastructure.servers().kafka();
        kafka.close();
        try {
            // the registry write waits for Kafka for lifeboat.events.publish-timeout (30 s) before the 503
            asAdmin().config(RestAssuredConfig.config().httpClient(HttpClientConfig.httpClientConfig()
                            .setParam("http.socket.timeout", 120_000)))
                    .contentType(ContentType.JSON).body(plain(etcd.clientUrl())).put("/api/v1/clusters/" + clusterId)
                    .then().statusCode(503).contentType("application/problem+json");
        } finally {
            kafka.start();
        }
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        asAdmin().get("/api/v1/clusters/" + clusterId).then().statusCode(404);
        assertThat(auditRecordsOf(clusterId)).isEmpty();
        put(clusterId).then().statusCode(201);
        assertThat(auditRecordsOf(clusterId)).hasSize(1);
    }

    private io.restassured.response.Response put(String clusterId) {
        return asAdmin().contentType(ContentType.JSON).body(plain(etcd.clientUrl())).put("/api/v1/clusters/" + clusterId);
    }

    /** Every audit record of the cluster on the topic, read up to the end offsets of now. */
    static List<ConsumerRecord<String, byte[]>> auditRecordsOf(String clusterId) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LifeboatInfrastructure.servers().kafka().bootstrapServers());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.AUDIT, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (clusterId.equals(r.key())) {
                        found.add(r);
                    }
                });
            }
        }
        return found;
    }

    /** A topic whose records the broker refuses for as long as it is open (a size limit no record meets). */
    record RefusedTopic(Admin admin, ConfigResource topic) implements AutoCloseable {
        static RefusedTopic of(String name) {
            Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    LifeboatInfrastructure.servers().kafka().bootstrapServers()));
            RefusedTopic refused = new RefusedTopic(admin, new ConfigResource(ConfigResource.Type.TOPIC, name));
            refused.alter(new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "64"),
                    AlterConfigOp.OpType.SET));
            await().atMost(Duration.ofSeconds(30)).until(() -> "64".equals(refused.limit()));
            return refused;
        }

        /** The limit the broker applies now (its own view of the topic's configuration). */
        private String limit() throws Exception {
            return admin.describeConfigs(List.of(topic)).all().get().get(topic)
                    .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value();
        }

        private void alter(AlterConfigOp op) {
            try {
                admin.incrementalAlterConfigs(Map.of(topic, List.of(op))).all().get();
            } catch (Exception e) {
                throw new IllegalStateException("could not change " + topic.name(), e);
            }
        }

        @Override
        public void close() {
            alter(new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, ""),
                    AlterConfigOp.OpType.DELETE));
            await().atMost(Duration.ofSeconds(30)).until(() -> !"64".equals(limit()));
            admin.close();
        }
    }
}
