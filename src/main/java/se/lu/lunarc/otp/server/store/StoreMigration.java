package se.lu.lunarc.otp.server.store;


import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Moves a site's SQLite store into a new PostgreSQL store, all or nothing. Before anything is written, every
 * sealed token secret is opened once with the key (so the key that goes with the new store is the right one),
 * and the target must be empty. The rows go over in one transaction that also counts every table again and
 * compares every sealed secret byte for byte; any difference rolls it all back. Tokens keep their order of
 * creation. Secrets stay sealed throughout: the same key opens them on the new store.
 */
public final class StoreMigration {
    /** Every table with rows to keep. store_key is sealed anew by {@link KeyCheck}; rate limits are not in SQLite. */
    static final List<String> TABLES = List.of("tokens", "code_failures", "password_failures", "sessions",
            "pending_logins", "spent_proofs", "radius_states", "radius_sms_rounds", "hardware_tokens");

    private StoreMigration() {
    }

    /** Rows copied per table, in {@link #TABLES} order, and how many sealed secrets were opened. */
    public record Report(Map<String, Integer> rows, int secretsOpened) {}

    /** The migration did not start, or was rolled back: nothing was written to the target. */
    public static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** One table's rows as read from the source: column names and values (INTEGER, TEXT, BLOB or null). */
    private record Rows(List<String> columns, List<Object[]> values) {}

    public static Report run(Database from, Database to, SecretCipher cipher, String keyFileName)
            throws SQLException, Refused {
        if (from.dialect() != Database.Dialect.SQLITE || to.dialect() != Database.Dialect.POSTGRESQL) {
            throw new IllegalArgumentException("migrates from SQLite to PostgreSQL");
        }
        try {
            KeyCheck.verify(from, cipher, keyFileName);
        } catch (KeyCheck.WrongKey e) {
            throw new Refused(e.getMessage());
        }
        // a snapshot: the write lock keeps a server that was left running from changing it meanwhile
        Map<String, Rows> source = from.inTransaction(c -> {
            Map<String, Rows> all = new LinkedHashMap<>();
            for (String table : TABLES) {
                all.put(table, read(c, table));
            }
            return all;
        });
        int opened = openEverySecret(source.get("tokens"), "id", "", cipher)
                + openEverySecret(source.get("hardware_tokens"), "serial", HARDWARE_BINDING, cipher);
        Map<String, Integer> present = to.read(StoreMigration::counts);
        if (present.values().stream().anyMatch(n -> n > 0)) {
            throw new Refused("the target store is not empty (" + describe(present) + "); migrate-store fills only a "
                    + "new store. Nothing was written.");
        }
        try {
            KeyCheck.verify(to, cipher, keyFileName);
        } catch (KeyCheck.WrongKey e) {
            throw new Refused("the target store was set up with another key file. Nothing was written.");
        }
        Map<String, Integer> copied;
        try {
            copied = to.inTransaction(c -> {
                for (Map.Entry<String, Rows> table : source.entrySet()) {
                    write(c, table.getKey(), table.getValue());
                }
                Map<String, Integer> counted = counts(c);
                for (Map.Entry<String, Rows> table : source.entrySet()) {
                    int expected = table.getValue().values().size();
                    if (counted.get(table.getKey()) != expected) {
                        throw new Mismatch(table.getKey() + ": " + expected + " rows read, "
                                + counted.get(table.getKey()) + " in the target");
                    }
                }
                compareSecrets(c, "tokens", "id", source.get("tokens"));
                compareSecrets(c, "hardware_tokens", "serial", source.get("hardware_tokens"));
                return counted;
            });
        } catch (Mismatch e) {
            throw new Refused("the copy did not match the source (" + e.getMessage() + "); it was rolled back. "
                    + "Nothing was written.");
        }
        return new Report(copied, opened);
    }

    /** Found in the target after the copy, inside its transaction: rolls it back. */
    private static final class Mismatch extends SQLException {
        Mismatch(String message) {
            super(message);
        }
    }

    private static Rows read(Connection c, String table) throws SQLException {
        // tokens in the order they were made: PostgreSQL's seq is then given in the same order
        String order = table.equals("tokens") ? " ORDER BY rowid" : "";
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT * FROM " + table + order)) {
            ResultSetMetaData meta = r.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(meta.getColumnName(i));
            }
            List<Object[]> values = new ArrayList<>();
            while (r.next()) {
                Object[] row = new Object[columns.size()];
                for (int i = 0; i < row.length; i++) {
                    row[i] = r.getObject(i + 1);
                }
                values.add(row);
            }
            return new Rows(columns, values);
        }
    }

    /** What a hardware token's sealed seed is bound to, before its serial number. */
    public static final String HARDWARE_BINDING = "hardware:";

    private static int openEverySecret(Rows tokens, String idColumn, String binding, SecretCipher cipher)
            throws Refused {
        int id = tokens.columns().indexOf(idColumn);
        int secret = tokens.columns().indexOf("secret");
        int opened = 0;
        List<String> failed = new ArrayList<>();
        for (Object[] row : tokens.values()) {
            if (row[secret] == null) {
                continue; // a revoked token's secret is already gone
            }
            try {
                Arrays.fill(cipher.decrypt((byte[]) row[secret], binding + row[id]), (byte) 0);
                opened++;
            } catch (IllegalStateException e) {
                failed.add((String) row[id]);
            }
        }
        if (!failed.isEmpty()) {
            throw new Refused(failed.size() + " token secret(s) do not open with the key file (token ids: "
                    + String.join(", ", failed.subList(0, Math.min(10, failed.size())))
                    + (failed.size() > 10 ? ", …" : "") + "). Nothing was written.");
        }
        return opened;
    }

    private static void write(Connection c, String table, Rows rows) throws SQLException {
        if (rows.values().isEmpty()) {
            return;
        }
        String sql = "INSERT INTO " + table + " (" + String.join(", ", rows.columns()) + ") VALUES ("
                + String.join(", ", java.util.Collections.nCopies(rows.columns().size(), "?")) + ")";
        int[] types = targetTypes(c, table, rows.columns());
        try (PreparedStatement p = c.prepareStatement(sql)) {
            int batched = 0;
            for (Object[] row : rows.values()) {
                for (int i = 0; i < row.length; i++) {
                    if (row[i] == null) {
                        p.setNull(i + 1, types[i]);
                    } else if (row[i] instanceof Number n && types[i] != java.sql.Types.VARCHAR) {
                        p.setLong(i + 1, n.longValue());
                    } else {
                        p.setObject(i + 1, row[i], types[i]);
                    }
                }
                p.addBatch();
                if (++batched % 500 == 0) {
                    p.executeBatch();
                }
            }
            p.executeBatch();
        }
    }

    /** The SQL types of the target's columns, so that nulls and numbers go in as what the column holds. */
    private static int[] targetTypes(Connection c, String table, List<String> columns) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "SELECT " + String.join(", ", columns) + " FROM " + table + " WHERE false")) {
            ResultSetMetaData meta = r.getMetaData();
            int[] types = new int[columns.size()];
            for (int i = 0; i < types.length; i++) {
                types[i] = meta.getColumnType(i + 1);
            }
            return types;
        }
    }

    private static Map<String, Integer> counts(Connection c) throws SQLException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        try (Statement s = c.createStatement()) {
            for (String table : TABLES) {
                try (ResultSet r = s.executeQuery("SELECT count(*) FROM " + table)) {
                    r.next();
                    counts.put(table, r.getInt(1));
                }
            }
        }
        return counts;
    }

    private static void compareSecrets(Connection c, String table, String idColumn, Rows tokens) throws SQLException {
        int id = tokens.columns().indexOf(idColumn);
        int secret = tokens.columns().indexOf("secret");
        Map<String, byte[]> target = new HashMap<>();
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT " + idColumn + ", secret FROM " + table)) {
            while (r.next()) {
                target.put(r.getString(1), r.getBytes(2));
            }
        }
        for (Object[] row : tokens.values()) {
            if (!Arrays.equals((byte[]) row[secret], target.get((String) row[id]))) {
                throw new Mismatch(table + " " + row[id] + ": the sealed secret differs");
            }
        }
    }

    /** "3 tokens, 1 sessions": the tables that hold rows. */
    public static String describe(Map<String, Integer> rows) {
        List<String> parts = new ArrayList<>();
        rows.forEach((table, n) -> {
            if (n > 0) {
                parts.add(n + " " + table.replace('_', ' '));
            }
        });
        return parts.isEmpty() ? "no rows" : String.join(", ", parts);
    }
}
