package dev.lifeboat.snapshot.api;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestResponse;

import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.snapshot.config.SnapshotConfig;
import dev.lifeboat.snapshot.registry.ClusterRegistry;
import dev.lifeboat.snapshot.registry.ClusterSpecValidator;
import dev.lifeboat.snapshot.registry.FieldError;
import dev.lifeboat.snapshot.service.SnapshotRunner;
import dev.lifeboat.snapshot.service.SnapshotScheduler;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.SnapshotIds;
import io.smallrye.common.annotation.Blocking;

/** The cluster registry: register, read, remove. */
@Path("/api/v1/clusters")
@Blocking
public class ClusterResource {
    private final ClusterRegistry registry;
    private final ClusterSpecValidator validator;
    private final SnapshotScheduler scheduler;
    private final SnapshotRunner runner;

    public ClusterResource(ClusterRegistry registry, Regions regions, SnapshotScheduler scheduler, SnapshotRunner runner,
            SnapshotConfig config) {
        this.registry = registry;
        this.validator = new ClusterSpecValidator(Set.copyOf(regions.secondaries()), config.maxScheduleInterval(),
                Clock.systemUTC());
        this.scheduler = scheduler;
        this.runner = runner;
    }

    @PUT
    @Path("{clusterId}")
    @Operation(summary = "Register or update a cluster")
    public RestResponse<ClusterView> put(@PathParam("clusterId") String clusterId, ClusterSpec spec) {
        List<FieldError> errors = validator.validate(clusterId, spec);
        if (!errors.isEmpty()) {
            throw ApiProblem.badRequest(errors);
        }
        boolean existed = registry.get(clusterId).isPresent();
        registry.put(clusterId, spec);
        ClusterView view = view(clusterId, spec);
        return existed ? RestResponse.ok(view)
                : RestResponse.status(Response.Status.CREATED, view);
    }

    @GET
    @Operation(summary = "List registered clusters")
    public List<ClusterView> list() {
        return registry.all().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> view(e.getKey(), e.getValue()))
                .toList();
    }

    @GET
    @Path("{clusterId}")
    @Operation(summary = "Read one cluster")
    public ClusterView get(@PathParam("clusterId") String clusterId) {
        return view(clusterId, require(registry, clusterId));
    }

    @DELETE
    @Path("{clusterId}")
    @Operation(summary = "Stop backing up a cluster; its snapshots stay in the store")
    public Response delete(@PathParam("clusterId") String clusterId) {
        require(registry, clusterId);
        registry.remove(clusterId);
        return Response.noContent().build();
    }

    private ClusterView view(String clusterId, ClusterSpec spec) {
        return new ClusterView(clusterId, spec, scheduler.nextFire(clusterId),
                runner.running(clusterId).map(SnapshotRunner.Running::snapshotId).orElse(null));
    }

    /** The registered spec, or 400 for an invalid id and 404 for an unknown one. */
    static ClusterSpec require(ClusterRegistry registry, String clusterId) {
        requireValidId(clusterId);
        return registry.get(clusterId)
                .orElseThrow(() -> ApiProblem.notFound("cluster " + clusterId + " is not registered"));
    }

    static void requireValidId(String clusterId) {
        if (!SnapshotIds.isValidClusterId(clusterId)) {
            throw ApiProblem.badRequest(List.of(new FieldError("clusterId",
                    "must be a DNS-1123 label: lowercase letters, digits and '-', at most 63 characters")));
        }
    }
}
