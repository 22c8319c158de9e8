package dev.lifeboat.common.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher against a real etcd, with etcdctl and /proc as the oracles. */
class EtcdProcessIT {
    private static final String ETCD = System.getenv().getOrDefault("LIFEBOAT_ETCD_BIN", "etcd");
    private static final String ETCDCTL = System.getenv().getOrDefault("LIFEBOAT_ETCDCTL_BIN", "etcdctl");
    private static final long QUOTA = 1L << 30;

    @TempDir
    Path dir;

    private EtcdLaunch launch(String name) {
        return EtcdLaunch.plain(ETCD, name, dir.resolve(name).resolve("data"), dir.resolve(name), QUOTA);
    }

    @Test
    void startsAMemberThatServesOnItsOwnPorts() throws Exception {
        try (EtcdProcess etcd = EtcdProcess.start(launch("one"))) {
            assertThat(etcd.ports().client()).isNotEqualTo(etcd.ports().peer());
            assertThat(etcdctl(etcd.clientUrl(), "put", "k", "v")).contains("OK");
            assertThat(etcdctl(etcd.clientUrl(), "get", "k", "--print-value-only").trim()).isEqualTo("v");
            assertThat(Files.readString(dir.resolve("one").resolve(EtcdProcess.PID_FILE))).startsWith(etcd.pid() + " ");
        }
        assertThat(dir.resolve("one").resolve(EtcdProcess.PID_FILE)).doesNotExist();
    }

    @Test
    void aPortTakenByAnotherProcessMeansANewStartOnNewPorts() throws Exception {
        try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int taken = squatter.getLocalPort();
            List<Integer> asked = new ArrayList<>();
            // the first client port is held by someone else, as when another process wins the race
            EtcdLaunch raced = launch("raced").withPorts(() -> {
                int port = asked.isEmpty() ? taken : LoopbackPorts.next();
                asked.add(port);
                return port;
            });
            List<EtcdProcess.Ports> prepared = new ArrayList<>();
            try (EtcdProcess etcd = EtcdProcess.start(raced, prepared::add)) {
                assertThat(prepared).hasSize(2);
                assertThat(prepared.get(0).client()).isEqualTo(taken);
                assertThat(etcd.ports()).isEqualTo(prepared.get(1));
                assertThat(etcd.ports().client()).isNotEqualTo(taken);
                assertThat(etcdctl(etcd.clientUrl(), "endpoint", "health")).contains("is healthy");
            }
            assertThat(Files.readString(dir.resolve("raced").resolve(EtcdProcess.LOG))).contains("address already in use");
        }
    }

    @Test
    void aPortThatIsAlwaysTakenIsReportedAsSuchNotAsABrokenEtcd() throws Exception {
        try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int taken = squatter.getLocalPort();
            assertThatThrownBy(() -> EtcdProcess.start(launch("unlucky").withPorts(() -> taken)))
                    .isInstanceOfSatisfying(EtcdStartException.class,
                            e -> assertThat(e.kind()).isEqualTo(EtcdStartException.Kind.PORTS_TAKEN));
        }
    }

    @Test
    void anEtcdThatCannotStartSaysWhy() throws Exception {
        Path notADir = Files.writeString(dir.resolve("file"), "x");
        EtcdLaunch broken = EtcdLaunch.plain(ETCD, "broken", notADir.resolve("data"), dir.resolve("broken"), QUOTA);
        assertThatThrownBy(() -> EtcdProcess.start(broken)).isInstanceOfSatisfying(EtcdStartException.class,
                e -> assertThat(e.kind()).isEqualTo(EtcdStartException.Kind.EXITED));
        EtcdLaunch missing = EtcdLaunch.plain(dir.resolve("no-etcd").toString(), "m", dir.resolve("d"), dir.resolve("m"), QUOTA);
        assertThatThrownBy(() -> EtcdProcess.start(missing)).isInstanceOfSatisfying(EtcdStartException.class,
                e -> assertThat(e.kind()).isEqualTo(EtcdStartException.Kind.CANNOT_START));
    }

    @Test
    void aKilledMemberComesBackOnTheSamePortsWithItsData() throws Exception {
        try (EtcdProcess etcd = EtcdProcess.start(launch("again"))) {
            etcdctl(etcd.clientUrl(), "put", "k", "kept");
            EtcdProcess.Ports ports = etcd.ports();
            etcd.kill();
            assertThat(etcd.isAlive()).isFalse();
            etcd.restart();
            assertThat(etcd.ports()).isEqualTo(ports);
            assertThat(etcdctl(etcd.clientUrl(), "get", "k", "--print-value-only").trim()).isEqualTo("kept");
        }
    }

    @Test
    void theChildDoesNotInheritTheServiceEnvironment() throws Exception {
        try (EtcdProcess etcd = EtcdProcess.start(launch("env"))) {
            String environ = Files.readString(Path.of("/proc", String.valueOf(etcd.pid()), "environ"),
                    StandardCharsets.UTF_8);
            List<String> names = List.of(environ.split("\0")).stream().map(v -> v.substring(0, v.indexOf('=')))
                    .sorted().toList();
            assertThat(names).containsExactly("ETCDCTL_API", "PATH");
        }
    }

    @Test
    void anOrphanNamedByItsPidFileIsStoppedAndAStrangerIsNot() throws Exception {
        Path drills = dir.resolve("drills");
        EtcdProcess orphan = EtcdProcess.start(EtcdLaunch.plain(ETCD, "orphan",
                drills.resolve("drill-1").resolve("data"), drills.resolve("drill-1"), QUOTA));
        // a live process whose pid file has another start time: the pid was reused, not ours to stop
        Process stranger = new ProcessBuilder("sleep", "60").start();
        Path strangerDir = Files.createDirectories(drills.resolve("drill-2"));
        Files.writeString(strangerDir.resolve(EtcdProcess.PID_FILE), stranger.pid() + " 12345\n");
        try {
            assertThat(EtcdProcess.stopOrphans(drills)).isEqualTo(1);
            assertThat(ProcessHandle.of(orphan.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(stranger.isAlive()).isTrue();
            assertThat(strangerDir.resolve(EtcdProcess.PID_FILE)).doesNotExist();
            assertThat(EtcdProcess.stopOrphans(drills)).isZero();
        } finally {
            stranger.destroyForcibly();
            orphan.close();
        }
    }

    private static String etcdctl(String endpoint, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ETCDCTL, "--endpoints", endpoint, "--command-timeout", "5s"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

}
