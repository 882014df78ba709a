package dev.tokenctl.app;

import dev.tokenctl.core.Text;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Who besides its owner can reach a store's file: the warnings to give, one line each. */
final class Exposure {
    private Exposure() {
    }

    /**
     * A warning when users other than the owner may do anything with the store's file, and one
     * when they may write to its directory: there they can replace the store, or, sticky or not,
     * create its -wal and -shm files, which SQLite removes and makes again.
     */
    static List<String> of(Path path) {
        List<String> warnings = new ArrayList<>();
        String store = Text.quoteSafe(path.toString(), 400);
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
            boolean read = permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ);
            boolean write = permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE);
            if (permissions.stream().anyMatch(p -> !p.name().startsWith("OWNER_"))) {
                String what = read && write ? "readable and writable by" : read ? "readable by" : write ? "writable by"
                        : "open to";
                warnings.add("store " + store + " is " + what + " other users (mode "
                        + PosixFilePermissions.toString(permissions) + "; run 'chmod 600 " + store + "')");
            }
            Path dir = path.toAbsolutePath().getParent();
            Set<PosixFilePermission> dirPermissions = dir == null ? Set.of() : Files.getPosixFilePermissions(dir);
            if (dirPermissions.contains(PosixFilePermission.GROUP_WRITE) || dirPermissions.contains(PosixFilePermission.OTHERS_WRITE)) {
                String shown = Text.quoteSafe(dir.toString(), 400);
                // A sticky directory is one shared on purpose, such as /tmp: not one to chmod.
                String fix = sticky(dir) ? ", sticky; move the store to a directory of your own (mode 700) and point"
                        + " --db or TOKENCTL_DB at it)" : "; run 'chmod go-w " + shown + "')";
                warnings.add("directory " + shown + " of store " + store + " is writable by other users,"
                        + " who can replace the store or plant its -wal and -shm files (mode "
                        + PosixFilePermissions.toString(dirPermissions) + fix);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // Not a POSIX file system: nothing to check.
        }
        return warnings;
    }

    private static boolean sticky(Path dir) {
        try {
            return (((Integer) Files.getAttribute(dir, "unix:mode")) & 01000) != 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;  // no "unix" view here: the advice for a directory that is not sticky
        }
    }
}
