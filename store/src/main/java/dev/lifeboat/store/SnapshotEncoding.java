package dev.lifeboat.store;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * How the etcd snapshot file is turned into the stored object and back: the one place a
 * compression or encryption step would be added. The writer wraps its output once
 * ({@link #wrap}), every reader unwraps the stored bytes once ({@link #unwrap}); the object's name
 * is {@code snapshot.db} plus the encoding's {@link #suffix()}, and the manifest records the
 * encoding's {@link #name()} and which sha256/size is of the raw file and which of the stored
 * object.
 */
public interface SnapshotEncoding {
    /** The file as etcd wrote it, byte for byte (what every manifest before encodings meant). */
    SnapshotEncoding IDENTITY = new SnapshotEncoding() {
        @Override
        public String name() {
            return "identity";
        }

        @Override
        public String suffix() {
            return "";
        }

        @Override
        public OutputStream wrap(OutputStream stored) {
            return stored;
        }

        @Override
        public InputStream unwrap(InputStream stored) {
            return stored;
        }

        @Override
        public String toString() {
            return name();
        }
    };

    /** Recorded in the manifest's {@code encoding}. */
    String name();

    /** Appended to {@code snapshot.db} in the object's name; empty for identity. */
    String suffix();

    /** Raw bytes written to the returned stream reach {@code stored} encoded; closing it closes {@code stored}. */
    OutputStream wrap(OutputStream stored);

    /** The raw bytes of a stored object read from {@code stored}. */
    InputStream unwrap(InputStream stored);

    /** Every encoding this version can read. */
    static List<SnapshotEncoding> known() {
        return List.of(IDENTITY);
    }

    /** The encoding a manifest names; a name this version does not know is refused. */
    static SnapshotEncoding named(String name) {
        return known().stream().filter(e -> e.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown snapshot encoding " + name
                        + " (this version reads " + known().stream().map(SnapshotEncoding::name).toList() + ")"));
    }
}
