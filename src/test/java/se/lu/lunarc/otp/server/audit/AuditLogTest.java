package se.lu.lunarc.otp.server.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The audit file as an administrator's log rotation sees it: the file is kept open, yet lines follow a rotation. */
class AuditLogTest {
    @TempDir
    Path dir;

    @Test
    void linesFollowARotationAndAFileRemovedIsMadeAgainPrivate() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (AuditLog audit = new AuditLog(file, Clock.systemUTC())) {
            audit.record("before_rotation", "alice", "127.0.0.1");

            // logrotate's default: rename, then create a new file
            Path rotated = dir.resolve("audit.jsonl.1");
            Files.move(file, rotated);
            Files.createFile(file);
            audit.record("after_rotation", "alice", "127.0.0.1");
            assertThat(Files.readAllLines(rotated)).singleElement().asString().contains("before_rotation");
            assertThat(Files.readAllLines(file)).singleElement().asString().contains("after_rotation");

            // a rotation that does not create the file: the next line makes it, readable by the owner only
            Files.move(file, dir.resolve("audit.jsonl.2"));
            audit.record("after_removal", "bob", "127.0.0.1");
            List<String> lines = Files.readAllLines(file);
            assertThat(lines).singleElement().asString().contains("after_removal");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

            // something that is not a file in its place: the request is refused, not carried out unrecorded
            Files.move(file, dir.resolve("audit.jsonl.3"));
            Files.createDirectory(file);
            assertThatThrownBy(audit::requireWritable).isInstanceOf(AuditLog.Unavailable.class);
            assertThatThrownBy(() -> audit.record("lost", "bob", "127.0.0.1")).isInstanceOf(AuditLog.Unavailable.class);
            Files.delete(file);
            audit.record("back", "bob", "127.0.0.1");
            assertThat(Files.readAllLines(file)).singleElement().asString().contains("back");
        }
    }
}
