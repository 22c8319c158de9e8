package dev.lifeboat.testing.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.Region;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.StoreException;
import dev.lifeboat.store.memory.InMemoryObjectStore;

/** The store contract against the in-memory store, in milliseconds. */
class InMemoryObjectStoreTest extends ObjectStoreContract {
    private final InMemoryObjectStore store = (InMemoryObjectStore) Regions.open(Region.memory("primary"));

    @Override
    protected ObjectStore store() {
        return store;
    }

    @Test
    void anInjectedFaultFailsOneCallAndAnAmbiguousOneTakesEffectFirst() {
        store.failNext(InMemoryObjectStore.Verb.PUT, prefix + "lost", 1, false);
        store.failNext(InMemoryObjectStore.Verb.PUT, prefix + "ambiguous", 1, true);
        assertThatThrownBy(() -> store.put(prefix + "lost", new byte[] {1}, "x")).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.put(prefix + "ambiguous", new byte[] {1}, "x")).isInstanceOf(StoreException.class);
        assertThat(store.stat(prefix + "lost")).isEmpty();
        assertThat(store.stat(prefix + "ambiguous")).isPresent();
        store.put(prefix + "lost", new byte[] {1}, "x");
        assertThat(store.stat(prefix + "lost")).isPresent();
    }

    @Test
    void anOutageFailsEveryCallAsTheStoreAndEndsWhenItIsBack() {
        store.put(prefix + "k", new byte[] {1}, "application/octet-stream");
        store.setAvailable(false);
        assertThat(store.isReachable()).isFalse();
        assertThatThrownBy(() -> store.get(prefix + "k")).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.list(prefix)).isInstanceOf(StoreException.class);
        store.setAvailable(true);
        assertThat(store.stat(prefix + "k")).isPresent();
    }
}
