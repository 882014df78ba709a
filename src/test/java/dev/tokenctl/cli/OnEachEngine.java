package dev.tokenctl.cli;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** A test class that runs once on each engine; every test gets a new store of it, already made, in {@link #cli}. */
@ParameterizedClass
@EnumSource(Engine.class)
abstract class OnEachEngine {
    @Parameter
    Engine engine;
    @TempDir
    Path dir;
    CliRunner cli;

    @BeforeEach
    void newStore() {
        cli = new CliRunner(dir, engine, true);
    }
}
