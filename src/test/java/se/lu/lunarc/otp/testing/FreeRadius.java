package se.lu.lunarc.otp.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real FreeRADIUS 3.2 (Debian's {@code freeradius}) as a proxy in front of the server, in the foreground with a
 * copy of {@code /etc/freeradius/3.0} in a test's folder: it takes Access-Requests from a NAS on 127.0.0.1 and
 * proxies every one to the server as its home server, with {@code status_check = status-server} as in Debian's
 * example, so that the home server is marked zombie, dead and alive again as FreeRADIUS itself decides.
 */
public final class FreeRadius implements AutoCloseable {
    private static final Path SHIPPED = Path.of("/etc/freeradius/3.0");

    public final int port;
    public final String nasSecret;
    private final Process process;
    private final Path log;

    private FreeRadius(int port, String nasSecret, Process process, Path log) {
        this.port = port;
        this.nasSecret = nasSecret;
        this.process = process;
        this.log = log;
    }

    /** FreeRADIUS on a free port, proxying to the server's RADIUS on {@code homePort} with {@code homeSecret}. */
    public static FreeRadius start(Path dir, int homePort, String homeSecret) throws Exception {
        if (!Files.isDirectory(SHIPPED)) {
            throw new IllegalStateException("FreeRADIUS is not installed: apt-get install freeradius (.ci/run does)");
        }
        Path raddb = dir.resolve("raddb");
        copy(SHIPPED, raddb);
        // no module is needed to proxy, and some (eap) want certificates made at package install
        try (var enabled = Files.list(raddb.resolve("mods-enabled"))) {
            for (Path p : enabled.toList()) {
                Files.delete(p);
            }
        }
        try (var enabled = Files.list(raddb.resolve("sites-enabled"))) {
            for (Path p : enabled.toList()) {
                Files.delete(p);
            }
        }
        Path run = Files.createDirectories(dir.resolve("run"));
        String conf = Files.readString(raddb.resolve("radiusd.conf"))
                .replaceAll("(?m)^(\\s*)(user|group) = freerad", "$1#$2 = freerad")
                .replaceAll("(?m)^run_dir = .*", "run_dir = " + run)
                .replaceAll("(?m)^logdir = .*", "logdir = " + run);
        Files.writeString(raddb.resolve("radiusd.conf"), conf);
        int port = TestRadius.freeUdpPort();
        String nasSecret = "nas-" + java.util.UUID.randomUUID();
        Files.writeString(raddb.resolve("clients.conf"), "client nas {\n\tipaddr = 127.0.0.1\n\tsecret = " + nasSecret
                + "\n}\n");
        Files.writeString(raddb.resolve("sites-enabled/proxy"), """
                server default {
                	listen {
                		type = auth
                		ipaddr = 127.0.0.1
                		port = %d
                	}
                	authorize {
                		update control {
                			&Proxy-To-Realm := "otp"
                		}
                	}
                	authenticate {
                	}
                	post-proxy {
                	}
                }
                """.formatted(port));
        // Debian's example home server, with its times as short as FreeRADIUS allows (pings 6 s apart, 3 answers
        // to revive), so that a test waits seconds, not minutes
        Files.writeString(raddb.resolve("proxy.conf"), """
                proxy server {
                	default_fallback = no
                }
                home_server otp {
                	type = auth
                	ipaddr = 127.0.0.1
                	port = %d
                	secret = %s
                	response_window = 1
                	zombie_period = 2
                	revive_interval = 3600
                	status_check = status-server
                	check_interval = 6
                	check_timeout = 1
                	num_answers_to_alive = 3
                }
                home_server_pool otp_pool {
                	type = fail-over
                	home_server = otp
                }
                realm otp {
                	auth_pool = otp_pool
                	nostrip
                }
                """.formatted(homePort, homeSecret));
        Path log = dir.resolve("freeradius.log");
        Process process = new ProcessBuilder("freeradius", "-f", "-X", "-d", raddb.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        FreeRadius started = new FreeRadius(port, nasSecret, process, log);
        for (int i = 0; i < 100 && !started.log().contains("Ready to process requests"); i++) {
            if (!process.isAlive()) {
                throw new IOException("freeradius exited: " + started.log());
            }
            Thread.sleep(100);
        }
        if (!started.log().contains("Ready to process requests")) {
            started.close();
            throw new IOException("freeradius did not start: " + started.log());
        }
        return started;
    }

    /** What FreeRADIUS printed so far (-X: every packet and every change of a home server's state). */
    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private static void copy(Path from, Path to) throws IOException {
        try (var all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (Files.isSymbolicLink(p) && !Files.exists(p)) {
                    // a dangling link in the package's tree (a certificate not made here): not needed to proxy
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
