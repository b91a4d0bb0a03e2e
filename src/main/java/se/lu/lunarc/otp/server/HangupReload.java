package se.lu.lunarc.otp.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.lu.lunarc.otp.server.radius.RadiusService;

import java.nio.file.Path;

/**
 * {@code systemctl reload} (SIGHUP): reads the configuration again and takes from it what can change while logins
 * go on, the service keys and RADIUS's clients with their shared secrets, each whole or not at all. A file that
 * does not read keeps what was in use, with the reason in the log and the audit. Everything else in the
 * configuration needs a restart.
 */
final class HangupReload {
    private static final Logger log = LoggerFactory.getLogger(HangupReload.class);

    private final Path configFile;
    private final Backend backend;
    private final RadiusService radius;

    private HangupReload(Path configFile, Backend backend, RadiusService radius) {
        this.configFile = configFile;
        this.backend = backend;
        this.radius = radius;
    }

    /** Handles SIGHUP from now on (sun.misc.Signal: the JDK's only way to catch a signal, in jdk.unsupported). */
    static void install(Path configFile, Backend backend, RadiusService radius) {
        HangupReload reload = new HangupReload(configFile, backend, radius);
        sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> reload.run());
    }

    void run() {
        String what = "the service keys";
        try {
            int keys = backend.validate().reloadServiceKeys();
            String done = keys + " service key(s)";
            if (radius != null) {
                what = "the RADIUS clients";
                ServerConfig config = ServerConfig.load(configFile);
                if (config.radius() == null) {
                    throw new IllegalArgumentException("the configuration has no radius block any more; a restart "
                            + "stops RADIUS");
                }
                done += ", " + radius.reload(config.radius()) + " RADIUS client(s)";
            }
            log.info("Reloaded: {}", done);
            backend.audit().record("config_reloaded", null, "signal", null, done);
        } catch (Exception e) {
            // the message names files and settings, never their content
            log.error("Reload refused, {} in use are kept: {}", what, e.getMessage());
            backend.audit().record("config_reload_refused", null, "signal", null, what);
        }
    }
}
