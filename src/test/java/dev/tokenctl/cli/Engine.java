package dev.tokenctl.cli;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/** The engines a store can be on; the command-level and end-to-end tests run on each. */
enum Engine {
    SQLITE, POSTGRESQL;

    /** The location of a new, empty store: a file in {@code dir}, or a database of its own on the test server. */
    String newStore(Path dir) {
        return this == SQLITE ? dir.resolve("tokens.db").toString() : TestPostgres.newDatabase();
    }

    /** What a tokenctl process needs in its environment to use the store at {@code location}. */
    Map<String, String> env(String location) {
        Map<String, String> env = new HashMap<>(Map.of("TOKENCTL_DB", location));
        if (this == POSTGRESQL) {
            env.put("PGPASSWORD", TestPostgres.PASSWORD);
        }
        return env;
    }

    /**
     * "ok" when the store is whole: on SQLite, its integrity check; on both, what no transaction
     * may leave half-done: one policy, one active token per name, every rotated token revoked.
     */
    String integrity(String location) throws SQLException {
        try (Connection c = this == SQLITE ? DriverManager.getConnection("jdbc:sqlite:" + location)
                : TestPostgres.connect(location.substring(location.lastIndexOf('/') + 1));
             Statement s = c.createStatement()) {
            String prefix = this == SQLITE ? "" : "tokenctl.";
            if (this == SQLITE) {
                try (ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
                    if (!rs.getString(1).equals("ok")) {
                        return rs.getString(1);
                    }
                }
            }
            Map<String, String> checks = Map.of(
                    "policy rows other than one", "SELECT count(*) <> 1 FROM " + prefix + "policy",
                    "two active tokens of one name", "SELECT count(*) > 0 FROM (SELECT name FROM " + prefix
                            + "tokens WHERE revoked_at IS NULL GROUP BY name HAVING count(*) > 1) d",
                    "a rotated token not revoked", "SELECT count(*) > 0 FROM " + prefix + "tokens n JOIN " + prefix
                            + "tokens o ON o.id = n.rotated_from WHERE o.revoked_at IS NULL");
            for (Map.Entry<String, String> check : checks.entrySet()) {
                try (ResultSet rs = s.executeQuery(check.getValue())) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return check.getKey();
                    }
                }
            }
        }
        return "ok";
    }
}
