package se.lu.lunarc.otp.server.hardware;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import se.lu.lunarc.otp.server.admin.AdminOptions;
import se.lu.lunarc.otp.server.admin.SiteStore;
import se.lu.lunarc.otp.server.store.HardwareTokenStore;
import se.lu.lunarc.otp.server.store.StoreMigration;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code lunarc-otp server tokens import FILE.pskc}: the seeds of a vendor's PSKC file into the store, sealed like
 * app tokens, as hardware tokens no user has yet. A serial number already there is reported and skipped, so the
 * same file can be imported again; a file with any fault imports nothing.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Import hardware token seeds from a PSKC file (RFC 6030). Serial numbers already imported are "
                + "skipped; a broken file, or one whose MAC does not match, imports nothing.")
public final class ImportTokensCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE.pskc", description = "The vendor's PSKC file.")
    Path file;

    @Mixin
    AdminOptions options;

    @ArgGroup(exclusive = true)
    Unlocking unlocking;

    static final class Unlocking {
        @Option(names = "--key-file", paramLabel = "FILE",
                description = "The pre-shared AES key the vendor encrypted the seeds with: hex, or the raw bytes.")
        Path keyFile;

        @Option(names = "--passphrase-file", paramLabel = "FILE",
                description = "The passphrase the seeds' key is derived from (PBKDF2), on the first line.")
        Path passphraseFile;
    }

    /**
     * Exit status: 0 imported (serials already there are skipped, and said); 1 nothing imported, the file refused
     * (a wrong MAC, key or passphrase, a broken file) or the site's store unusable; 2 nothing imported, a file
     * given could not be read. With {@code --json} a refusal is printed as {@code {"refused": "...", "exit": N}}.
     */
    @Override
    public Integer call() throws Exception {
        String unreadable = unreadable(file, "The PSKC file");
        if (unreadable == null && unlocking != null) {
            unreadable = unlocking.keyFile != null ? unreadable(unlocking.keyFile, "The key file")
                    : unreadable(unlocking.passphraseFile, "The passphrase file");
        }
        if (unreadable != null) {
            return options.fail(2, "Nothing imported: " + unreadable);
        }
        try (SiteStore site = options.open()) {
            List<Pskc.Seed> seeds;
            Pskc.Unlock unlock = unlock();
            try (InputStream in = Files.newInputStream(file)) {
                seeds = Pskc.read(in, unlock);
            } catch (Pskc.Refused e) {
                // a file that may have been tampered with leaves a trace: who tried, which file, why it was refused
                site.audit().record("hardware_tokens_import_refused", null, "cli", null, "file=" + file.getFileName()
                        + " reason=" + e.getMessage() + " by=" + site.operator());
                return options.refuse("Nothing imported from " + file + ": " + e.getMessage());
            } finally {
                wipe(unlock);
            }
            return importAll(site, seeds);
        } catch (SiteStore.Unusable e) {
            return options.refuse("Nothing imported: " + e.getMessage());
        }
    }

    /** What is wrong with a file the administrator named, in words; null when it can be read. */
    static String unreadable(Path path, String what) {
        if (!Files.exists(path)) {
            return what + " " + path + " does not exist.";
        }
        if (!Files.isRegularFile(path)) {
            return what + " " + path + " is not a file.";
        }
        if (!Files.isReadable(path)) {
            return what + " " + path + " cannot be read by " + System.getProperty("user.name") + " (permission "
                    + "denied).";
        }
        return null;
    }

    private int importAll(SiteStore site, List<Pskc.Seed> seeds) throws Exception {
        List<String> imported = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        try {
            long now = options.clock.instant().getEpochSecond();
            site.db().inTransaction(c -> {
                imported.clear(); // a transaction PostgreSQL runs again starts from nothing
                skipped.clear();
                for (Pskc.Seed seed : seeds) {
                    byte[] sealed = site.cipher().encrypt(seed.secret(), StoreMigration.HARDWARE_BINDING + seed.serial());
                    boolean added = HardwareTokenStore.insertIfAbsent(c, seed.serial(), seed.manufacturer(),
                            seed.kind().name().toLowerCase(java.util.Locale.ROOT), seed.digits(), seed.timeStep(),
                            seed.counter(), sealed, now);
                    (added ? imported : skipped).add(seed.serial());
                }
                return null;
            });
            site.audit().record("hardware_tokens_imported", null, "cli", null, "file=" + file.getFileName()
                    + " imported=" + imported.size() + " skipped=" + skipped.size() + " by=" + site.operator());
        } finally {
            seeds.forEach(Pskc.Seed::wipe);
        }
        Map<String, Object> outcome = new LinkedHashMap<>();
        outcome.put("file", file.getFileName().toString());
        outcome.put("imported", imported);
        outcome.put("skipped", skipped);
        options.print("Imported " + imported.size() + " hardware token(s) from " + file.getFileName() + "."
                + (skipped.isEmpty() ? "" : "\nSkipped " + skipped.size() + " already imported: "
                + String.join(", ", skipped)), outcome);
        return 0;
    }

    private Pskc.Unlock unlock() throws IOException {
        if (unlocking == null) {
            return new Pskc.Unlock.None();
        }
        if (unlocking.passphraseFile != null) {
            String first = Files.readAllLines(unlocking.passphraseFile, StandardCharsets.UTF_8).stream().findFirst()
                    .orElse("");
            return new Pskc.Unlock.Passphrase(first.toCharArray());
        }
        byte[] raw = Files.readAllBytes(unlocking.keyFile);
        String text = new String(raw, StandardCharsets.US_ASCII).strip();
        if (text.matches("[0-9a-fA-F]{32}|[0-9a-fA-F]{48}|[0-9a-fA-F]{64}")) {
            Arrays.fill(raw, (byte) 0);
            return new Pskc.Unlock.PreSharedKey(HexFormat.of().parseHex(text));
        }
        return new Pskc.Unlock.PreSharedKey(raw);
    }

    private static void wipe(Pskc.Unlock unlock) {
        if (unlock instanceof Pskc.Unlock.PreSharedKey k) {
            Arrays.fill(k.key(), (byte) 0);
        } else if (unlock instanceof Pskc.Unlock.Passphrase p) {
            Arrays.fill(p.passphrase(), '\0');
        }
    }
}
