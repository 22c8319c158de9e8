package dev.lifeboat.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void kafkaAndS3Start() {
        try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"));
             S3Server s3 = S3Server.start(dir.resolve("s3"))) {
            assertThat(FreePorts.isListening(kafka.port())).isTrue();
            assertThat(FreePorts.isListening(s3.port())).isTrue();
            s3.stop();
            assertThat(s3.isRunning()).isFalse();
            s3.start();
            assertThat(FreePorts.isListening(s3.port())).isTrue();
        }
    }
}
