package se.lu.lunarc.otp.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.server.tokens.TokenService;
import se.lu.lunarc.otp.testing.CliRun;
import se.lu.lunarc.otp.testing.PostgresPerClass;
import se.lu.lunarc.otp.testing.TestServer;
import se.lu.lunarc.otp.testing.TwoNodes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the administrator's operations cost on a store of 10,000 tokens, through the real commands while the
 * server runs: {@code backup} (SQLite) and {@code rotate-key} (SQLite, and PostgreSQL with two nodes). Prints
 * figures; asserts only that each command succeeded. Run with
 * {@code mvn -B -q -Pbench test -Dtest=OperationsBenchmark}.
 */
class OperationsBenchmark {
    static final int TOKENS = 10_000;

    @RegisterExtension
    static final PostgresPerClass postgres = new PostgresPerClass();

    @TempDir
    Path dir;

    private static void fill(TestServer server) throws Exception {
        TokenService tokens = server.backend().tokens();
        for (int i = 0; i < TOKENS; i++) {
            tokens.create(String.format("bulk%05d", i), "Phone", "10.9.0.1");
        }
    }

    private static long millis(CliRun run) throws Exception {
        assertThat(run.exit()).as(run.err()).isZero();
        return new ObjectMapper().readTree(run.out()).get("millis").asLong();
    }

    @Test
    void sqlite() throws Exception {
        Path config = dir.resolve("server.yaml");
        Files.writeString(config, "listen: 127.0.0.1:0\ndataDir: data\nusers: {file: users.yaml}\n");
        try (TestServer server = TestServer.start(dir.resolve("data"))) {
            fill(server);
            long backup = millis(CliRun.of(List.of("server"), "backup", "--config", config.toString(), "--to",
                    dir.resolve("backup").toString(), "--json"));
            long rotate = millis(CliRun.of(List.of("server"), "rotate-key", "--config", config.toString(), "--json"));
            System.out.printf("SQLite, %,d tokens (%,d bytes): backup %,d ms, rotate-key %,d ms%n", TOKENS,
                    Files.size(dir.resolve("backup/lunarc-otp.db")), backup, rotate);
        }
    }

    @Test
    void postgresqlTwoNodes() throws Exception {
        try (TwoNodes nodes = TwoNodes.start(postgres.server(), dir.resolve("nodes"))) {
            Path config = dir.resolve("a.yaml");
            Files.writeString(config, "listen: 127.0.0.1:0\ndataDir: " + nodes.a.dir + "\nusers: {file: users.yaml}\n"
                    + "store: {type: postgresql, url: \"" + nodes.url + "\", user: lunarc_otp, passwordFile: "
                    + nodes.passwordFile + "}\n");
            fill(nodes.a);
            CliRun prepare = CliRun.of(List.of("server"), "rotate-key", "--config", config.toString(), "--prepare");
            assertThat(prepare.exit()).as(prepare.err()).isZero();
            Files.copy(nodes.a.dir.resolve("secret.key.next"), nodes.b.dir.resolve("secret.key.next"));
            long rotate = millis(CliRun.of(List.of("server"), "rotate-key", "--config", config.toString(), "--json"));
            System.out.printf("PostgreSQL, two nodes, %,d tokens: rotate-key %,d ms%n", TOKENS, rotate);
        }
    }
}
