package se.lu.lunarc.otp.server.users;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Users from a YAML file: {@code users: [{username, displayName, email, mobile, affiliation, passwordHash}]}.
 * Hashes are made with {@code lunarc-otp server hash-password}.
 */
public final class FileUserDirectory implements UserDirectory {
    private final Map<String, User> users;
    private final PasswordHasher hasher;
    private final String decoy;

    public FileUserDirectory(List<User> users, PasswordHasher hasher) {
        this(users, hasher, new MobileNumbers("SE"));
    }

    public FileUserDirectory(List<User> users, PasswordHasher hasher, MobileNumbers numbers) {
        this.users = users.stream().map(u -> new User(u.username(), u.displayName(), u.email(), numbers.e164(u.mobile()),
                        u.affiliation(), u.passwordHash()))
                .collect(Collectors.toUnmodifiableMap(User::username, Function.identity()));
        this.hasher = hasher;
        this.decoy = hasher.decoyHash();
    }

    public static FileUserDirectory load(Path file, PasswordHasher hasher, MobileNumbers numbers) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        UsersFile parsed = yaml.readValue(file.toFile(), UsersFile.class);
        return new FileUserDirectory(parsed.users() == null ? List.of() : parsed.users(), hasher, numbers);
    }

    record UsersFile(List<User> users) {}

    @Override
    public Optional<User> find(String username) {
        return Optional.ofNullable(username == null ? null : users.get(username));
    }

    @Override
    public Authentication authenticate(String username, char[] password) {
        Optional<User> user = find(username);
        boolean ok = hasher.verify(password, user.map(User::passwordHash).orElse(decoy));
        return ok && user.isPresent() ? Authentication.ok(user.get())
                : Authentication.refused(user.isPresent() ? Authentication.WRONG_PASSWORD : Authentication.UNKNOWN_USER);
    }
}
