package dev.lifeboat.verifier.store;

import java.nio.file.Path;

/**
 * A snapshot object copied to a local file, with what was measured on the way.
 *
 * @param sha256  hex sha256 of every byte read
 * @param millis  how long the download took
 */
public record DownloadedSnapshot(Path file, long size, String sha256, long millis) {}
