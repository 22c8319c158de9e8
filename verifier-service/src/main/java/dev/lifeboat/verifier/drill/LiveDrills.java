package dev.lifeboat.verifier.drill;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The scratch directories and processes of drills in progress, so that stopping the service
 * removes them even while a drill is still running.
 */
public final class LiveDrills {
    private final Set<DrillWorkspace> live = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;

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

    /** True once {@link #stopAll} ran: a drill cut short then is no verdict on the snapshot. */
    public boolean stopped() {
        return stopped;
    }

    /** Kills every scratch process and removes every scratch directory; no drill starts afterwards. */
    public void stopAll() {
        stopped = true;
        for (DrillWorkspace w : live) {
            w.close();
        }
        live.clear();
    }
}
