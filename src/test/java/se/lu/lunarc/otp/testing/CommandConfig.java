package se.lu.lunarc.otp.testing;

import se.lu.lunarc.otp.server.users.PasswordHasher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code server.yaml} for starting {@code lunarc-otp server --config} as an administrator would: the user anna
 * (password anna-pw) in a users file, SMS to a file, RADIUS on {@code radiusPort} for NASes on 127.0.0.0/8 with
 * {@code secret}, and whatever {@code more} lines add.
 */
public final class CommandConfig {
    private CommandConfig() {
    }

    public static Path withRadius(Path dir, int radiusPort, String secret, String... more) throws IOException {
        Files.writeString(dir.resolve("users.yaml"), "users:\n  - username: anna\n    mobile: \"+46701740611\"\n"
                + "    passwordHash: \"" + new PasswordHasher().hash("anna-pw".toCharArray()) + "\"\n");
        Files.writeString(dir.resolve("nas.secret"), secret + "\n");
        List<String> lines = new ArrayList<>(List.of(
                "listen: 127.0.0.1:0",
                "dataDir: data",
                "users: {file: users.yaml}",
                "sms: {type: file, file: outbox.jsonl}",
                "radius:",
                "  listen: 127.0.0.1:" + radiusPort,
                "  clients:",
                "    - {name: login-nodes, address: 127.0.0.0/8, secretFile: nas.secret, mode: challenge}"));
        lines.addAll(List.of(more));
        lines.add("");
        Path config = dir.resolve("server.yaml");
        Files.writeString(config, String.join("\n", lines));
        return config;
    }
}
