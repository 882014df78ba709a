package dev.tokenctl.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock a test moves forward instead of waiting: the system's, where time passes as usual, or
 * one stopped at a given instant until moved.
 */
public final class MovedClock extends Clock {
    private final Instant stopped;
    private volatile Duration offset = Duration.ZERO;

    /** The system's clock, moved. */
    public MovedClock() {
        this(null);
    }

    /** Stopped at {@code at}, moved. */
    public MovedClock(Instant at) {
        this.stopped = at;
    }

    public void move(Duration by) {
        offset = offset.plus(by);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return (stopped == null ? Instant.now() : stopped).plus(offset);
    }
}
