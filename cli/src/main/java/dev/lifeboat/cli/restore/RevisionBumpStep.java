package dev.lifeboat.cli.restore;

import java.nio.file.Path;

/**
 * {@code --bump-revision K --mark-compacted}: a bbolt write of an entry at revision latest+K in bucket
 * {@code key} and of {@code scheduledCompactRev} in bucket {@code meta}, as etcdutl 3.5.10 does. The
 * writer belongs to the inspect module's bbolt package and is not part of this build yet.
 */
public final class RevisionBumpStep {
    private RevisionBumpStep() {
    }

    public static boolean available() {
        return false;
    }

    public static void apply(Path db, long revisions, boolean markCompacted) {
        throw new UnsupportedOperationException("revision bump is not available in this build");
    }
}
