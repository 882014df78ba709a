package dev.tokenctl.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The two engines' schemas move in step: a version is the same schema on either. */
class MigrationsTest {
    @Test
    void bothEnginesHaveTheSameNumberOfSteps() {
        assertThat(Migrations.POSTGRES).as("PostgreSQL's steps, one for each of SQLite's").hasSameSizeAs(Migrations.SQLITE);
        assertThat(Migrations.LATEST).isEqualTo(Migrations.SQLITE.size());
    }
}
