package dev.tokenctl.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which copy of sqlite-jdbc's native library tokenctl points it at: only one no other user can
 * have written. Calls {@link NativeLibrary#cachedLibrary}, the decision {@code prepare} turns
 * into org.sqlite.lib.path, which in a test JVM could be set only once.
 */
class NativeLibraryTest {
    @TempDir
    Path dir;
    Path root;
    /** Where the library is cached, found by a first run. */
    Path library;
    byte[] shipped;

    @BeforeEach
    void extractOnce() throws IOException {
        root = dir.resolve("cache/tokenctl");
        library = NativeLibrary.cachedLibrary(root);
        assumeTrue(library != null, "no library of this platform known to NativeLibrary");
        Path entry = root.relativize(library);
        try (InputStream in = NativeLibrary.class.getResourceAsStream(
                "/org/sqlite/native/" + entry.subpath(2, entry.getNameCount()).toString())) {
            shipped = in.readAllBytes();
        }
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static UserPrincipal nobody(Path path) throws IOException {
        return path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Bytes of the library's size that are not the library. */
    private byte[] planted() {
        byte[] bytes = shipped.clone();
        Arrays.fill(bytes, 0, 4096, (byte) 0x90);
        return bytes;
    }

    @Test
    void extractsTheJarsLibraryIntoPrivateDirectoriesAndUsesItAgain() throws IOException {
        assertThat(Files.readAllBytes(library)).isEqualTo(shipped);
        for (Path path = library.getParent(); !path.equals(dir); path = path.getParent()) {
            assertThat(mode(path)).as(path.toString()).isEqualTo("rwx------");
        }
        assertThat(mode(library)).isEqualTo("rw-------");
        FileTime made = Files.getLastModifiedTime(library);
        assertThat(NativeLibrary.cachedLibrary(root)).isEqualTo(library);
        assertThat(Files.getLastModifiedTime(library)).as("not extracted again").isEqualTo(made);
    }

    @Test
    void aLibraryCutShortOrOfAnotherSizeIsReplaced() throws IOException {
        Files.write(library, Arrays.copyOf(shipped, shipped.length / 2));
        assertThat(NativeLibrary.cachedLibrary(root)).isEqualTo(library);
        assertThat(Files.readAllBytes(library)).isEqualTo(shipped);
    }

    @Test
    void aPrivateLibraryOfTheRightSizeWithOtherBytesIsReplaced() throws IOException {
        Files.write(library, planted());
        assertThat(mode(library)).isEqualTo("rw-------");
        assertThat(NativeLibrary.cachedLibrary(root)).isEqualTo(library);
        assertThat(Files.readAllBytes(library)).isEqualTo(shipped);
    }

    @Test
    void aLibraryOthersMayWriteIsReplaced() throws IOException {
        Files.write(library, planted());
        Files.setPosixFilePermissions(library, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThat(NativeLibrary.cachedLibrary(root)).isEqualTo(library);
        assertThat(Files.readAllBytes(library)).isEqualTo(shipped);
        assertThat(mode(library)).isEqualTo("rw-------");
    }

    @Test
    void aLibraryOfAnotherUserIsReplaced() throws IOException {
        assumeTrue(root(), "only root can give a file away");
        Files.write(library, planted());
        Files.setOwner(library, nobody(library));
        assertThat(NativeLibrary.cachedLibrary(root)).isEqualTo(library);
        assertThat(Files.readAllBytes(library)).isEqualTo(shipped);
        assertThat(Files.getOwner(library)).isNotEqualTo(nobody(library));
    }

    @Test
    void noDirectoryOthersMayWriteIsUsedOrWrittenTo() throws IOException {
        Files.write(library, planted());
        for (Path path = library.getParent(); !path.equals(root.getParent()); path = path.getParent()) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxrwxrwx"));
            assertThat(NativeLibrary.cachedLibrary(root)).as(path.toString()).isNull();
            assertThat(Files.readAllBytes(library)).as("left alone").isEqualTo(planted());
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-x---"));
        }
        assertThat(NativeLibrary.cachedLibrary(root)).as("all private again").isEqualTo(library);
    }

    @Test
    void noDirectoryOfAnotherUserIsUsedOrWrittenTo() throws IOException {
        assumeTrue(root(), "only root can give a file away");
        UserPrincipal me = Files.getOwner(root);
        Files.write(library, planted());
        for (Path path = library.getParent(); !path.equals(root.getParent()); path = path.getParent()) {
            Files.setOwner(path, nobody(path));
            assertThat(NativeLibrary.cachedLibrary(root)).as(path.toString()).isNull();
            assertThat(Files.readAllBytes(library)).as("left alone").isEqualTo(planted());
            Files.setOwner(path, me);
        }
    }

    /** sqlite-jdbc loads the library by its path: whoever may rename a directory above the cache could swap it. */
    @Test
    void noLibraryUnderADirectoryOthersMayWriteIsUsedOrWrittenTo() throws IOException {
        Files.write(library, planted());
        for (Path path : new Path[] {root.getParent(), dir}) {
            for (String mode : new String[] {"rwxrwxrwx", "rwxrwx---", "rwx----w-"}) {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
                assertThat(NativeLibrary.cachedLibrary(root)).as(path + " " + mode).isNull();
                assertThat(Files.readAllBytes(library)).as("left alone").isEqualTo(planted());
            }
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
        }
        Files.delete(library);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(NativeLibrary.cachedLibrary(dir.resolve("new/tokenctl"))).isNull();
        assertThat(dir.resolve("new")).as("nothing made there").doesNotExist();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        assertThat(NativeLibrary.cachedLibrary(root)).as("all private again").isEqualTo(library);
    }

    @Test
    void noLibraryUnderADirectoryOfAnotherUserIsUsed() throws IOException {
        assumeTrue(root(), "only root can give a file away");
        UserPrincipal me = Files.getOwner(root);
        for (Path path : new Path[] {root.getParent(), dir}) {
            Files.setOwner(path, nobody(path));
            assertThat(NativeLibrary.cachedLibrary(root)).as(path.toString()).isNull();
            Files.setOwner(path, me);
        }
        assertThat(NativeLibrary.cachedLibrary(root)).isEqualTo(library);
    }

    /** A cache reached through a symbolic link is checked, and used, where the link leads. */
    @Test
    void aCacheThroughALinkIsCheckedWhereTheLinkLeads() throws IOException {
        Path disk = Files.createDirectories(dir.resolve("disk"));
        Files.move(root.getParent(), disk.resolve("cache"));
        Files.createSymbolicLink(dir.resolve("cache"), disk.resolve("cache"));
        Path real = disk.resolve("cache/tokenctl").resolve(root.relativize(library));
        assertThat(NativeLibrary.cachedLibrary(root)).isEqualTo(real);
        Files.setPosixFilePermissions(disk, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(NativeLibrary.cachedLibrary(root)).isNull();
    }

    @Test
    void aCacheDirectoryMadeByAnotherUserBeforeThisOneIsNotUsed() throws IOException {
        assumeTrue(root(), "only root can give a file away");
        Path other = Files.createDirectories(dir.resolve("other/tokenctl"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.setOwner(other, nobody(other));
        assertThat(NativeLibrary.cachedLibrary(other)).isNull();
        try (var files = Files.list(other)) {
            assertThat(files).as("nothing made in it").isEmpty();
        }
    }

    /** A library as the build puts it beside the jars in {@code jars}: native/Linux/x86_64/, say. */
    private Path shippedBeside(Path jars) throws IOException {
        Path entry = root.relativize(library);
        Path beside = jars.resolve("native").resolve(entry.subpath(2, entry.getNameCount()).toString());
        Files.createDirectories(beside.getParent());
        return Files.write(beside, shipped);
    }

    @Test
    void theLibraryBesideTheJarsIsUsedWhenOnlyItsOwnerCanHaveChangedIt() throws IOException {
        Path jars = Files.createDirectories(dir.resolve("lib"));
        assertThat(NativeLibrary.shippedLibrary(jars)).as("none there").isNull();
        assertThat(NativeLibrary.shippedLibrary(null)).isNull();
        Path beside = shippedBeside(jars);
        Files.setPosixFilePermissions(beside, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(NativeLibrary.shippedLibrary(jars)).isEqualTo(beside);
        for (Path path = beside; !path.equals(dir); path = path.getParent()) {
            String mode = mode(path);
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(path.equals(beside) ? "rw-rw-r--" : "rwxr-xrwx"));
            assertThat(NativeLibrary.shippedLibrary(jars)).as("others may write to " + path).isNull();
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
        }
        assertThat(NativeLibrary.shippedLibrary(jars)).isEqualTo(beside);
    }

    @Test
    void theLibraryBesideTheJarsIsNotUsedWhenAnotherUserOwnsItOrADirectoryOnTheWay() throws IOException {
        assumeTrue(root(), "only root can give a file away");
        Path jars = Files.createDirectories(dir.resolve("lib"));
        Path beside = shippedBeside(jars);
        UserPrincipal me = Files.getOwner(beside);
        for (Path path = beside; !path.equals(dir); path = path.getParent()) {
            Files.setOwner(path, nobody(path));
            assertThat(NativeLibrary.shippedLibrary(jars)).as(path + " of another user").isNull();
            Files.setOwner(path, me);
        }
        assertThat(NativeLibrary.shippedLibrary(jars)).isEqualTo(beside);
    }
}
