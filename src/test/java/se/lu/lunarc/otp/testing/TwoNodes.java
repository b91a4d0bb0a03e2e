package se.lu.lunarc.otp.testing;

import se.lu.lunarc.otp.server.ServerConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.UnaryOperator;

/**
 * Two real servers, {@link #a} and {@link #b}, on a new database of a real PostgreSQL, as two nodes of one
 * service: node B gets a copy of node A's key file, as docs/store-and-two-nodes.md tells a site to do. Each has its own data folder
 * (its service key, audit and SMS outbox) and its own clock, both at the same time.
 */
public final class TwoNodes implements AutoCloseable {
    public final TestServer a;
    public final TestServer b;
    /** The store's JDBC URL and the file with its password: what a third node would be given. */
    public final String url;
    public final Path passwordFile;

    private TwoNodes(TestServer a, TestServer b, String url, Path passwordFile) {
        this.a = a;
        this.b = b;
        this.url = url;
        this.passwordFile = passwordFile;
    }

    public static TwoNodes start(Postgres postgres, Path dir) throws Exception {
        return start(postgres, dir, null, 0);
    }

    /** Two nodes whose users are alice and {@code extraUsers} more, with these limits (null: the defaults). */
    public static TwoNodes start(Postgres postgres, Path dir, ServerConfig.Limits limits, int extraUsers)
            throws Exception {
        return start(postgres, dir, (node, onStore) -> TestServer.start(node, limits, extraUsers, onStore));
    }

    /** Two nodes whose users are exactly these. */
    public static TwoNodes startWithUsers(Postgres postgres, Path dir, String... names) throws Exception {
        return start(postgres, dir, (node, onStore) -> TestServer.startWithUsers(node, onStore, names));
    }

    /** How one node is started: its data folder, and the change that puts its configuration on the store. */
    private interface Node {
        TestServer start(Path dir, UnaryOperator<ServerConfig> onStore) throws Exception;
    }

    private static TwoNodes start(Postgres postgres, Path dir, Node node) throws Exception {
        String url = postgres.newDatabase();
        Files.createDirectories(dir);
        Path password = dir.resolve("store-password");
        Files.writeString(password, Postgres.PASSWORD + "\n");
        TestServer a = node.start(dir.resolve("a"), onStore(url, password));
        try {
            Path b = dir.resolve("b");
            Files.createDirectories(b);
            Files.copy(dir.resolve("a").resolve("secret.key"), b.resolve("secret.key"));
            Files.setPosixFilePermissions(b.resolve("secret.key"), PosixFilePermissions.fromString("rw-------"));
            return new TwoNodes(a, node.start(b, onStore(url, password)), url, password);
        } catch (Exception | AssertionError e) {
            a.close();
            throw e;
        }
    }

    /** A server's configuration on this store. */
    public static UnaryOperator<ServerConfig> onStore(String url, Path passwordFile) {
        return c -> c.withStore(new ServerConfig.Store("postgresql", url, Postgres.USER, passwordFile, 4));
    }

    /** Moves both nodes' clocks. */
    public void advance(java.time.Duration by) {
        a.clock.advance(by);
        b.clock.advance(by);
    }

    @Override
    public void close() throws Exception {
        try {
            b.close();
        } finally {
            a.close();
        }
    }
}
