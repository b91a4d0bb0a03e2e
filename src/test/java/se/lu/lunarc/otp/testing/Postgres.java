package se.lu.lunarc.otp.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL on 127.0.0.1, made by {@code initdb} in a folder of its own and started with {@code pg_ctl}
 * on a free port with its own socket folder; password (SCRAM) logins only. As root, the server runs as the
 * {@code postgres} user, who owns the folders. {@link #close()} stops it and removes the folder. The application
 * connects as {@link #USER}, an ordinary role that owns the databases made by {@link #newDatabase}.
 */
public final class Postgres implements AutoCloseable {
    public static final String USER = "lunarc_otp";
    public static final String PASSWORD = "store-secret-for-tests";
    private static final String SUPERUSER_PASSWORD = "superuser-secret-for-tests";

    public final int port;
    private final Path dir;
    private final Path bin;
    private int databases;

    private Postgres(Path dir, Path bin, int port) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
    }

    public static Postgres start() throws Exception {
        Path bin = binaries();
        // not a JUnit @TempDir: the postgres user must be able to reach it
        Path dir = Files.createTempDirectory("lunarc-otp-postgres-");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Postgres pg = new Postgres(dir, bin, port);
        try {
            Files.createDirectories(dir.resolve("socket"));
            Files.writeString(dir.resolve("pwfile"), SUPERUSER_PASSWORD + "\n");
            if (asRoot()) {
                run(List.of("chown", "-R", "postgres:postgres", dir.toString()));
            }
            pg.runAsOwner(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "postgres",
                    "--pwfile=" + dir.resolve("pwfile"), "--auth=scram-sha-256", "-E", "UTF8", "--locale=C");
            pg.startAgain();
            try (Connection c = pg.superuser("postgres"); Statement s = c.createStatement()) {
                s.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
            }
            return pg;
        } catch (Exception | AssertionError e) {
            pg.close();
            throw e;
        }
    }

    /** Starts the server on its data and port, as at first or after {@link #stop}. */
    public void startAgain() throws Exception {
        runAsOwner(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
                dir.resolve("server.log").toString(), "-w", "-t", "60", "start", "-o",
                "-p " + port + " -k " + dir.resolve("socket") + " -h 127.0.0.1 -c fsync=off");
    }

    /** Stops the server at once (its clients' connections drop), keeping its data: the store goes down. */
    public void stop() throws Exception {
        runAsOwner(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate",
                "-w", "stop");
    }

    /** A new, empty database owned by {@link #USER}; its JDBC URL. */
    public synchronized String newDatabase() throws SQLException {
        String name = "store" + (++databases);
        try (Connection c = superuser("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + " OWNER " + USER);
        }
        return url(name);
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** A connection as the superuser, for what a test checks behind the application's back. */
    public Connection superuser(String database) throws SQLException {
        return DriverManager.getConnection(url(database), "postgres", SUPERUSER_PASSWORD);
    }

    /**
     * Runs one of PostgreSQL's client programs (such as {@code pg_amcheck}) as the superuser against this server,
     * never prompting for a password; its output.
     */
    public String program(String name, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(bin.resolve(name).toString(), "-h", "127.0.0.1", "-p",
                Integer.toString(port), "-U", "postgres", "--no-password"));
        command.addAll(List.of(args));
        return run(command, Map.of("PGPASSWORD", SUPERUSER_PASSWORD));
    }

    private String runAsOwner(String... command) throws Exception {
        List<String> full = new ArrayList<>();
        if (asRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        return run(full);
    }

    private static String run(List<String> command) throws Exception {
        return run(command, Map.of());
    }

    private static String run(List<String> command, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process p = builder.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command.subList(0, Math.min(4, command.size())))
                    + " failed: " + out);
        }
        return out;
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Debian's and Ubuntu's layout (the {@code postgresql} package), newest version first. */
    private static Path binaries() throws IOException {
        Path versions = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(versions)) {
            try (Stream<Path> each = Files.list(versions)) {
                var found = each.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
                        .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString()
                                .replaceAll("\\D", "0"))));
                if (found.isPresent()) {
                    return found.get();
                }
            }
        }
        throw new AssertionError("PostgreSQL is not installed: apt-get install postgresql (.ci/run does)");
    }

    @Override
    public void close() throws Exception {
        try {
            if (Files.exists(dir.resolve("data").resolve("postmaster.pid"))) {
                runAsOwner(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast",
                        "-w", "stop");
            }
        } finally {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
