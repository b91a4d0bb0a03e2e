package se.lu.lunarc.otp.server.metrics;

import se.lu.lunarc.otp.server.users.DirectoryUnavailable;
import se.lu.lunarc.otp.server.users.User;
import se.lu.lunarc.otp.server.users.UserDirectory;

import java.util.Optional;

/** The account directory, each call timed and each it could not answer counted; answers pass through unchanged. */
public final class MeteredDirectory implements UserDirectory {
    private final UserDirectory directory;
    private final ServerMetrics metrics;

    public MeteredDirectory(UserDirectory directory, ServerMetrics metrics) {
        this.directory = directory;
        this.metrics = metrics;
    }

    @Override
    public Optional<User> find(String username) {
        long start = System.nanoTime();
        try {
            return directory.find(username);
        } catch (DirectoryUnavailable e) {
            metrics.directoryError();
            throw e;
        } finally {
            metrics.directory("find", System.nanoTime() - start);
        }
    }

    @Override
    public Authentication authenticate(String username, char[] password) {
        long start = System.nanoTime();
        try {
            return directory.authenticate(username, password);
        } catch (DirectoryUnavailable e) {
            metrics.directoryError();
            throw e;
        } finally {
            metrics.directory("authenticate", System.nanoTime() - start);
        }
    }

    @Override
    public void close() {
        directory.close();
    }
}
