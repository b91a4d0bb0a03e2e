package se.lu.lunarc.otp.server.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SQLite's writer commits what is waiting together: each caller is answered only once its work is committed
 * (another connection sees it at once), a piece that fails is rolled back alone while the rest of its commit
 * stands, work within work runs in place, and between commits the file is free for an administrator's command.
 */
class GroupCommitTest {
    @TempDir
    Path dir;

    private static SourceFailures.State counted(long n) {
        return new SourceFailures.State(n, 0, null);
    }

    @Test
    void eachCallerIsAnsweredAfterItsCommitAndAFailingPieceFailsAlone() throws Exception {
        try (Database db = Database.open(dir.resolve("store.db"))) {
            ExecutorService callers = Executors.newFixedThreadPool(32);
            List<Future<Long>> answers = new ArrayList<>();
            for (int i = 0; i < 320; i++) {
                String source = "10.0.0." + i;
                boolean fails = i % 10 == 7;
                answers.add(callers.submit(() -> {
                    try {
                        db.inTransaction(c -> {
                            SourceFailures.CODES.save(c, "alice", source, counted(1));
                            if (fails) {
                                throw new IllegalStateException("this caller's own refusal");
                            }
                            return null;
                        });
                    } catch (IllegalStateException refused) {
                        return -1L;
                    }
                    // answered: another connection sees it now, without waiting for anyone else
                    return db.read(c -> SourceFailures.CODES.read(c, "alice", source).failures());
                }));
            }
            int refused = 0;
            for (Future<Long> a : answers) {
                long seen = a.get();
                if (seen == -1) {
                    refused++;
                } else {
                    assertThat(seen).as("a committed piece, seen by a reader once answered").isEqualTo(1);
                }
            }
            callers.shutdown();
            assertThat(refused).isEqualTo(32);
            for (int i = 7; i < 320; i += 10) {
                String source = "10.0.0." + i;
                long failures = db.read(c -> SourceFailures.CODES.read(c, "alice", source).failures());
                assertThat(failures).as("a refused piece is rolled back alone").isZero();
            }
        }
    }

    @Test
    void workWithinWorkRunsInPlaceAndTheFileIsFreeBetweenCommits() throws Exception {
        Path file = dir.resolve("store.db");
        try (Database server = Database.open(file)) {
            long inner = server.inTransaction(c -> {
                SourceFailures.CODES.save(c, "alice", "outer", counted(1));
                return server.inTransaction(d -> {
                    SourceFailures.CODES.save(d, "alice", "inner", counted(2));
                    return SourceFailures.CODES.read(d, "alice", "outer").failures();
                });
            });
            assertThat(inner).as("the inner work sees the outer's writes: one transaction").isEqualTo(1);
            // an administrator's command writes to the same file while the server is idle: were the server's writer
            // holding the write lock between commits, this would fail with SQLITE_BUSY after the 5 s busy wait
            try (Database command = Database.open(file)) {
                command.inTransaction(c -> {
                    SourceFailures.CODES.save(c, "alice", "command", counted(3));
                    return null;
                });
            }
            long written = server.read(c -> SourceFailures.CODES.read(c, "alice", "command").failures());
            assertThat(written).isEqualTo(3);
        }
    }

    @Test
    void aClosedStoreRefusesWorkInsteadOfHanging() throws Exception {
        Database db = Database.open(dir.resolve("store.db"));
        db.close();
        assertThatThrownBy(() -> db.inTransaction(c -> null)).isInstanceOf(SQLException.class)
                .hasMessageContaining("closed");
    }
}
