package se.lu.lunarc.otp.server.users;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Users from a YAML file: {@code users: [{username, displayName, email, mobile, affiliation, passwordHash}]}.
 * Hashes are made with {@code lunarc-otp server hash-password}. The account's name is the one written in the
 * file; unless {@code caseSensitive}, a name typed in any case finds it (as LDAP's {@code uid} does), so that
 * {@code Alice} and {@code alice} are one account, and two entries that differ only in case are refused.
 */
public final class FileUserDirectory implements UserDirectory {
    private final Map<String, User> users;
    private final PasswordHasher hasher;
    private final String decoy;
    private final boolean caseSensitive;

    public FileUserDirectory(List<User> users, PasswordHasher hasher) {
        this(users, hasher, new MobileNumbers("SE"), false);
    }

    public FileUserDirectory(List<User> users, PasswordHasher hasher, MobileNumbers numbers, boolean caseSensitive) {
        this.caseSensitive = caseSensitive;
        Map<String, User> byKey = new java.util.HashMap<>();
        for (User u : users) {
            User previous = byKey.putIfAbsent(key(u.username()), new User(u.username(), u.displayName(), u.email(),
                    numbers.e164(u.mobile()), u.affiliation(), u.passwordHash(), u.language()));
            if (previous != null) {
                throw new IllegalArgumentException("the users file has \"" + previous.username() + "\" and \""
                        + u.username() + "\", which " + (caseSensitive ? "are the same name"
                        : "differ only in case: with users.caseSensitive: false (the default) they would be one "
                        + "account") + "; remove one of them" + (caseSensitive ? "" : ", or set users.caseSensitive: "
                        + "true if they really are two people"));
            }
        }
        this.users = Map.copyOf(byKey);
        this.hasher = hasher;
        this.decoy = hasher.decoyHash();
    }

    public static FileUserDirectory load(Path file, PasswordHasher hasher, MobileNumbers numbers, boolean caseSensitive)
            throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        UsersFile parsed = yaml.readValue(file.toFile(), UsersFile.class);
        return new FileUserDirectory(parsed.users() == null ? List.of() : parsed.users(), hasher, numbers,
                caseSensitive);
    }

    /** Usernames are ASCII (the contract's pattern), so lower-casing in the root locale folds case exactly. */
    private String key(String username) {
        return caseSensitive ? username : username.toLowerCase(java.util.Locale.ROOT);
    }

    record UsersFile(List<User> users) {}

    @Override
    public Optional<User> find(String username) {
        return Optional.ofNullable(username == null ? null : users.get(key(username)));
    }

    @Override
    public Authentication authenticate(String username, char[] password) {
        Optional<User> user = find(username);
        boolean ok = hasher.verify(password, user.map(User::passwordHash).orElse(decoy));
        return ok && user.isPresent() ? Authentication.ok(user.get())
                : Authentication.refused(user.isPresent() ? Authentication.WRONG_PASSWORD : Authentication.UNKNOWN_USER);
    }
}
