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
        this.users = users.stream().collect(Collectors.toUnmodifiableMap(User::username, Function.identity()));
        this.hasher = hasher;
        this.decoy = hasher.decoyHash();
    }

    public static FileUserDirectory load(Path file, PasswordHasher hasher) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        UsersFile parsed = yaml.readValue(file.toFile(), UsersFile.class);
        return new FileUserDirectory(parsed.users() == null ? List.of() : parsed.users(), hasher);
    }

    record UsersFile(List<User> users) {}

    @Override
    public Optional<User> find(String username) {
        return Optional.ofNullable(username == null ? null : users.get(username));
    }

    @Override
    public Optional<User> authenticate(String username, char[] password) {
        Optional<User> user = find(username);
        boolean ok = hasher.verify(password, user.map(User::passwordHash).orElse(decoy));
        return ok ? user : Optional.empty();
    }
}
