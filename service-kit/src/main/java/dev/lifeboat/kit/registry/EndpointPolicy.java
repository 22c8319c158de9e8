package dev.lifeboat.kit.registry;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Which etcd hosts a registration may name: CIDRs match IP literals, exact names and
 * {@code *.suffix} patterns match host names. Host names are never resolved here, so a check
 * neither depends on nor reveals what DNS says.
 */
public final class EndpointPolicy {
    private final List<String> allowed;

    /** @param allowed CIDRs, host names or {@code *.suffix} patterns; null means any host */
    public EndpointPolicy(List<String> allowed) {
        this.allowed = allowed == null ? null : List.copyOf(allowed);
        if (this.allowed != null) {
            this.allowed.stream().filter(p -> p.contains("/")).forEach(EndpointPolicy::parseCidr);
        }
    }

    public static EndpointPolicy anyHost() {
        return new EndpointPolicy(null);
    }

    public boolean restricts() {
        return allowed != null;
    }

    public boolean allows(String host) {
        if (allowed == null) {
            return true;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        byte[] ip = ipLiteral(h);
        for (String pattern : allowed) {
            String p = pattern.trim().toLowerCase(Locale.ROOT);
            if (p.contains("/")) {
                if (ip != null && inCidr(ip, p)) {
                    return true;
                }
            } else if (p.startsWith("*.")) {
                if (ip == null && h.endsWith(p.substring(1))) {
                    return true;
                }
            } else if (p.equals(h)) {
                return true;
            }
        }
        return false;
    }

    private static boolean inCidr(byte[] ip, String cidr) {
        Object[] parsed = parseCidr(cidr);
        byte[] network = (byte[]) parsed[0];
        int bits = (int) parsed[1];
        if (network.length != ip.length) {
            return false;
        }
        int total = ip.length * 8;
        BigInteger mask = BigInteger.ONE.shiftLeft(total).subtract(BigInteger.ONE)
                .xor(BigInteger.ONE.shiftLeft(total - bits).subtract(BigInteger.ONE));
        return new BigInteger(1, ip).and(mask).equals(new BigInteger(1, network).and(mask));
    }

    private static Object[] parseCidr(String cidr) {
        String[] parts = cidr.trim().split("/", 2);
        byte[] network = ipLiteral(parts[0]);
        int bits;
        try {
            bits = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            bits = -1;
        }
        if (network == null || bits < 0 || bits > network.length * 8) {
            throw new IllegalArgumentException("lifeboat.etcd.allowed-endpoints: '" + cidr + "' is not a CIDR");
        }
        return new Object[] {network, bits};
    }

    /** The address of an IP literal, or null for a host name (never a DNS lookup). */
    private static byte[] ipLiteral(String host) {
        boolean v4 = host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = host.contains(":") && host.matches("[0-9a-f:.]+");
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(host).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
