package dev.lifeboat.kit.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;

class SecurityModeTest {
    private static Config config(Map<String, String> values) {
        return new SmallRyeConfigBuilder().withSources(new MapBackedConfigSource("test", values) {}).build();
    }

    @Test
    void withoutAKeyTheServiceRefusesToStartUnlessInsecureIsAskedFor() {
        assertThatThrownBy(() -> SecurityMode.of(config(Map.of()), false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mp.jwt.verify.publickey.location")
                .hasMessageContaining("LIFEBOAT_SECURITY_INSECURE=true");
        assertThatThrownBy(() -> SecurityMode.of(config(Map.of("mp.jwt.verify.publickey.location", " ")), false))
                .isInstanceOf(IllegalStateException.class);
        assertThat(SecurityMode.of(config(Map.of()), true)).isEqualTo(SecurityMode.INSECURE);
    }

    @Test
    void aKeyOrAJwksMeansTokens() {
        assertThat(SecurityMode.of(config(Map.of("mp.jwt.verify.publickey.location", "/etc/lifeboat/token/key.pem")),
                false)).isEqualTo(SecurityMode.TOKENS);
        assertThat(SecurityMode.of(config(Map.of("mp.jwt.verify.publickey", "MIIBIjANBg")), false))
                .isEqualTo(SecurityMode.TOKENS);
    }

    @Test
    void rolesIncludeTheOnesBelowThem() {
        assertThat(LifeboatRoles.implied(LifeboatRoles.ADMIN))
                .containsExactlyInAnyOrder(LifeboatRoles.ADMIN, LifeboatRoles.OPERATOR, LifeboatRoles.VIEWER);
        assertThat(LifeboatRoles.implied(LifeboatRoles.OPERATOR))
                .containsExactlyInAnyOrder(LifeboatRoles.OPERATOR, LifeboatRoles.VIEWER);
        assertThat(LifeboatRoles.implied(LifeboatRoles.VIEWER)).containsExactly(LifeboatRoles.VIEWER);
        assertThat(LifeboatRoles.implied("lifeboat-root")).isEmpty();
    }
}
