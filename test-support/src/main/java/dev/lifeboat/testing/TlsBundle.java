package dev.lifeboat.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A CA, a server certificate for 127.0.0.1/localhost and a client certificate, made with the
 * openssl command line. Keys are PKCS#8 PEM, as jetcd requires.
 */
public record TlsBundle(Path caCert, Path serverCert, Path serverKey, Path clientCert, Path clientKey) {

    public static TlsBundle generate(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String d = dir.toString();
        Path ext = dir.resolve("server.ext");
        try {
            Files.writeString(ext, "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                    + "extendedKeyUsage=serverAuth,clientAuth\n");
            Files.writeString(dir.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=lifeboat-test-ca",
                "-keyout", d + "/ca.key", "-out", d + "/ca.crt");
        issue(d, "server", "/CN=etcd-server", ext.toString());
        issue(d, "client", "/CN=lifeboat", d + "/client.ext");
        return new TlsBundle(dir.resolve("ca.crt"), dir.resolve("server.crt"), dir.resolve("server.key"),
                dir.resolve("client.crt"), dir.resolve("client.key"));
    }

    private static void issue(String d, String name, String subject, String extFile) {
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", d + "/" + name + ".key");
        openssl("req", "-new", "-key", d + "/" + name + ".key", "-subj", subject, "-out", d + "/" + name + ".csr");
        openssl("x509", "-req", "-in", d + "/" + name + ".csr", "-CA", d + "/ca.crt", "-CAkey", d + "/ca.key",
                "-CAcreateserial", "-days", "2", "-extfile", extFile, "-out", d + "/" + name + ".crt");
    }

    private static void openssl(String... args) {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        Commands.check(cmd);
    }
}
