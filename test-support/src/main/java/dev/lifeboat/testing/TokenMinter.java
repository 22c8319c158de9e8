package dev.lifeboat.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Bearer tokens in the MicroProfile JWT shape (RS256, {@code iss}, {@code sub}, {@code groups},
 * {@code exp}) signed with a key pair generated here, so tests and the local stack call the
 * services as a real identity provider's users would. {@link #shared()} is the one key of a test
 * JVM; {@link LifeboatInfrastructure#config()} makes every service trust it.
 */
public final class TokenMinter {
    public static final String ISSUER = "https://lifeboat.test/issuer";
    public static final String VIEWER = "lifeboat-viewer";
    public static final String OPERATOR = "lifeboat-operator";
    public static final String ADMIN = "lifeboat-admin";
    /** Reads the services' metrics only: what a Prometheus scraper's token carries. */
    public static final String METRICS = "lifeboat-metrics";

    private static TokenMinter shared;

    private final KeyPair keys;
    private final String issuer;

    private TokenMinter(KeyPair keys, String issuer) {
        this.keys = keys;
        this.issuer = issuer;
    }

    /** A minter with a fresh RSA key pair (another key than {@link #shared()}'s). */
    public static TokenMinter generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return new TokenMinter(generator.generateKeyPair(), ISSUER);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no RSA key pair generator", e);
        }
    }

    /** The key every service of this JVM's tests verifies against. */
    public static synchronized TokenMinter shared() {
        if (shared == null) {
            shared = generate();
        }
        return shared;
    }

    public static String viewerToken() {
        return shared().token("test-viewer", VIEWER);
    }

    public static String operatorToken() {
        return shared().token("test-operator", OPERATOR);
    }

    public static String adminToken() {
        return shared().token("test-admin", ADMIN);
    }

    public static String metricsToken() {
        return shared().token("test-scraper", METRICS);
    }

    /** A token valid for an hour for {@code subject}, with these roles in {@code groups}. */
    public String token(String subject, String... groups) {
        Instant now = Instant.now();
        return sign(subject, now, now.plus(Duration.ofHours(1)), groups);
    }

    /** A token that expired an hour ago (outside any clock-skew allowance). */
    public String expiredToken(String subject, String... groups) {
        Instant now = Instant.now();
        return sign(subject, now.minus(Duration.ofHours(2)), now.minus(Duration.ofHours(1)), groups);
    }

    /** A token valid for {@code validFor} from now. */
    public String token(String subject, Duration validFor, String... groups) {
        Instant now = Instant.now();
        return sign(subject, now, now.plus(validFor), groups);
    }

    /** The public key as PEM, what {@code mp.jwt.verify.publickey.location} points at. */
    public String publicKeyPem() {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(keys.getPublic().getEncoded());
        return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
    }

    public Path writePublicKey(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.writeString(file, publicKeyPem());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The configuration keys that make a service verify this minter's tokens. */
    public Map<String, String> verificationConfig() {
        return Map.of("mp.jwt.verify.publickey", Base64.getEncoder().encodeToString(keys.getPublic().getEncoded()),
                "mp.jwt.verify.issuer", issuer);
    }

    private String sign(String subject, Instant issuedAt, Instant expiresAt, String... groups) {
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String claims = "{\"iss\":" + quote(issuer)
                + ",\"sub\":" + quote(subject)
                + ",\"upn\":" + quote(subject)
                + ",\"jti\":" + quote(UUID.randomUUID().toString())
                + ",\"iat\":" + issuedAt.getEpochSecond()
                + ",\"exp\":" + expiresAt.getEpochSecond()
                + ",\"groups\":[" + Stream.of(groups).map(TokenMinter::quote).collect(Collectors.joining(",")) + "]}";
        String signingInput = base64Url(header.getBytes(StandardCharsets.UTF_8)) + "."
                + base64Url(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(keys.getPrivate());
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + base64Url(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not sign a token", e);
        }
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
