package se.lu.lunarc.otp.server;

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
    void aRadiusClientWithAnUnknownModeIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ServerConfig.RadiusClient("nas", "127.0.0.1",
                Path.of("s"), "chap", false)).hasMessageContaining("challenge, otp-only or concatenated");
    }

    @Test
    void anEmptyConfigTakesTheDefaults() {
        ServerConfig c = new ServerConfig(null, false, null, null, null, null, null, null, null, null, 0, 0, null, null);
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
