package dev.lifeboat.inspect;

import dev.lifeboat.inspect.bolt.BoltFormatException;
import dev.lifeboat.inspect.status.Revisions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pieces that tell live keys from history: revision keys, KeyValue decoding, the seen-set, sampling. */
class LiveKeyBookkeepingTest {

    @Test
    void seenSetAgreesWithAHashSetThroughGrowth() {
        LiveKeySet seen = new LiveKeySet();
        Set<Long> model = new HashSet<>();
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < 200_000; i++) {
            long h = random.nextInt(150_000) * 0x9E3779B97F4A7C15L;
            assertThat(seen.add(h)).isEqualTo(model.add(h == 0 ? 1 : h));
        }
        assertThat(seen.size()).isEqualTo(model.size());
    }

    @Test
    void keyHashesDoNotCollideOnSimilarKeys() {
        Set<Long> hashes = new HashSet<>();
        IntStream.range(0, 300_000).forEach(i -> hashes.add(KeyHash.of(buf("/registry/pods/default/pod-" + i))));
        assertThat(hashes).hasSize(300_000);
        assertThat(KeyHash.of(buf("a"))).isNotEqualTo(KeyHash.of(buf("a\0")));
    }

    @Test
    void samplerKeepsTheSmallestHashesInKeyOrder() {
        KeySampler sampler = new KeySampler(3);
        for (int i = 0; i < 100; i++) {
            sampler.offer(1000 - i, buf("k" + (char) ('a' + i % 26) + i), buf("v" + i), i);
        }
        assertThat(sampler.samples()).extracting(s -> s.modRevision()).containsExactlyInAnyOrder(97L, 98L, 99L);
        assertThat(sampler.samples()).extracting(s -> new String(s.key(), StandardCharsets.UTF_8)).isSorted();
        assertThat(new KeySampler(0).samples()).isEmpty();
    }

    @Test
    void decodesKeyValueAndRevisionKeys() throws Exception {
        ByteArrayOutputStream kv = new ByteArrayOutputStream();
        field(kv, 1, "/a".getBytes(StandardCharsets.UTF_8));
        varint(kv, 2 << 3);
        varint(kv, 5);
        varint(kv, 3 << 3);
        varint(kv, 300);
        varint(kv, 4 << 3);
        varint(kv, 2);
        field(kv, 5, "value".getBytes(StandardCharsets.UTF_8));
        varint(kv, 6 << 3);
        varint(kv, 7);
        MvccKeyValue decoded = MvccKeyValue.decode(ByteBuffer.wrap(kv.toByteArray()));
        assertThat(decoded.createRevision()).isEqualTo(5);
        assertThat(decoded.modRevision()).isEqualTo(300);
        assertThat(decoded.version()).isEqualTo(2);
        assertThat(decoded.lease()).isEqualTo(7);
        assertThat(StandardCharsets.UTF_8.decode(decoded.value()).toString()).isEqualTo("value");

        ByteBuffer put = ByteBuffer.allocate(17).putLong(300).put((byte) '_').putLong(1).flip();
        ByteBuffer tomb = ByteBuffer.allocate(18).putLong(301).put((byte) '_').putLong(0).put((byte) 't').flip();
        assertThat(Revisions.mainOf(put)).isEqualTo(300);
        assertThat(Revisions.subOf(put)).isEqualTo(1);
        assertThat(Revisions.isTombstone(put)).isFalse();
        assertThat(Revisions.isTombstone(tomb)).isTrue();
        assertThatThrownBy(() -> Revisions.isTombstone(buf("short"))).isInstanceOf(BoltFormatException.class);
    }

    private static void field(ByteArrayOutputStream out, int number, byte[] bytes) {
        varint(out, number << 3 | 2);
        varint(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7fL) != 0) {
            out.write((int) (v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static ByteBuffer buf(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }
}
