package dev.lifeboat.common.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ChildProcessesTest {
    @Test
    void aChildSeesOnlyPathTheEtcdctlApiAndWhatTheCallerNames() throws IOException, InterruptedException {
        assertThat(System.getenv()).as("the test runs with more than PATH set").containsKey("HOME");
        // env prints the environment it was given: an oracle outside the JVM
        Process env = ChildProcesses.builder(List.of("env"), Map.of("ETCD_NAME", "given")).start();
        String printed = new String(env.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(env.waitFor()).isZero();
        List<String> names = printed.lines().map(l -> l.substring(0, l.indexOf('='))).sorted().toList();
        assertThat(names).containsExactly("ETCDCTL_API", "ETCD_NAME", "PATH");
        assertThat(printed).contains("ETCDCTL_API=3").contains("ETCD_NAME=given");
    }
}
