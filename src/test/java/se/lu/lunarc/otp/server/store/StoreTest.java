package se.lu.lunarc.otp.server.store;


import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import se.lu.lunarc.otp.testing.Postgres;
import se.lu.lunarc.otp.testing.PostgresPerClass;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The store's rules, the same on SQLite and on a real PostgreSQL. "Two nodes" are two {@link Database}s opened on
 * one store, each with its own connections, as two server processes would have.
 */
class StoreTest {
    @RegisterExtension
    static final PostgresPerClass postgres = new PostgresPerClass();

    @TempDir
    Path dir;



    /** A new, empty store of that type; {@link #node} opens it again. */
    private String newStore(String type) throws Exception {
        return type.equals("sqlite") ? dir.resolve("store.db").toString() : postgres.newDatabase();
    }

    private Database node(String type, String store) throws Exception {
        return type.equals("sqlite") ? Database.open(Path.of(store))
                : Database.openPostgresql(store, Postgres.USER, Postgres.PASSWORD, 8);
    }

    private static TokenRecord token(String id, String user, String name, String status) {
        return new TokenRecord(id, user, name, status, new byte[] {1, 2, 3}, Instant.ofEpochSecond(1_800_000_000L),
                null, null, null, null, -1, 0, 0, null, TokenRecord.Otp.APP);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void tokensAreListedInTheOrderMadeAndNamesAreUniqueWithoutCase(String type) throws Exception {
        try (Database db = node(type, newStore(type))) {
            TokenStore store = new TokenStore(db.dialect());
            db.inTransaction(c -> {
                store.insert(c, token("id-c", "alice", "Phone", TokenRecord.ACTIVE));
                store.insert(c, token("id-a", "alice", "Tablet", TokenRecord.PENDING));
                store.insert(c, token("id-b", "alice", "Old", TokenRecord.REVOKED));
                store.insert(c, token("id-z", "bob", "Phone", TokenRecord.ACTIVE));
                return null;
            });
            List<TokenRecord> listed = db.read(c -> store.listFor(c, "alice"));
            assertThat(listed).extracting(TokenRecord::id).containsExactly("id-c", "id-a", "id-b");
            assertThat(listed.get(0).sealedSecret()).containsExactly(1, 2, 3);
            List<TokenRecord> active = db.read(c -> store.activeFor(c, "alice"));
            assertThat(active).extracting(TokenRecord::id).containsExactly("id-c");
            // what a code check reads: the active tokens, with the state of the source asking and no other's
            db.inTransaction(c -> {
                store.insert(c, token("id-e", "alice", "Key fob", TokenRecord.ACTIVE));
                SourceFailures.CODES.save(c, "alice", "10.0.0.1", new SourceFailures.State(3, 1_800_000_060L, 1_700_000_000L));
                SourceFailures.CODES.save(c, "alice", "10.0.0.2", new SourceFailures.State(7, 0, null));
                return null;
            });
            TokenStore.CheckView fromFirst = db.read(c -> store.checkView(c, "alice", "10.0.0.1"));
            TokenStore.CheckView fromNew = db.read(c -> store.checkView(c, "alice", "10.0.0.9"));
            TokenStore.CheckView bobs = db.read(c -> store.checkView(c, "bob", "10.0.0.1"));
            assertThat(fromFirst.active()).extracting(TokenRecord::id).containsExactlyInAnyOrder("id-c", "id-e");
            assertThat(fromFirst.active().get(0).sealedSecret()).containsExactly(1, 2, 3);
            assertThat(fromFirst.state()).isEqualTo(new SourceFailures.State(3, 1_800_000_060L, 1_700_000_000L));
            assertThat(fromNew.state()).isEqualTo(SourceFailures.State.NONE);
            assertThat(bobs.active()).extracting(TokenRecord::id).containsExactly("id-z");
            assertThat(bobs.state()).as("alice's sources are hers").isEqualTo(SourceFailures.State.NONE);
            boolean phoneTaken = db.read(c -> store.nameTaken(c, "alice", "PHONE", null));
            boolean oldTaken = db.read(c -> store.nameTaken(c, "alice", "old", null));
            assertThat(phoneTaken).isTrue();
            assertThat(oldTaken).as("revoked names are free").isFalse();
            assertThatThrownBy(() -> db.inTransaction(c -> {
                store.insert(c, token("id-d", "alice", "phone", TokenRecord.PENDING));
                return null;
            })).isInstanceOf(java.sql.SQLException.class);
            int notRevoked = db.read(c -> store.countNotRevoked(c, "alice"));
            assertThat(notRevoked).as("Phone, Tablet and Key fob").isEqualTo(3);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void oneTimeStepIsTakenOnceAcrossTwoNodes(String type) throws Exception {
        String where = newStore(type);
        try (Database a = node(type, where); Database b = node(type, where)) {
            TokenStore store = new TokenStore(a.dialect());
            a.inTransaction(c -> {
                store.insert(c, token("t1", "alice", "Phone", TokenRecord.ACTIVE));
                return null;
            });
            AtomicInteger taken = new AtomicInteger();
            List<Callable<Void>> checks = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Database node = i % 2 == 0 ? a : b;
                checks.add(() -> {
                    if (node.inTransaction(c -> store.takeStep(c, "t1", 59_000_000L, 0, 1_770_000_000L))) {
                        taken.incrementAndGet();
                    }
                    return null;
                });
            }
            runAtOnce(checks);
            assertThat(taken.get()).as("the same code accepted once over both nodes").isEqualTo(1);
            boolean again = b.inTransaction(c -> store.takeStep(c, "t1", 59_000_000L, 0, 1_770_000_001L));
            boolean next = a.inTransaction(c -> store.takeStep(c, "t1", 59_000_001L, 0, 1_770_000_031L));
            assertThat(again).as("the same step again, on the other node").isFalse();
            assertThat(next).as("the next step").isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void wrongCodesFromBothNodesAreCountedTogether(String type) throws Exception {
        String where = newStore(type);
        try (Database a = node(type, where); Database b = node(type, where)) {
            TokenStore store = new TokenStore(a.dialect());
            List<Callable<Void>> failures = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                Database node = i % 2 == 0 ? a : b;
                // read, then write what was read plus one: as ValidateService counts a wrong code
                failures.add(() -> {
                    node.inTransaction(c -> {
                        SourceFailures.State s = SourceFailures.CODES.read(c, "alice", "10.1.2.3");
                        SourceFailures.CODES.save(c, "alice", "10.1.2.3",
                                new SourceFailures.State(s.failures() + 1, 0, null));
                        return null;
                    });
                    return null;
                });
            }
            runAtOnce(failures);
            SourceFailures.State counted = a.read(c -> SourceFailures.CODES.read(c, "alice", "10.1.2.3"));
            assertThat(counted.failures()).isEqualTo(30);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aStoreWithANewerSchemaIsLeftUntouched(String type) throws Exception {
        String where = newStore(type);
        try (Database db = node(type, where)) {
            db.inTransaction(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute(type.equals("sqlite") ? "PRAGMA user_version = 99"
                            : "INSERT INTO schema_version (version) VALUES (99)");
                }
                return null;
            });
        }
        assertThatThrownBy(() -> node(type, where).close()).hasMessageContaining("schema 99, newer than this program");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aNodeWithAnotherKeyIsStoppedAtStart(String type) throws Exception {
        String where = newStore(type);
        SecretCipher first = SecretCipher.fromKeyFile(dir.resolve("first.key"));
        SecretCipher other = SecretCipher.fromKeyFile(dir.resolve("other.key"));
        Files.copy(dir.resolve("first.key"), dir.resolve("copy.key"));
        SecretCipher copy = SecretCipher.fromKeyFile(dir.resolve("copy.key"));
        try (Database a = node(type, where); Database b = node(type, where)) {
            KeyCheck.verify(a, first, "first.key");
            KeyCheck.verify(b, copy, "copy.key");
            assertThatThrownBy(() -> KeyCheck.verify(b, other, "other.key"))
                    .isInstanceOf(KeyCheck.WrongKey.class)
                    .hasMessageContaining("other.key is not the key this store's secrets were sealed with");
        }
    }

    @org.junit.jupiter.api.Test
    void aStoreThatCannotBeReachedStopsTheStartWithAMessageThatKeepsTheUrlsPasswordOut() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + closed + "/lunarc_otp?password=in-the-url-secret";
        assertThatThrownBy(() -> Database.openPostgresql(url, Postgres.USER, "pool-password-secret", 2).close())
                .hasMessageContaining("cannot reach the PostgreSQL store at jdbc:postgresql://127.0.0.1:" + closed
                        + "/lunarc_otp")
                .hasMessageNotContaining("in-the-url-secret")
                .hasMessageNotContaining("pool-password-secret");
    }

    private static void runAtOnce(List<Callable<Void>> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(work.size());
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<Future<Void>> running = new ArrayList<>();
            for (Callable<Void> w : work) {
                running.add(pool.submit(() -> {
                    go.await();
                    return w.call();
                }));
            }
            go.countDown();
            for (Future<Void> f : running) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }
}
