package dev.lifeboat.common.etcd;

import java.util.List;
import java.util.Map;

/**
 * How Lifeboat starts {@code etcd} and {@code etcdctl}: with a minimal, explicit environment. The
 * service's own environment holds object-store secret keys and may hold {@code ETCD_*} or
 * {@code ETCDCTL_*} settings that would silently change what the child does; none of it is passed on.
 */
public final class ChildProcesses {
    /** The only variables a child sees besides the ones a caller names. */
    static final List<String> INHERITED = List.of("PATH");

    private ChildProcesses() {}

    /** A builder for {@code command} whose environment is {@code PATH}, {@code ETCDCTL_API=3} and {@code extra}. */
    public static ProcessBuilder builder(List<String> command, Map<String, String> extra) {
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        Map<String, String> parent = Map.copyOf(env);
        env.clear();
        for (String name : INHERITED) {
            if (parent.containsKey(name)) {
                env.put(name, parent.get(name));
            }
        }
        env.put("ETCDCTL_API", "3");
        env.putAll(extra);
        return builder;
    }

    public static ProcessBuilder builder(List<String> command) {
        return builder(command, Map.of());
    }
}
