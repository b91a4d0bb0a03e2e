package se.lu.lunarc.otp.client;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.server.Backend;
import se.lu.lunarc.otp.server.http.EnrollmentServer;
import se.lu.lunarc.otp.server.ServerConfig;
import se.lu.lunarc.otp.server.sms.FileSmsGateway;
import se.lu.lunarc.otp.server.users.FileUserDirectory;
import se.lu.lunarc.otp.server.users.PasswordHasher;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** HTTPS with a site's own CA: a keystore made by the JDK's keytool, served by the real backend. */
class TlsTest {
    @TempDir
    Path dir;
    EnrollmentServer server;
    Path caPem;

    @BeforeEach
    void start() throws Exception {
        Path keystore = dir.resolve("server.p12");
        caPem = dir.resolve("site-ca.pem");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", "changeit");
        keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", keystore.toString(),
                "-storepass", "changeit", "-file", caPem.toString());
        ServerConfig config = new ServerConfig("127.0.0.1:0", false,
                new ServerConfig.Tls(keystore, "changeit", "PKCS12"), dir.resolve("data"), null, null,
                new ServerConfig.Sms("file", dir.resolve("outbox.jsonl"), null, null), null, null, null, 0, 0, null, null, null, null, null, null);
        PasswordHasher hasher = new PasswordHasher();
        server = EnrollmentServer.start(new Backend(config, new FileUserDirectory(List.of(), hasher),
                new FileSmsGateway(config.sms().file(), Clock.systemUTC()), Clock.systemUTC()));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }

    @Test
    void theServerSpeaksHttpsAndTheClientTrustsTheSiteCaBundle() throws Exception {
        URI base = server.baseUri();
        assertThat(base.getScheme()).isEqualTo("https");
        EnrollmentClient trusting = new EnrollmentClient(ClientOptions.of(base).withEnvironment(Map.of())
                .withCaBundle(caPem));
        assertThat(trusting.humanCheck().algorithm()).isEqualTo("SHA-256");
    }

    @Test
    void finding9_httpsAnswersCarryHsts() throws Exception {
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (var in = java.nio.file.Files.newInputStream(caPem)) {
            trust.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in));
        }
        tmf.init(trust);
        javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        java.net.http.HttpResponse<String> answer = java.net.http.HttpClient.newBuilder().sslContext(tls).build()
                .send(java.net.http.HttpRequest.newBuilder(server.baseUri().resolve("/api/v1/human-check")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000");
        assertThat(answer.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void withoutTheBundleTheCertificateIsNotTrusted() throws Exception {
        EnrollmentClient plain = new EnrollmentClient(ClientOptions.of(server.baseUri()).withEnvironment(Map.of()));
        ApiException e = catchThrowableOfType(ApiException.class, plain::humanCheck);
        assertThat(e.kind()).isEqualTo(ApiException.Kind.TLS);
    }

    @Test
    void plainHttpIsNotServedOnTheSamePort() throws Exception {
        assertThat(server.listeningPorts()).containsExactly(server.port());
        URI http = URI.create("http://127.0.0.1:" + server.port());
        EnrollmentClient c = new EnrollmentClient(ClientOptions.of(http).withEnvironment(Map.of()));
        ApiException e = catchThrowableOfType(ApiException.class, c::humanCheck);
        assertThat(e).isNotNull();
        assertThat(e.kind()).isNotEqualTo(ApiException.Kind.PROBLEM);
    }
}
