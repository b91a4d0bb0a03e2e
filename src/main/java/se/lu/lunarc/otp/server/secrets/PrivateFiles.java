package se.lu.lunarc.otp.server.secrets;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Files the server creates with their permissions set from the start, never widened afterwards. */
public final class PrivateFiles {
    private PrivateFiles() {}

    /**
     * Writes a new key file whole or not at all, and only if there is none: a temporary file beside it (0600 from
     * the start), fsync, then a hard link to the key's name, which the kernel refuses when the name exists. A
     * crash can leave a stray temporary file, never an empty or half-written key; and of two processes starting
     * at once on a fresh folder exactly one writes the key and both use that one. (A rename would have replaced a
     * key the other had just written and already sealed with.) Returns false, writing nothing, when {@code file}
     * exists.
     */
    public static boolean writeNewAtomically(Path file, byte[] content) throws IOException {
        if (Files.exists(file)) {
            return false;
        }
        Path folder = file.toAbsolutePath().getParent();
        createPrivateFolder(folder);
        Path temp = Files.createTempFile(folder, "." + file.getFileName(), ".new",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(content);
                while (b.hasRemaining()) {
                    out.write(b);
                }
                out.force(true);
            }
            try {
                Files.createLink(file, temp);
            } catch (FileAlreadyExistsException someoneElseWasFirst) {
                return false;
            }
            return true;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Creates the folder 0700 when it is missing, whatever the umask; an existing folder is left as it is. */
    public static void createPrivateFolder(Path folder) throws IOException {
        if (Files.isDirectory(folder)) {
            return;
        }
        Files.createDirectories(folder.toAbsolutePath().getParent());
        try {
            Files.createDirectory(folder);
        } catch (FileAlreadyExistsException raced) {
            return;
        }
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
    }

    /**
     * Creates {@code file} (and its folder) with {@code permissions} such as {@code rw-------} unless it exists.
     * Returns true when this call created it.
     */
    public static boolean createIfMissing(Path file, String permissions) throws IOException {
        if (Files.exists(file)) {
            return false;
        }
        createPrivateFolder(file.toAbsolutePath().getParent());
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)));
            // the umask may have taken bits away; set exactly what was asked
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
            return true;
        } catch (FileAlreadyExistsException raced) {
            return false;
        }
    }

    /** Makes an existing file readable and writable by its owner only (0600). */
    public static void restrict(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
}
