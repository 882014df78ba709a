package dev.tokenctl.bench;

import dev.tokenctl.core.Permission;
import dev.tokenctl.core.Token;
import dev.tokenctl.core.TokenFormat;
import dev.tokenctl.store.SqliteStore;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;

/**
 * The benchmark's seeding helper: fills a store with COUNT tokens in one transaction through the
 * store the tool itself uses, and writes the first KEEP token strings to a file, one a line.
 * Usage: Seed STORE COUNT TOKENS_FILE KEEP
 */
public final class Seed {
    private Seed() {
    }

    public static void main(String[] args) throws IOException, NoSuchAlgorithmException {
        Path db = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        Path tokensFile = Path.of(args[2]);
        int keep = Integer.parseInt(args[3]);
        // Seeded SHA1PRNG: the same strength of token, generated fast enough for a million.
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(count);
        TokenFormat format = new TokenFormat(random);
        Instant now = Instant.now();
        try (SqliteStore store = SqliteStore.open(db, Duration.ofSeconds(60));
             BufferedWriter out = Files.newBufferedWriter(tokensFile)) {
            store.transaction(() -> {
                try {
                    for (int i = 0; i < count; i++) {
                        String id = format.newId();
                        String tokenString = format.newToken(id);
                        String secret = tokenString.substring(tokenString.indexOf('~') + 1);
                        Token token = new Token(id, "seed-" + i, null, EnumSet.of(Permission.ReadHealthCheck,
                                Permission.ViewOrganizations), now.minusSeconds(count - i), now.plus(Duration.ofDays(365)),
                                null, null, null, null, null, null, null);
                        store.insertToken(token, TokenFormat.digest(secret));
                        if (i < keep) {
                            out.write(tokenString);
                            out.write('\n');
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return null;
            });
        }
    }
}
