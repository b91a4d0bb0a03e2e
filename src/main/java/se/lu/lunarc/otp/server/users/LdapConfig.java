package se.lu.lunarc.otp.server.users;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The site's LDAP directory (OpenLDAP, 389-ds, FreeIPA). {@code url}: one or more {@code ldaps://} URLs, or
 * {@code ldap://} with {@code startTls}; plain {@code ldap://} is refused off loopback, since the user's
 * password crosses it. Searches bind as {@code bindDn} with the password in {@code bindPasswordFile}, or
 * anonymously. {@code userFilter}'s {@code {0}} is the username, escaped per RFC 4515. {@code allowedFilter}
 * (for example group membership) decides who may sign in and enroll. {@code attributes} maps displayName,
 * email, phone, affiliation and language to the directory's attributes, the first with a value winning; and
 * {@code username} to the one attribute that holds the account's name (default {@code uid}), whose value as the
 * entry stores it is the account's identity, whatever case the user typed.
 */
public record LdapConfig(List<String> url, boolean startTls, Path caBundle, String bindDn, Path bindPasswordFile,
                         String baseDn, String userFilter, String allowedFilter,
                         Map<String, List<String>> attributes, int timeoutSeconds, int poolSize) {
    public static final Map<String, List<String>> DEFAULT_ATTRIBUTES = Map.of(
            "username", List.of("uid"),
            "displayName", List.of("displayName", "cn"), "email", List.of("mail"),
            "phone", List.of("mobile", "telephoneNumber"), "affiliation", List.of("o"),
            "language", List.of("preferredLanguage"));

    public LdapConfig {
        if (url == null || url.isEmpty()) {
            throw new IllegalArgumentException("users.ldap.url is required");
        }
        if (baseDn == null || baseDn.isBlank()) {
            throw new IllegalArgumentException("users.ldap.baseDn is required");
        }
        url = List.copyOf(url);
        userFilter = userFilter == null ? "(uid={0})" : userFilter;
        if (!userFilter.contains("{0}")) {
            throw new IllegalArgumentException("users.ldap.userFilter must contain {0}, the username");
        }
        if ((bindDn == null) != (bindPasswordFile == null)) {
            throw new IllegalArgumentException("users.ldap: bindDn and bindPasswordFile go together");
        }
        Map<String, List<String>> merged = new java.util.HashMap<>(DEFAULT_ATTRIBUTES);
        if (attributes != null) {
            for (var e : attributes.entrySet()) {
                if (!DEFAULT_ATTRIBUTES.containsKey(e.getKey())) {
                    throw new IllegalArgumentException("users.ldap.attributes: unknown field " + e.getKey()
                            + " (known: username, displayName, email, phone, affiliation)");
                }
                if (e.getKey().equals("username") && e.getValue().size() != 1) {
                    throw new IllegalArgumentException("users.ldap.attributes.username names one attribute "
                            + "(the account's name, such as uid or sAMAccountName), not " + e.getValue());
                }
                merged.put(e.getKey(), List.copyOf(e.getValue()));
            }
        }
        attributes = Map.copyOf(merged);
        timeoutSeconds = timeoutSeconds <= 0 ? 5 : timeoutSeconds;
        poolSize = poolSize <= 0 ? 8 : poolSize;
    }

    public LdapConfig resolvedAgainst(Path base) {
        return new LdapConfig(url, startTls, caBundle == null ? null : base.resolve(caBundle), bindDn,
                bindPasswordFile == null ? null : base.resolve(bindPasswordFile), baseDn, userFilter,
                allowedFilter, attributes, timeoutSeconds, poolSize);
    }
}
