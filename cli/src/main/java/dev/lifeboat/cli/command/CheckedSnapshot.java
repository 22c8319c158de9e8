package dev.lifeboat.cli.command;

import dev.lifeboat.cli.Failure;
import dev.lifeboat.cli.Progress;
import dev.lifeboat.cli.Scratch;
import dev.lifeboat.cli.store.RegionCatalog;
import dev.lifeboat.cli.store.SnapshotDownload;
import dev.lifeboat.inspect.Corruption;
import dev.lifeboat.inspect.CorruptSnapshotException;
import dev.lifeboat.store.CatalogEntry;
import dev.lifeboat.store.SnapshotLayout;

import java.io.IOException;
import java.nio.file.Path;

/** Download and the checks before anything else happens: size, sha256, trailer, then bbolt structure. */
final class CheckedSnapshot {
    private CheckedSnapshot() {
    }

    /** Downloads into {@code dir} (registered in {@code scratch}) and checks size, sha256 and trailer. */
    static SnapshotDownload.Checked download(RegionCatalog catalog, CatalogEntry entry, Path dir, Scratch scratch,
                                             Progress progress) throws IOException {
        String key = SnapshotLayout.objectKey(entry.manifest());
        SnapshotDownload.Checked checked = SnapshotDownload.fetch(catalog.store(), key, entry.manifest(), dir, progress);
        scratch.add(checked.file());
        return checked;
    }

    /** The inspection's verdict as a failure line. */
    static RuntimeException failure(CorruptSnapshotException e) {
        Failure f = e.reason() == Corruption.HASH_MISMATCH ? Failure.CHECKSUM_MISMATCH : Failure.CORRUPT_DATABASE;
        return f.because(e.reason() + ": " + e.getMessage());
    }
}
