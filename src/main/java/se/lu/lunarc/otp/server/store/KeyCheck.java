package se.lu.lunarc.otp.server.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Whether this node holds the key the store's secrets were sealed with. The first node to start seals a fixed
 * marker into the store; every later start opens it. A node with another key file is stopped at start, with a
 * message, instead of finding out when a user's code fails to check.
 */
public final class KeyCheck {
    private static final byte[] MARKER = "lunarc-otp store key check, version 1".getBytes(StandardCharsets.US_ASCII);
    private static final String BOUND_TO = "store-key-check";

    private KeyCheck() {
    }

    /** The key in use is not the store's. The message names neither key. */
    public static final class WrongKey extends IllegalStateException {
        WrongKey(String message) {
            super(message);
        }
    }

    public static void verify(Database db, SecretCipher cipher, String keyFileName) throws SQLException {
        db.inTransaction(verification(cipher, keyFileName));
    }

    /**
     * The check as one transaction's work: seals the marker if the store has none yet, then opens the stored one
     * with {@code cipher}, throwing {@link WrongKey} when it is another key's. {@link Database#open} runs it under
     * the lock its migrations hold, so that nodes starting together on an empty store agree on one key.
     */
    public static Database.Work<Void> verification(SecretCipher cipher, String keyFileName) {
        byte[] sealed = cipher.encrypt(MARKER, BOUND_TO);
        return c -> {
            Sql.update(c, "INSERT INTO store_key (id, check_value) VALUES (1, ?) ON CONFLICT (id) DO NOTHING", sealed);
            byte[] stored;
            try (PreparedStatement p = c.prepareStatement("SELECT check_value FROM store_key WHERE id = 1");
                 ResultSet r = p.executeQuery()) {
                r.next();
                stored = r.getBytes(1);
            }
            byte[] opened;
            try {
                opened = cipher.decrypt(stored, BOUND_TO);
            } catch (IllegalStateException e) {
                opened = null;
            }
            if (opened == null || !MessageDigest.isEqual(opened, MARKER)) {
                throw new WrongKey("the key file " + keyFileName + " is not the key this store's secrets were sealed "
                        + "with: every node must use a copy of the same key file; refusing to start");
            }
            return null;
        };
    }

    /** Seals the marker again with the key new secrets are sealed with (the end of a rotation). */
    static void reseal(java.sql.Connection c, SecretCipher cipher) throws SQLException {
        Sql.update(c, "UPDATE store_key SET check_value = ? WHERE id = 1", cipher.encrypt(MARKER, BOUND_TO));
    }
}
