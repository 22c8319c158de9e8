package dev.lifeboat.inspect;

/**
 * The set of user keys already seen while reading revisions newest first, kept as 64-bit hashes in
 * an open-addressing table: 16 bytes per distinct key, independent of value sizes and history.
 * (etcd itself keeps a far larger index of every key in memory.)
 */
final class LiveKeySet {
    private long[] slots = new long[1 << 12];
    private int size;

    /** Adds a key hash; false when it was already present. */
    boolean add(long hash) {
        long h = hash == 0 ? 1 : hash;
        if (size * 2 >= slots.length) {
            grow();
        }
        return insert(slots, h);
    }

    int size() {
        return size;
    }

    private boolean insert(long[] table, long h) {
        int mask = table.length - 1;
        int i = (int) (h ^ (h >>> 32)) & mask;
        while (table[i] != 0) {
            if (table[i] == h) {
                return false;
            }
            i = (i + 1) & mask;
        }
        table[i] = h;
        if (table == slots) {
            size++;
        }
        return true;
    }

    private void grow() {
        long[] old = slots;
        long[] bigger = new long[old.length * 2];
        for (long h : old) {
            if (h != 0) {
                insert(bigger, h);
            }
        }
        slots = bigger;
    }
}
