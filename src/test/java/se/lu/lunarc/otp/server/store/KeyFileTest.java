package se.lu.lunarc.otp.server.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 20 §6: {@code secret.key} is made at first start. Processes starting at once on a fresh folder (a server
 * and an administrator's command, two nodes sharing a folder) must end up with one key, the one on disk: before,
 * each wrote its own and renamed it into place, so one of them sealed secrets with a key no longer there.
 */
class KeyFileTest {
    @TempDir
    Path dir;

    @Test
    void startsAtOnceOnAFreshFolderAllUseTheOneKeyOnDisk() throws Exception {
        int starts = 6;
        ExecutorService pool = Executors.newFixedThreadPool(starts);
        try {
            for (int round = 0; round < 30; round++) {
                Path key = dir.resolve("round-" + round).resolve("secret.key");
                CyclicBarrier together = new CyclicBarrier(starts);
                List<Future<byte[]>> sealed = new ArrayList<>();
                List<SecretCipher> ciphers = new java.util.concurrent.CopyOnWriteArrayList<>();
                for (int i = 0; i < starts; i++) {
                    sealed.add(pool.submit(() -> {
                        together.await();
                        SecretCipher cipher = SecretCipher.fromKeyFile(key);
                        ciphers.add(cipher);
                        return cipher.encrypt("a token's secret".getBytes(StandardCharsets.US_ASCII), "id");
                    }));
                }
                SecretCipher onDisk = SecretCipher.fromKeyFile(key);
                for (Future<byte[]> f : sealed) {
                    assertThat(new String(onDisk.decrypt(f.get(), "id"), StandardCharsets.US_ASCII))
                            .as("round %d: sealed with the key on disk", round).isEqualTo("a token's secret");
                }
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
                try (var left = Files.list(key.getParent())) {
                    assertThat(left.map(p -> p.getFileName().toString())).as("no temporary file left")
                            .containsExactly("secret.key");
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
