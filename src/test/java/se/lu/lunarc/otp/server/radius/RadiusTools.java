package se.lu.lunarc.otp.server.radius;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.fail;

/** The Debian packages the RADIUS tests drive; .ci/run installs them. */
public final class RadiusTools {
    private RadiusTools() {}

    static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    public static void requireRadclient() {
        if (!onPath("radclient") || !onPath("radtest")) {
            fail("radclient and radtest are not installed: apt-get install freeradius-utils (.ci/run does)");
        }
    }
}
