package se.lu.lunarc.otp.server.admin;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import se.lu.lunarc.otp.server.store.KeyRotation;
import se.lu.lunarc.otp.server.store.SecretCipher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code server rotate-key}: seals every token secret and hardware seed under a new store key while the server
 * runs. The new key is {@code secret.key.next} until the last row is re-sealed; then the key check names it, it
 * becomes {@code secret.key}, and the old key is set aside as {@code secret.key.retired-TIME} for the administrator
 * to destroy once no kept backup needs it.
 */
@Command(name = "rotate-key", mixinStandardHelpOptions = true,
        description = {"Seal every token secret under a new store key while the server runs (docs/keys.md).",
                "With several nodes (PostgreSQL): first --prepare, copy secret.key.next to every node's data folder, "
                        + "then run again without --prepare."})
public final class RotateKeyCommand implements Callable<Integer> {
    /** Passes over the rows before giving up on secrets that a node without the new key keeps sealing. */
    private static final int PASSES = 3;

    @Mixin
    AdminOptions options;

    @Option(names = "--prepare", description = "Only make the new key (secret.key.next), to copy to the other nodes.")
    boolean prepare;

    @Override
    public Integer call() throws Exception {
        try (SiteStore site = options.open()) {
            Path key = site.config().dataDir().resolve("secret.key");
            Path next = key.resolveSibling(key.getFileName() + SecretCipher.NEXT);
            boolean shared = !site.config().store().type().equals("sqlite");
            boolean made = SecretCipher.makeNextKey(key, site.cipher().hsm());
            if (prepare || (made && shared)) {
                String text = (made ? "Made the new key " : "The new key is already there: ") + next + ". Copy it "
                        + "to the data folder of every node (owner " + Files.getOwner(key).getName() + ", mode 0600; "
                        + "each server starts sealing with it as it finds it), then run rotate-key again without "
                        + "--prepare.";
                options.print(text, Map.of("nextKey", next.toString(), "made", made));
                return 0;
            }
            long t0 = System.nanoTime();
            SecretCipher cipher = SecretCipher.fromKeyFile(key, site.cipher().hsm()); // the old key and the new one
            int resealed = 0;
            KeyRotation.Pass pass = null;
            for (int i = 0; i < PASSES && (pass == null || pass.leftBehind() > 0); i++) {
                pass = KeyRotation.resealAll(site.db(), cipher);
                resealed += pass.resealed();
            }
            if (pass.leftBehind() > 0) {
                return options.refuse(pass.leftBehind() + " secret(s) are still sealed with the old key after "
                        + PASSES + " passes: a node without " + next + " keeps sealing new tokens with the old key. "
                        + "Copy the file to every node's data folder, then run rotate-key again. Both keys still "
                        + "open every secret; nothing is lost.");
            }
            KeyRotation.sealKeyCheck(site.db(), cipher);
            String stamp = options.clock.instant().toString().replace(":", "");
            Path retired = key.resolveSibling(key.getFileName() + ".retired-" + stamp);
            Files.move(key, retired);
            Files.move(next, key, StandardCopyOption.ATOMIC_MOVE);
            long millis = (System.nanoTime() - t0) / 1_000_000;
            site.audit().record("store_key_rotated", null, "cli", null, "resealed=" + resealed + " by="
                    + site.operator());
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("resealed", resealed);
            json.put("millis", millis);
            json.put("retiredKey", retired.toString());
            options.print("Re-sealed " + resealed + " secret(s) with the new key in " + millis + " ms; the store's "
                    + "key check now names it, and it is " + key + ".\n"
                    + (shared ? "On every other node: mv " + next + " " + key + " (as the service's user), so "
                    + "that it starts with the new key.\n" : "")
                    + "The old key is " + retired + ": destroy it (shred -u) once no backup you keep was taken "
                    + "before now.", json);
            return 0;
        } catch (SiteStore.Unusable e) {
            return options.refuse("Nothing rotated: " + e.getMessage());
        }
    }
}
