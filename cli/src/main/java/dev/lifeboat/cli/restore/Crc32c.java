package dev.lifeboat.cli.restore;

/**
 * CRC-32C (Castagnoli) continued from a previous value, as Go's {@code crc32.Update(crc, castagnoli,
 * data)}: etcd chains the WAL's record checksums this way. {@link java.util.zip.CRC32C} cannot
 * resume from a value, hence this table.
 */
final class Crc32c {
    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0x82F63B78 : c >>> 1;
            }
            TABLE[i] = c;
        }
    }

    private Crc32c() {
    }

    static long update(long crc, byte[] data) {
        int c = ~(int) crc;
        for (byte b : data) {
            c = TABLE[(c ^ b) & 0xFF] ^ (c >>> 8);
        }
        return Integer.toUnsignedLong(~c);
    }
}
