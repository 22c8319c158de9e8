package dev.lifeboat.cli.restore;

import java.util.Collections;

/**
 * The v2 store etcd 3.4 keeps its membership in, serialised as its {@code Save()} does: the members
 * under {@code /0/members/<hex id>/raftAttributes} (created in id order, one store index each),
 * the empty {@code /1}, the watcher history of those creates (a ring of 1000 slots) and the stats.
 */
final class V2Store {
    private static final String ZERO_TIME = "\"ExpireTime\":\"0001-01-01T00:00:00Z\"";
    private static final int HISTORY = 1000;

    private V2Store() {
    }

    static String json(RestoredCluster cluster) {
        int n = cluster.members().size();
        StringBuilder members = new StringBuilder();
        StringBuilder events = new StringBuilder();
        int index = 0;
        for (RestoredCluster.Member m : cluster.members()) {
            index++;
            String dir = "/0/members/" + m.hexId();
            String raft = GoJson.string("{\"peerURLs\":" + GoJson.stringArray(m.peerUrls()) + "}");
            if (index > 1) {
                members.append(',');
                events.append(',');
            }
            members.append('"').append(m.hexId()).append("\":")
                    .append(dirNode(dir, index, "{\"raftAttributes\":{\"Path\":\"" + dir + "/raftAttributes\","
                            + indexes(index) + "," + ZERO_TIME + ",\"Value\":" + raft + ",\"Children\":null}}"));
            events.append("{\"action\":\"create\",\"node\":{\"key\":\"").append(dir).append("/raftAttributes\",")
                    .append("\"value\":").append(raft).append(",\"modifiedIndex\":").append(index)
                    .append(",\"createdIndex\":").append(index).append("}}");
        }
        String nulls = String.join(",", Collections.nCopies(HISTORY - n, "null"));
        return "{\"Root\":" + dirNode("/", 0, "{\"0\":" + dirNode("/0", 0, "{\"members\":"
                + dirNode("/0/members", n == 0 ? 0 : 1, "{" + members + "}") + "}") + ",\"1\":" + dirNode("/1", 0, "{}")
                + "}")
                + ",\"WatcherHub\":{\"EventHistory\":{\"Queue\":{\"Events\":[" + events + (nulls.isEmpty() ? "" : "," + nulls)
                + "],\"Size\":" + n + ",\"Front\":0,\"Back\":" + n + ",\"Capacity\":" + HISTORY + "},\"StartIndex\":1,"
                + "\"LastIndex\":" + n + "}},\"CurrentIndex\":" + n + ",\"Stats\":{\"getsSuccess\":0,\"getsFail\":0,"
                + "\"setsSuccess\":0,\"setsFail\":0,\"deleteSuccess\":0,\"deleteFail\":0,\"updateSuccess\":0,"
                + "\"updateFail\":0,\"createSuccess\":" + n + ",\"createFail\":0,\"compareAndSwapSuccess\":0,"
                + "\"compareAndSwapFail\":0,\"compareAndDeleteSuccess\":0,\"compareAndDeleteFail\":0,\"expireCount\":0,"
                + "\"watchers\":0},\"CurrentVersion\":2}";
    }

    private static String dirNode(String path, int index, String children) {
        return "{\"Path\":\"" + path + "\"," + indexes(index) + "," + ZERO_TIME + ",\"Value\":\"\",\"Children\":"
                + children + "}";
    }

    private static String indexes(int index) {
        return "\"CreatedIndex\":" + index + ",\"ModifiedIndex\":" + index;
    }
}
