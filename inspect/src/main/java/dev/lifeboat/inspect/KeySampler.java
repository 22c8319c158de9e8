package dev.lifeboat.inspect;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Keeps the live keys with the smallest key hashes: a deterministic sample spread evenly over the
 * key space, holding at most {@code size} values at any time.
 */
final class KeySampler {
    private record Candidate(long hash, KeyValueSample sample) {
    }

    private final int size;
    private final PriorityQueue<Candidate> largestFirst =
            new PriorityQueue<>(Comparator.comparingLong(Candidate::hash).reversed());

    KeySampler(int size) {
        this.size = Math.max(0, size);
    }

    void offer(long hash, ByteBuffer key, ByteBuffer value, long modRevision) {
        if (size == 0 || (largestFirst.size() == size && largestFirst.peek().hash() <= hash)) {
            return;
        }
        largestFirst.add(new Candidate(hash, new KeyValueSample(bytes(key), bytes(value), modRevision)));
        if (largestFirst.size() > size) {
            largestFirst.poll();
        }
    }

    /** The sample in key order. */
    List<KeyValueSample> samples() {
        return largestFirst.stream()
                .map(Candidate::sample)
                .sorted((a, b) -> Arrays.compareUnsigned(a.key(), b.key()))
                .toList();
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(b.position(), a);
        return a;
    }
}
