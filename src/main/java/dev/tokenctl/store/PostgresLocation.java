package dev.tokenctl.store;

import dev.tokenctl.core.Text;
import dev.tokenctl.core.TokenctlException;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Where a PostgreSQL store is, read from a libpq-style URL
 * ({@code postgresql://user@host:5432/dbname?sslmode=require}) or a JDBC one
 * ({@code jdbc:postgresql://host/dbname?user=u}), with the password found as libpq finds it: in
 * the URL, else {@code PGPASSWORD}, else the password file ({@code PGPASSFILE} or
 * {@code ~/.pgpass}). {@link #toString} is the location without the password, for messages.
 */
record PostgresLocation(List<String> hosts, String database, String user, String password, String passwordSource,
                        Properties driverProperties) {

    /** The start of {@link #passwordSource} when there is no password because the file was ignored. */
    static final String IGNORED = "ignored: ";

    /** libpq's URL parameters that tokenctl passes on, with the driver's names for them. */
    private static final Map<String, String> PARAMETERS = Map.of(
            "sslmode", "sslmode", "sslrootcert", "sslrootcert", "sslcert", "sslcert", "sslkey", "sslkey",
            "connect_timeout", "connectTimeout", "application_name", "ApplicationName");

    /** libpq's values of sslmode, every one of which the driver knows too. */
    private static final List<String> SSLMODES = List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

    /** The longest connect_timeout in seconds: the driver counts it in milliseconds, in an int. */
    private static final int MAX_CONNECT_TIMEOUT = Integer.MAX_VALUE / 1000;

    static boolean matches(String location) {
        return location.startsWith("postgresql://") || location.startsWith("postgres://")
                || location.startsWith("jdbc:postgresql:");
    }

    /** Whether the URL itself carries a password. */
    static boolean hasPassword(String location) {
        return parse(location, Map.of(), "nobody").password != null;
    }

    /**
     * Reads {@code location}, taking what it leaves out from libpq's variables in {@code env}
     * (PGUSER, PGHOST, PGPORT, PGDATABASE); the password only from the URL, see {@link #withPassword}.
     * Both forms are read here, alike, and not by the driver, which would take a password from
     * its own look in ~/.pgpass, settings from a service file, and any parameter of its own.
     *
     * @throws TokenctlException INVALID when the URL is malformed, names an unknown parameter or
     *     gives one a value it cannot have
     */
    static PostgresLocation parse(String location, Map<String, String> env, String osUser) {
        boolean jdbc = location.startsWith("jdbc:postgresql:");
        String rest = jdbc ? location.substring("jdbc:postgresql:".length()) : location.substring(location.indexOf("://") + 3);
        int question = rest.indexOf('?');
        String query = question < 0 ? "" : rest.substring(question + 1);
        rest = question < 0 ? rest : rest.substring(0, question);
        String authority;
        String database;
        String user = null;
        String password = null;
        if (jdbc && !rest.startsWith("//")) {
            // jdbc:postgresql:dbname
            if (rest.startsWith("/")) {
                throw invalid(location, "it is not a JDBC URL the PostgreSQL driver reads (jdbc:postgresql://host:5432/dbname)");
            }
            authority = "";
            database = decode(location, rest);
        } else {
            if (jdbc) {
                rest = rest.substring(2);
                if (rest.indexOf('/') < 0) {
                    throw invalid(location, "it needs a '/' after the host and port (jdbc:postgresql://host:5432/dbname)");
                }
            }
            int slash = rest.indexOf('/');
            database = slash < 0 ? "" : decode(location, rest.substring(slash + 1));
            authority = slash < 0 ? rest : rest.substring(0, slash);
            int at = authority.lastIndexOf('@');
            if (at >= 0 && jdbc) {
                throw invalid(location, "a JDBC URL names the user as a parameter (jdbc:postgresql://host:5432/dbname?user=NAME)");
            }
            if (at >= 0) {
                String info = authority.substring(0, at);
                int colon = info.indexOf(':');
                user = decode(location, colon < 0 ? info : info.substring(0, colon));
                password = colon < 0 ? null : decode(location, info.substring(colon + 1));
                authority = authority.substring(at + 1);
            }
        }
        List<String> hosts = new ArrayList<>();
        for (String host : authority.isEmpty() ? new String[] {""} : authority.split(",")) {
            hosts.add(host(location, decode(location, host), env));
        }
        Map<String, String> params = query(location, query);
        user = params.getOrDefault("user", user);
        password = params.getOrDefault("password", password);
        database = params.getOrDefault("dbname", database);
        params.keySet().removeAll(Set.of("user", "password", "dbname"));
        Properties driver = new Properties();
        params.forEach((key, value) -> driver.setProperty(PARAMETERS.get(key), value));
        if (user == null || user.isEmpty()) {
            user = env.getOrDefault("PGUSER", osUser);
        }
        if (database.isEmpty()) {
            database = env.getOrDefault("PGDATABASE", user);
        }
        if (password != null && password.isEmpty()) {
            password = null;
        }
        return new PostgresLocation(List.copyOf(hosts), database, user, password, password == null ? null : "the URL", driver);
    }

    /**
     * The same location with the password libpq would use when the URL has none, and where it
     * came from; or, when there is none, why the password file gave none, if it was ignored.
     */
    PostgresLocation withPassword(Map<String, String> env) {
        if (password != null) {
            return this;
        }
        String found = env.get("PGPASSWORD");
        if (found != null && !found.isEmpty()) {
            return new PostgresLocation(hosts, database, user, found, "PGPASSWORD", driverProperties);
        }
        String name = env.get("PGPASSFILE");
        Path file = name != null && !name.isEmpty() ? Path.of(name)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".pgpass");
        try {
            if (!Files.isRegularFile(file)) {
                return this;
            }
            // libpq ignores a file that others may read, and so does this.
            for (PosixFilePermission open : Files.getPosixFilePermissions(file)) {
                if (!open.name().startsWith("OWNER")) {
                    return new PostgresLocation(hosts, database, user, null, IGNORED + file, driverProperties);
                }
            }
            found = passwordFile(file);
        } catch (IOException | UnsupportedOperationException e) {
            // libpq too goes on without a password it cannot read.
        }
        return found == null ? this : new PostgresLocation(hosts, database, user, found, file.toString(), driverProperties);
    }

    /** The URL the driver connects to; user and password go in the properties. */
    String jdbcUrl() {
        return "jdbc:postgresql://" + String.join(",", hosts) + "/" + URLEncoder.encode(database, StandardCharsets.UTF_8);
    }

    Properties connectionProperties() {
        Properties properties = new Properties();
        properties.setProperty("ApplicationName", "tokenctl");
        properties.setProperty("connectTimeout", "10");
        properties.putAll(driverProperties);
        properties.setProperty("user", user);
        if (password != null) {
            properties.setProperty("password", password);
        }
        return properties;
    }

    /** The server's address for messages: its first host and port. */
    String server() {
        return String.join(",", hosts);
    }

    @Override
    public String toString() {
        String sslmode = driverProperties.getProperty("sslmode");
        return "postgresql://" + user + "@" + server() + "/" + database + (sslmode == null ? "" : "?sslmode=" + sslmode);
    }

    private static String host(String location, String host, Map<String, String> env) {
        if (host.startsWith("/")) {
            throw invalid(location, "Unix-domain sockets are not supported (give the server's host name or 127.0.0.1)");
        }
        String name = host;
        String port = null;
        int colon = host.lastIndexOf(':');
        if (colon >= 0 && host.indexOf(']') < colon && (host.startsWith("[") || host.indexOf(':') == colon)) {
            name = host.substring(0, colon);
            port = host.substring(colon + 1);
        }
        if (name.isEmpty()) {
            name = env.getOrDefault("PGHOST", "localhost");
        }
        if (port == null || port.isEmpty()) {
            port = env.getOrDefault("PGPORT", "5432");
        }
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) > 65535 || Integer.parseInt(port) == 0) {
            throw invalid(location, "port " + fragment(location, port) + "is not a number from 1 to 65535");
        }
        return hostPort(name, port);
    }

    private static String hostPort(String name, String port) {
        return name + ":" + port;
    }

    private static Map<String, String> query(String location, String query) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String key = decode(location, equals < 0 ? pair : pair.substring(0, equals));
            if (!PARAMETERS.containsKey(key) && !Set.of("user", "password", "dbname").contains(key)) {
                throw invalid(location, "parameter " + fragment(location, key) + "is not supported (use "
                        + String.join(", ", new java.util.TreeSet<>(PARAMETERS.keySet())) + ")");
            }
            String value = equals < 0 ? "" : decode(location, pair.substring(equals + 1));
            check(location, key, value);
            params.put(key, value);
        }
        return params;
    }

    /** Refuses a value libpq would refuse, or that the driver would read otherwise than libpq does. */
    private static void check(String location, String key, String value) {
        String why = switch (key) {
            case "sslmode" -> SSLMODES.contains(value) ? null
                    : fragment(location, value) + "is not one of " + String.join(", ", SSLMODES);
            case "connect_timeout" -> value.matches("[0-9]{1,10}") && Long.parseLong(value) <= MAX_CONNECT_TIMEOUT ? null
                    : fragment(location, value) + "is not a whole number of seconds from 0 to " + MAX_CONNECT_TIMEOUT;
            case "sslrootcert" -> value.isEmpty() ? "is empty (give the file of the authority's certificate)"
                    // The driver would read a file of that name.
                    : value.equals("system") ? "'system', libpq's word for the system's certificate authorities, is not"
                    + " supported (give the file of the authority's certificate)"
                    : null;
            case "sslcert", "sslkey" -> value.isEmpty() ? "is empty (give the file, or leave the parameter out)" : null;
            default -> null;
        };
        if (why != null) {
            throw invalid(location, key + " " + why);
        }
    }

    private static String decode(String location, String text) {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid(location, "it has a malformed %-escape");
        }
    }

    /**
     * The password of the first line of the password file that matches the first host, as libpq
     * reads it: {@code host:port:database:user:password}, {@code *} matching anything,
     * {@code \} escaping.
     */
    private String passwordFile(Path file) throws IOException {
        String first = hosts.get(0);
        int colon = first.lastIndexOf(':');
        String host = first.substring(0, colon).replaceAll("^\\[(.*)]$", "$1");  // libpq writes IPv6 bare
        List<String> wanted = List.of(host, first.substring(colon + 1), database, user);
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            List<String> fields = fields(line);
            if (fields.size() == 5 && matches(fields, wanted)) {
                return fields.get(4);
            }
        }
        return null;
    }

    /** A field that was an unescaped {@code *} is null: it matches anything. */
    private static boolean matches(List<String> fields, List<String> wanted) {
        for (int i = 0; i < wanted.size(); i++) {
            String field = fields.get(i);
            if (field != null && !field.equals(wanted.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static List<String> fields(String line) {
        List<String> fields = new ArrayList<>();
        if (line.startsWith("#")) {
            return fields;
        }
        StringBuilder field = new StringBuilder();
        boolean escaped = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                field.append(line.charAt(++i));
                escaped = true;
            } else if (c == ':' && fields.size() < 4) {
                fields.add(!escaped && field.toString().equals("*") ? null : field.toString());
                field.setLength(0);
                escaped = false;
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }

    private static TokenctlException invalid(String location, String why) {
        String hint = mayHoldPassword(location) && !why.contains("(")
                ? " (percent-encode '/', '?', '@' and ':' in the password, or leave it out and use PGPASSWORD or ~/.pgpass)" : "";
        return TokenctlException.invalid("store URL '" + Text.quoteSafe(masked(location), 200) + "' cannot be used: " + why + hint);
    }

    /**
     * A piece of the URL, quoted, for a message; nothing when the URL may hold a password,
     * since a password with an unescaped '/', '?' or '@' would be cut into pieces like this one.
     */
    private static String fragment(String location, String piece) {
        return mayHoldPassword(location) ? "" : "'" + Text.quoteSafe(piece, 40) + "' ";
    }

    private static boolean mayHoldPassword(String location) {
        int scheme = location.indexOf("://");
        int at = location.lastIndexOf('@');
        return (scheme >= 0 && at > scheme && location.substring(scheme + 3, at).contains(":"))
                || location.toLowerCase(java.util.Locale.ROOT).contains("password=");
    }

    /** The URL with any password in it replaced by "***", for messages. */
    static String masked(String location) {
        String masked = location.replaceAll("(?i)(password=)[^&]*", "$1***");
        int scheme = masked.indexOf("://");
        int at = masked.lastIndexOf('@');
        if (scheme < 0 || at < scheme) {
            return masked;
        }
        // Everything between the scheme and the last '@' may be a password, even one holding '/', '?' or '@'.
        String info = masked.substring(scheme + 3, at);
        int colon = info.indexOf(':');
        return masked.substring(0, scheme + 3) + (colon < 0 ? info : info.substring(0, colon) + ":***") + masked.substring(at);
    }
}
