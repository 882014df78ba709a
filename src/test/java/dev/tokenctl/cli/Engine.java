package dev.tokenctl.cli;

/** The engines a store can be on; the command-level tests run on each. */
enum Engine {
    SQLITE, POSTGRESQL
}
