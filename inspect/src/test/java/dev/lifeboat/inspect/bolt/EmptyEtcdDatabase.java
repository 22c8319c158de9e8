package dev.lifeboat.inspect.bolt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A bbolt file built byte by byte, without the code under test: what etcd's first commit leaves. */
public final class EmptyEtcdDatabase {
    public static final int PAGE = 4096;

    private EmptyEtcdDatabase() {
    }

    /**
     * bbolt's init (meta pages 0 and 1 with txid 0 and 1, freelist page 2, root leaf page 3), then a
     * commit that created buckets {@code key} and {@code meta}: root leaf page 4 with both inline,
     * freelist page 5 listing page 3, meta 0 with txid 2.
     */
    public static Path create(Path db) throws IOException {
        ByteBuffer file = ByteBuffer.allocate(6 * PAGE).order(ByteOrder.LITTLE_ENDIAN);
        writeMeta(file, 0, 2, 4, 5, 6);
        writeMeta(file, 1, 1, 3, 2, 4);
        header(file, 2, 0x10, 0);
        header(file, 3, 0x02, 0);
        byte[] emptyInline = new byte[16 + 16];
        ByteBuffer.wrap(emptyInline).order(ByteOrder.LITTLE_ENDIAN).putShort(16 + 8, (short) 0x02);
        int base = 4 * PAGE;
        header(file, 4, 0x02, 2);
        byte[][] keys = {"key".getBytes(StandardCharsets.UTF_8), "meta".getBytes(StandardCharsets.UTF_8)};
        int data = base + 16 + 2 * 16;
        for (int i = 0; i < 2; i++) {
            int e = base + 16 + i * 16;
            file.putInt(e, 1);
            file.putInt(e + 4, data - e);
            file.putInt(e + 8, keys[i].length);
            file.putInt(e + 12, emptyInline.length);
            file.put(data, keys[i]);
            file.put(data + keys[i].length, emptyInline);
            data += keys[i].length + emptyInline.length;
        }
        header(file, 5, 0x10, 1);
        file.putLong(5 * PAGE + 16, 3);
        Files.write(db, file.array());
        return db;
    }

    private static void header(ByteBuffer file, long id, int flags, int count) {
        int at = (int) id * PAGE;
        file.putLong(at, id);
        file.putShort(at + 8, (short) flags);
        file.putShort(at + 10, (short) count);
    }

    private static void writeMeta(ByteBuffer file, int page, long txid, long root, long freelist, long pgid) {
        header(file, page, 0x04, 0);
        int m = page * PAGE + 16;
        file.putInt(m, BoltMeta.MAGIC);
        file.putInt(m + 4, BoltMeta.VERSION);
        file.putInt(m + 8, PAGE);
        file.putLong(m + 16, root);
        file.putLong(m + 32, freelist);
        file.putLong(m + 40, pgid);
        file.putLong(m + 48, txid);
        file.putLong(m + 56, BoltMeta.fnv1a64(file, m, 56));
    }
}
