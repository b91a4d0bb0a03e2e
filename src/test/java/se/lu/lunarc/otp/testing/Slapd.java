package se.lu.lunarc.otp.testing;

import se.lu.lunarc.otp.server.users.LdapConfig;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenLDAP slapd on 127.0.0.1, in the foreground, with its config and mdb database in a test's folder:
 * people under {@code ou=people,dc=example,dc=org}, a group {@code cn=hpc-users,ou=groups} kept in each member's
 * {@code memberOf} by the memberof overlay, and a service account that may search but, like everyone, never read
 * {@code userPassword}. {@link #stop()} and {@link #start()} again keep the data and the ports.
 */
public final class Slapd implements AutoCloseable {
    public static final String BASE = "dc=example,dc=org";
    public static final String PEOPLE = "ou=people," + BASE;
    public static final String GROUP = "cn=hpc-users,ou=groups," + BASE;
    public static final String SERVICE_DN = "cn=lunarc-otp,ou=services," + BASE;
    public static final String SERVICE_PASSWORD = "service-secret-for-tests";
    private static final String ROOT_DN = "cn=admin," + BASE;
    private static final String ROOT_PASSWORD = "root-secret-for-tests";

    /** One person: {@code mobile} as the directory writes it (null for none); {@code member} of the HPC group. */
    public record Person(String uid, String password, String mobile, boolean member) {}

    public final int port;
    /** The ldaps:// port, when started with TLS files; else -1. */
    public final int ldapsPort;
    private final Path dir;
    private final Path conf;
    private Process process;

    private Slapd(Path dir, Tls tls) throws IOException {
        this.dir = dir;
        this.port = freePort();
        this.ldapsPort = tls == null ? -1 : freePort();
        Files.createDirectories(dir.resolve("db"));
        this.conf = dir.resolve("slapd.conf");
        String schema = "/etc/ldap/schema/";
        Files.writeString(conf, String.join("\n",
                "include " + schema + "core.schema",
                "include " + schema + "cosine.schema",
                "include " + schema + "inetorgperson.schema",
                "modulepath /usr/lib/ldap",
                "moduleload back_mdb",
                "moduleload memberof",
                "pidfile " + dir.resolve("slapd.pid"),
                "argsfile " + dir.resolve("slapd.args"),
                tls == null ? "" : "TLSCACertificateFile " + tls.ca,
                tls == null ? "" : "TLSCertificateFile " + tls.cert,
                tls == null ? "" : "TLSCertificateKeyFile " + tls.key,
                "database mdb",
                "maxsize 16777216",
                "suffix \"" + BASE + "\"",
                "rootdn \"" + ROOT_DN + "\"",
                "rootpw " + ROOT_PASSWORD,
                "directory " + dir.resolve("db"),
                "overlay memberof",
                "access to attrs=userPassword by self =w by anonymous auth by * none",
                "access to * by * read",
                ""));
    }

    /** The certificate files of a TLS-enabled slapd: CA, server certificate and its key, all PEM. */
    public record Tls(Path ca, Path cert, Path key) {}

    public static Slapd start(Path dir) throws Exception {
        return start(dir, null);
    }

    public static Slapd start(Path dir, Tls tls) throws Exception {
        Path slapd = Path.of("/usr/sbin/slapd");
        if (!Files.isExecutable(slapd)) {
            throw new AssertionError("slapd is missing: install the Debian packages slapd and ldap-utils");
        }
        Slapd s = new Slapd(dir, tls);
        s.start();
        s.load();
        return s;
    }

    public void start() throws Exception {
        String urls = "ldap://127.0.0.1:" + port + "/" + (ldapsPort > 0 ? " ldaps://127.0.0.1:" + ldapsPort + "/" : "");
        process = new ProcessBuilder("/usr/sbin/slapd", "-d", "0", "-h", urls, "-f", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("slapd.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (LDAPConnection c = new LDAPConnection("127.0.0.1", port)) {
                c.bind(ROOT_DN, ROOT_PASSWORD);
                return;
            } catch (LDAPException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("slapd did not start: " + Files.readString(dir.resolve("slapd.log")));
                }
                Thread.sleep(50);
            }
        }
    }

    /**
     * Freezes slapd (SIGSTOP) as a hung directory looks to its clients: connections are still accepted by the
     * kernel, and nothing is ever answered. {@link #thaw} lets it go on.
     */
    public void freeze() throws Exception {
        signal("STOP");
    }

    public void thaw() throws Exception {
        signal("CONT");
    }

    private void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -" + name + " failed");
        }
    }

    /** Stops slapd the way a crash or a maintenance stop would look to its clients. */
    public void stop() throws Exception {
        if (process != null && process.isAlive()) {
            signal("CONT"); // a frozen slapd could not take its TERM
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private void load() throws LDAPException {
        try (LDAPConnection c = admin()) {
            c.add(new Entry(BASE, new Attribute("objectClass", "dcObject", "organization"),
                    new Attribute("dc", "example"), new Attribute("o", "Example")));
            for (String ou : List.of("people", "groups", "services")) {
                c.add(new Entry("ou=" + ou + "," + BASE, new Attribute("objectClass", "organizationalUnit"),
                        new Attribute("ou", ou)));
            }
            c.add(new Entry(SERVICE_DN, new Attribute("objectClass", "organizationalRole", "simpleSecurityObject"),
                    new Attribute("cn", "lunarc-otp"), new Attribute("userPassword", SERVICE_PASSWORD)));
        }
    }

    /** Adds people, and the HPC group with those who are members. */
    public void add(Person... people) throws LDAPException {
        List<String> members = new ArrayList<>();
        try (LDAPConnection c = admin()) {
            for (Person p : people) {
                List<Attribute> a = new ArrayList<>(List.of(
                        new Attribute("objectClass", "inetOrgPerson"), new Attribute("uid", p.uid()),
                        new Attribute("cn", "Person " + p.uid()), new Attribute("sn", p.uid()),
                        new Attribute("mail", p.uid() + "@example.org"), new Attribute("o", "Lund University"),
                        new Attribute("preferredLanguage", "sv-SE"),
                        new Attribute("userPassword", p.password())));
                if (p.mobile() != null) {
                    a.add(new Attribute("mobile", p.mobile()));
                }
                c.add(new Entry(dn(p.uid()), a));
                if (p.member()) {
                    members.add(dn(p.uid()));
                }
            }
            if (!members.isEmpty()) {
                c.add(new Entry(GROUP, new Attribute("objectClass", "groupOfNames"), new Attribute("cn", "hpc-users"),
                        new Attribute("member", members)));
            }
        }
    }

    public static String dn(String uid) {
        return "uid=" + uid + "," + PEOPLE;
    }

    private LDAPConnection admin() throws LDAPException {
        LDAPConnection c = new LDAPConnection("127.0.0.1", port);
        c.bind(ROOT_DN, ROOT_PASSWORD);
        return c;
    }

    /**
     * The server's {@code users:} block for this directory: searches as the service account (its password written
     * to {@code folder}), over plain ldap:// on loopback, with {@code allowedFilter} (null: everyone).
     */
    public se.lu.lunarc.otp.server.ServerConfig.Users users(Path folder, String allowedFilter) throws IOException {
        Files.createDirectories(folder);
        Path bindPassword = folder.resolve("bind-password");
        Files.writeString(bindPassword, SERVICE_PASSWORD + "\n");
        return new se.lu.lunarc.otp.server.ServerConfig.Users("ldap", null, new LdapConfig(
                List.of(url()), false, null, SERVICE_DN, bindPassword, BASE, null, allowedFilter, null, 2, 2), "SE");
    }

    public String url() {
        return "ldap://127.0.0.1:" + port;
    }

    public Path log() {
        return dir.resolve("slapd.log");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
