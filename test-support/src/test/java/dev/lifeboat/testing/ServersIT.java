package dev.lifeboat.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.SaslAuthenticationException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.lifeboat.common.etcd.LoopbackPorts;

class ServersIT {
    @TempDir
    Path dir;

    @Test
    void etcdWithClientCertificatesServesOnlyAuthenticatedClients() {
        TlsBundle tls = TlsBundle.generate(dir.resolve("tls"));
        try (EtcdServer etcd = EtcdServer.start(dir.resolve("etcd"), tls)) {
            etcd.etcdctl("put", "/registry/a", "1");
            assertThat(etcd.etcdctl("get", "/registry/a", "--print-value-only").trim()).isEqualTo("1");
            var anonymous = Commands.run(java.util.List.of(EtcdServer.etcdctlBinary(), "--endpoints", etcd.clientUrl(),
                    "--cacert", tls.caCert().toString(), "--dial-timeout", "2s", "--command-timeout", "3s",
                    "get", "/registry/a"));
            assertThat(anonymous.exitCode()).isNotZero();
        }
    }

    @Test
    void aScramBrokerServesClientsWithCredentialsAndRefusesOthers() throws Exception {
        try (KafkaBroker kafka = KafkaBroker.startWithScram(dir.resolve("kafka-scram"))) {
            Properties withCredentials = new Properties();
            withCredentials.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            withCredentials.putAll(kafka.clientSecurity());
            try (Admin admin = Admin.create(withCredentials)) {
                admin.createTopics(List.of(new NewTopic("scram-probe", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("scram-probe");
            }
            Properties anonymous = new Properties();
            anonymous.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            anonymous.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
            anonymous.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
            try (Admin admin = Admin.create(anonymous)) {
                assertThatThrownBy(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class);
            }
            Properties wrongPassword = new Properties();
            wrongPassword.putAll(withCredentials);
            wrongPassword.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                    + "username=\"" + KafkaBroker.SCRAM_USER + "\" password=\"guessed\";");
            wrongPassword.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
            wrongPassword.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
            try (Admin admin = Admin.create(wrongPassword)) {
                assertThatThrownBy(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(SaslAuthenticationException.class);
            }
        }
    }

    @Test
    void kafkaAndS3Start() {
        try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"));
             S3Server s3 = S3Server.start(dir.resolve("s3"))) {
            assertThat(LoopbackPorts.isListening(kafka.port())).isTrue();
            assertThat(LoopbackPorts.isListening(s3.port())).isTrue();
            s3.stop();
            assertThat(s3.isRunning()).isFalse();
            s3.start();
            assertThat(LoopbackPorts.isListening(s3.port())).isTrue();
        }
    }
}
