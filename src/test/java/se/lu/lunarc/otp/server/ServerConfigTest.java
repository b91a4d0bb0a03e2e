package se.lu.lunarc.otp.server;

import se.lu.lunarc.otp.server.users.LdapConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ServerConfigTest {
    @Test
    void theShippedExampleConfigReadsAsDocumented() throws Exception {
        ServerConfig c = ServerConfig.load(Path.of("packaging/config/server.example.yaml"));
        assertThat(c.host()).isEqualTo("0.0.0.0");
        assertThat(c.port()).isEqualTo(8443);
        assertThat(c.tls().keystore()).isEqualTo(Path.of("/etc/lunarc-otp/server.p12"));
        assertThat(c.sms().type()).isEqualTo("http");
        assertThat(c.sms().http().extraFields()).containsEntry("sender", "LUNARC");
        assertThat(c.tokens().lifetimeDays()).isEqualTo(730);
        assertThat(c.limits().loginPerUser().attempts()).isEqualTo(10);
        assertThat(c.toString()).doesNotContain("change-me");
        assertThat(c.radius().port()).isEqualTo(1812);
        assertThat(c.radius().withoutToken()).isEqualTo(ServerConfig.Radius.REJECT);
        ServerConfig.RadiusClient nas = c.radius().clients().get(0);
        assertThat(nas.mode()).isEqualTo(ServerConfig.RadiusClient.CHALLENGE);
        assertThat(nas.secretFile()).isEqualTo(Path.of("/etc/lunarc-otp/radius-login-nodes.secret"));
        assertThat(nas.requireMessageAuthenticator()).isFalse();
        assertThat(c.radius().passwordPerStation().attempts()).isEqualTo(10);
    }

    @Test
    void theLdapGuidesExamplesReadAsDocumented() throws Exception {
        String section = java.nio.file.Files.readString(Path.of("docs/ldap.md"));
        java.util.regex.Matcher yaml = java.util.regex.Pattern.compile("```yaml\n(.*?)```", java.util.regex.Pattern.DOTALL)
                .matcher(section);
        java.util.List<ServerConfig> examples = new java.util.ArrayList<>();
        java.nio.file.Path tmp = java.nio.file.Files.createTempFile("users", ".yaml");
        try {
            while (yaml.find()) {
                java.nio.file.Files.writeString(tmp, yaml.group(1));
                examples.add(ServerConfig.load(tmp));
            }
        } finally {
            java.nio.file.Files.delete(tmp);
        }
        assertThat(examples).hasSize(2);
        LdapConfig ipa = examples.get(0).users().ldap();
        assertThat(examples.get(0).users().type()).isEqualTo("ldap");
        assertThat(ipa.url()).hasSize(2);
        assertThat(ipa.attributes().get("affiliation")).containsExactly("o");
        assertThat(ipa.attributes().get("email")).as("a default kept").containsExactly("mail");
        assertThat(ipa.bindPasswordFile()).isEqualTo(Path.of("/etc/lunarc-otp/ldap-bind-password"));
        LdapConfig openldap = examples.get(1).users().ldap();
        assertThat(openldap.url()).containsExactly("ldap://ldap.lunarc.lu.se");
        assertThat(openldap.startTls()).isTrue();
        assertThat(openldap.userFilter()).isEqualTo("(uid={0})");
        assertThat(openldap.bindDn()).as("anonymous searches").isNull();
        assertThat(examples.get(1).users().defaultRegion()).isEqualTo("SE");
    }

    @Test
    void ldapSettingsThatCannotWorkAreRefusedAtStart() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LdapConfig(java.util.List.of("ldaps://x"),
                false, null, null, null, "dc=x", "(uid=alice)", null, null, 0, 0)).hasMessageContaining("{0}");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LdapConfig(java.util.List.of("ldaps://x"),
                false, null, "cn=svc", null, "dc=x", null, null, null, 0, 0)).hasMessageContaining("bindPasswordFile");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LdapConfig(java.util.List.of("ldaps://x"),
                false, null, null, null, "dc=x", null, null, java.util.Map.of("fax", java.util.List.of("f")), 0, 0))
                .hasMessageContaining("unknown field fax");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ServerConfig.Users("ldap", null, null, null))
                .hasMessageContaining("users.ldap");
    }

    @Test
    void aRadiusClientWithAnUnknownModeIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ServerConfig.RadiusClient("nas", "127.0.0.1",
                Path.of("s"), "chap", false)).hasMessageContaining("challenge, otp-only or concatenated");
    }

    @Test
    void anEmptyConfigTakesTheDefaults() {
        ServerConfig c = new ServerConfig(null, false, null, null, null, null, null, null, null, null, 0, 0, null, null, null, null, null, null);
        assertThat(c.listen()).isEqualTo("127.0.0.1:8443");
        assertThat(c.issuer()).isEqualTo("LUNARC");
        assertThat(c.sessionIdleMinutes()).isEqualTo(15);
        assertThat(c.tokens().maxPerUser()).isEqualTo(5);
        assertThat(c.tokens().activateWithinSeconds()).isEqualTo(600);
        assertThat(c.limits().validateLockoutFailures()).isEqualTo(5);
        assertThat(c.limits().codeFailuresFromNewSources().attempts()).isEqualTo(100);
        assertThat(c.limits().smsCodeFailuresPerUser().attempts()).isEqualTo(30);
        assertThat(c.radius()).as("RADIUS is off unless configured").isNull();
    }
}
