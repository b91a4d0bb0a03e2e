package se.lu.lunarc.otp.server;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Files the server creates with their permissions set from the start, never widened afterwards. */
public final class PrivateFiles {
    private PrivateFiles() {}

    /**
     * Creates {@code file} (and its folder) with {@code permissions} such as {@code rw-------} unless it exists.
     * Returns true when this call created it.
     */
    public static boolean createIfMissing(Path file, String permissions) throws IOException {
        if (Files.exists(file)) {
            return false;
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)));
            return true;
        } catch (FileAlreadyExistsException raced) {
            return false;
        }
    }
}
