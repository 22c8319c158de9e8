package dev.lifeboat.verifier.drill;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The scratch directories and processes of drills in progress, so that stopping the service
 * removes them even while a drill is still running.
 */
public final class LiveDrills {
    private final Set<DrillWorkspace> live = ConcurrentHashMap.newKeySet();

    void add(DrillWorkspace workspace) {
        live.add(workspace);
    }

    void remove(DrillWorkspace workspace) {
        live.remove(workspace);
    }

    /** How many drills are running now. */
    public int count() {
        return live.size();
    }

    /** Kills every scratch process and removes every scratch directory. */
    public void stopAll() {
        for (DrillWorkspace w : live) {
            w.close();
        }
        live.clear();
    }
}
