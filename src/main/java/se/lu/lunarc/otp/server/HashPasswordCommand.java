package se.lu.lunarc.otp.server;

import picocli.CommandLine.Command;
import se.lu.lunarc.otp.server.users.PasswordHasher;

import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;

/** {@code lunarc-otp server hash-password}: reads a password (without echo on a terminal), prints its hash. */
@Command(name = "hash-password", mixinStandardHelpOptions = true,
        description = "Read a password (no echo on a terminal; one line from stdin otherwise) and print its "
                + "argon2id hash for the users file's passwordHash.")
public final class HashPasswordCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        char[] password = read();
        try {
            if (password == null || password.length == 0) {
                System.err.println("No password given.");
                return 2;
            }
            System.out.println(new PasswordHasher().hash(password));
            return 0;
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    private static char[] read() throws Exception {
        Console console = System.console();
        if (console != null) {
            char[] first = console.readPassword("Password: ");
            char[] again = console.readPassword("Again: ");
            boolean same = Arrays.equals(first, again);
            if (again != null) {
                Arrays.fill(again, '\0');
            }
            if (!same) {
                System.err.println("The two passwords differ.");
                return null;
            }
            return first;
        }
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        return line == null ? null : line.toCharArray();
    }
}
