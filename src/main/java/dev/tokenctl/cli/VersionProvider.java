package dev.tokenctl.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar's manifest, so it is written in one place: the pom. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = VersionProvider.class.getPackage().getImplementationVersion();
        return new String[] {"tokenctl " + (version == null ? "(development build)" : version)};
    }
}
