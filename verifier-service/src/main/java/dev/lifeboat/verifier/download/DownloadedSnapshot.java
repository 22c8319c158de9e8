package dev.lifeboat.verifier.download;

import java.nio.file.Path;

/**
 * A snapshot object copied to a local file as the raw etcd snapshot (decoded), with what was
 * measured on the way.
 *
 * @param size          bytes of the raw file written
 * @param sha256        hex sha256 of the raw file
 * @param storedSize    bytes of the stored object read
 * @param storedSha256  hex sha256 of the stored object
 * @param millis        how long the download took
 */
public record DownloadedSnapshot(Path file, long size, String sha256, long storedSize, String storedSha256,
                                 long millis) {}
