package dev.lifeboat.snapshot.taking;

import java.time.Duration;

/** etcd kept the snapshot stream open but sent nothing for the stall timeout. */
final class StreamStalledException extends Exception {
    private static final long serialVersionUID = 1L;

    StreamStalledException(Duration quiet, long bytesSoFar) {
        super("etcd sent no snapshot bytes for " + quiet.toSeconds() + " s (after " + bytesSoFar + " bytes)");
    }
}
