package se.lu.lunarc.otp.server.secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Files the configuration names (a password file, a shared secret): read whole, or refused with a message that
 * names the setting, says what is wrong with the file and that nothing was done, instead of a bare path.
 */
public final class ConfigFiles {
    private ConfigFiles() {
    }

    public static byte[] readBytes(Path file, String setting) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(describe(file, setting, e));
        }
    }

    public static String readString(Path file, String setting) {
        return new String(readBytes(file, setting), StandardCharsets.UTF_8);
    }

    static String describe(Path file, String setting, IOException e) {
        String what = e instanceof NoSuchFileException ? "does not exist"
                : e instanceof AccessDeniedException ? "cannot be read by " + System.getProperty("user.name")
                + " (permission denied)"
                : Files.isDirectory(file) ? "is a folder, not a file"
                : "cannot be read (" + e.getClass().getSimpleName() + ")";
        return setting + ": the file " + file + " " + what + "; nothing was done";
    }
}
