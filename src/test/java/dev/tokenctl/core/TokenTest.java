package dev.tokenctl.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** When a valid token stops working, as every face tells it. */
class TokenTest {
    private static final Instant NOON = Instant.parse("2026-11-29T12:00:00Z");
    private static final Instant ONE = Instant.parse("2026-11-29T13:00:00Z");

    private static Token token(Instant expiresAt, Instant revokedAt) {
        return new Token("tctl_0000000000000000", "t", null, Set.of(Permission.ReadHealthCheck), NOON.minusSeconds(60),
                expiresAt, null, revokedAt, revokedAt == null ? null : "rotated", null, null, null, Map.of());
    }

    @Test
    void aTokenStopsWorkingAtItsExpiryOrAtTheEndOfItsGraceWhicheverComesFirst() {
        assertThat(token(null, null).validUntil()).as("never").isNull();
        assertThat(token(ONE, null).validUntil()).isEqualTo(ONE);
        assertThat(token(null, NOON).validUntil()).as("retiring, no expiry").isEqualTo(NOON);
        assertThat(token(ONE, NOON).validUntil()).as("the grace ends first").isEqualTo(NOON);
        assertThat(token(NOON, ONE).validUntil()).as("its expiry cut back below the grace").isEqualTo(NOON);
        assertThat(token(NOON, NOON).validUntil()).isEqualTo(NOON);
    }

    @Test
    void aTokenCutBackBelowItsGraceStillRetiresAtTheGraceButStopsAtItsExpiry() {
        Token cut = token(NOON, ONE);
        Instant before = NOON.minusSeconds(1);
        assertThat(cut.status(before)).isEqualTo(Token.Status.RETIRING);
        assertThat(cut.retiresAt(before)).isEqualTo(ONE);
        assertThat(cut.status(NOON)).isEqualTo(Token.Status.EXPIRED);
        assertThat(cut.retiresAt(NOON)).isNull();
    }
}
