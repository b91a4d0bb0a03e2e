package se.lu.lunarc.otp.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Spellings of one name that hold tokens of their own: what servers before one identity per account left behind
 * when a user signed in as {@code ALICE} and enrolled there. Found, and joined into the account's own name.
 */
public final class IdentityMerge {
    private IdentityMerge() {
    }

    /** The names with their case folded that tokens are kept under in more than one spelling: spelling → tokens. */
    public static Map<String, Map<String, Integer>> variants(Connection c) throws SQLException {
        Map<String, Map<String, Integer>> byFolded = new TreeMap<>();
        try (PreparedStatement p = c.prepareStatement(
                "SELECT username, count(*) FROM tokens GROUP BY username");
             ResultSet r = p.executeQuery()) {
            while (r.next()) {
                byFolded.computeIfAbsent(r.getString(1).toLowerCase(Locale.ROOT), k -> new TreeMap<>())
                        .put(r.getString(1), r.getInt(2));
            }
        }
        byFolded.values().removeIf(spellings -> spellings.size() < 2);
        return byFolded;
    }

    /**
     * Moves everything kept under {@code from} to {@code into}: tokens (a name {@code into} already uses gets
     * " (from)" added, so both stay usable), hardware tokens' assignments and code failures; {@code from}'s
     * sessions end. Returns how many tokens moved.
     */
    public static int merge(Connection c, String from, String into) throws SQLException {
        Set<String> taken = new HashSet<>();
        try (PreparedStatement p = c.prepareStatement(
                "SELECT name FROM tokens WHERE username = ? AND status <> 'revoked'")) {
            p.setString(1, into);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    taken.add(r.getString(1).toLowerCase(Locale.ROOT));
                }
            }
        }
        List<String[]> renames = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(
                "SELECT id, name FROM tokens WHERE username = ? AND status <> 'revoked'")) {
            p.setString(1, from);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    String name = r.getString(2);
                    String fresh = name;
                    for (int n = 1; taken.contains(fresh.toLowerCase(Locale.ROOT)); n++) {
                        String suffix = " (" + from + (n == 1 ? "" : " " + n) + ")";
                        fresh = name.substring(0, Math.min(name.length(), 64 - suffix.length())) + suffix;
                    }
                    taken.add(fresh.toLowerCase(Locale.ROOT));
                    if (!fresh.equals(name)) {
                        renames.add(new String[] {fresh, r.getString(1)});
                    }
                }
            }
        }
        for (String[] rename : renames) {
            Sql.update(c, "UPDATE tokens SET name = ? WHERE id = ?", rename[0], rename[1]);
        }
        int moved = Sql.update(c, "UPDATE tokens SET username = ? WHERE username = ?", into, from);
        Sql.update(c, "UPDATE hardware_tokens SET assigned_to = ? WHERE assigned_to = ?", into, from);
        // where both spellings have a row for one station, the account's own stays
        Sql.update(c, "DELETE FROM code_failures WHERE username = ? AND source IN "
                + "(SELECT source FROM code_failures WHERE username = ?)", from, into);
        Sql.update(c, "UPDATE code_failures SET username = ? WHERE username = ?", into, from);
        Sessions.endAllOf(c, from);
        return moved;
    }
}
