package se.lu.lunarc.otp.server.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Re-seals every sealed secret (token secrets, hardware seeds) with the newest key the cipher holds, a batch per
 * transaction, while the server goes on: each row is replaced only if it still holds what was read, so a token
 * revoked or changed meanwhile keeps its change. Then the key check is sealed with the new key, so that from then
 * on only nodes holding it start.
 */
public final class KeyRotation {
    private static final int BATCH = 200;

    /** A table with sealed secrets: its key column and what each secret is bound to before that key. */
    private record Sealed(String table, String idColumn, String binding) {}

    private static final List<Sealed> SEALED = List.of(new Sealed("tokens", "id", ""),
            new Sealed("hardware_tokens", "serial", StoreMigration.HARDWARE_BINDING));

    private KeyRotation() {
    }

    /** Rows re-sealed in one pass, and rows still under an older key at its end (sealed meanwhile by a node without the new key). */
    public record Pass(int resealed, int leftBehind) {}

    /** One pass over every sealed secret; {@code leftBehind} counts those that were still not under the newest key. */
    public static Pass resealAll(Database db, SecretCipher cipher) throws SQLException {
        int[] resealed = {0};
        eachPage(db, (t, rows) -> {
            try {
                resealed[0] += db.inTransaction(c -> reseal(c, t, rows, cipher));
            } catch (SQLException e) {
                if (!Transactions.isConflict(e)) {
                    throw e;
                }
                // logins kept touching these rows: one row per transaction, each retried on its own
                for (Object[] row : rows) {
                    resealed[0] += db.inTransaction(c -> reseal(c, t, List.<Object[]>of(row), cipher));
                }
            }
        });
        return new Pass(resealed[0], countNotNewest(db, cipher));
    }

    /** What is done with each page of a table's sealed secrets (id, secret), in order of id. */
    private interface PageWork {
        void take(Sealed table, List<Object[]> rows) throws SQLException;
    }

    /** Every sealed secret, a page of {@link #BATCH} rows at a time, each page read on its own. */
    private static void eachPage(Database db, PageWork work) throws SQLException {
        for (Sealed t : SEALED) {
            String after = "";
            while (true) {
                String from = after;
                List<Object[]> rows = db.read(c -> page(c, t, from));
                if (rows.isEmpty()) {
                    break;
                }
                after = (String) rows.get(rows.size() - 1)[0];
                work.take(t, rows);
            }
        }
    }

    private static int reseal(java.sql.Connection c, Sealed t, List<Object[]> rows, SecretCipher cipher)
            throws SQLException {
        int n = 0;
        for (Object[] row : rows) {
            String id = (String) row[0];
            byte[] stored = (byte[]) row[1];
            String boundTo = t.binding() + id;
            if (cipher.sealedWithNewest(stored, boundTo)) {
                continue;
            }
            byte[] plain = cipher.decrypt(stored, boundTo);
            try {
                n += Sql.update(c, "UPDATE " + t.table() + " SET secret = ? WHERE " + t.idColumn()
                        + " = ? AND secret = ?", cipher.encrypt(plain, boundTo), id, stored);
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
        }
        return n;
    }

    /** Sealed secrets not under the newest key. */
    public static int countNotNewest(Database db, SecretCipher cipher) throws SQLException {
        int[] left = {0};
        eachPage(db, (t, rows) -> {
            for (Object[] row : rows) {
                left[0] += cipher.sealedWithNewest((byte[]) row[1], t.binding() + row[0]) ? 0 : 1;
            }
        });
        return left[0];
    }

    /** Seals the key check's marker with the newest key: only nodes holding it start from now on. */
    public static void sealKeyCheck(Database db, SecretCipher cipher) throws SQLException {
        db.inTransaction(c -> {
            KeyCheck.reseal(c, cipher);
            return null;
        });
    }

    private static List<Object[]> page(java.sql.Connection c, Sealed t, String after) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + t.idColumn() + ", secret FROM " + t.table()
                + " WHERE " + t.idColumn() + " > ? AND secret IS NOT NULL ORDER BY " + t.idColumn() + " LIMIT "
                + BATCH)) {
            p.setString(1, after);
            try (ResultSet r = p.executeQuery()) {
                List<Object[]> rows = new ArrayList<>();
                while (r.next()) {
                    rows.add(new Object[] {r.getString(1), r.getBytes(2)});
                }
                return rows;
            }
        }
    }
}
